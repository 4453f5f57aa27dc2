package io.loyaltylakehouse.common.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A {@code <topic>.dlq} message (CONTRACT 3): the raw record as text, why it was refused, and where it came from.
 * Whatever the input's size it stays far under the broker's message limit: the raw value is cut at
 * {@link #MAX_RAW_BYTES} and the error at {@link #MAX_ERROR_CHARS}, and the full value's length in bytes and its
 * SHA-256 are kept so the original can still be found and compared.
 */
public record DeadLetter(
        String raw,
        boolean rawTruncated,
        long rawLength,
        String rawSha256,
        String error,
        String sourceTopic,
        int partition,
        long offset,
        Instant failedAt) {

    /** 8 KiB of the raw value: enough to read the record, small enough for any broker's limit (1 MB by default). */
    public static final int MAX_RAW_BYTES = 8 * 1024;
    /** Errors often quote the input; they are cut too so an exception message cannot carry it whole. */
    public static final int MAX_ERROR_CHARS = 1024;

    /** A dead letter for raw bytes (null for a record without a value). */
    public static DeadLetter of(
            final byte[] raw,
            final String error,
            final String sourceTopic,
            final int partition,
            final long offset,
            final Instant failedAt) {
        if (raw == null) {
            return new DeadLetter(null, false, 0, null, cut(error), sourceTopic, partition, offset, failedAt);
        }
        final boolean truncated = raw.length > MAX_RAW_BYTES;
        final String text = new String(raw, 0, Math.min(raw.length, MAX_RAW_BYTES), StandardCharsets.UTF_8);
        return new DeadLetter(
                text, truncated, raw.length, sha256(raw), cut(error), sourceTopic, partition, offset, failedAt);
    }

    /** A dead letter for a value that is already text (a CDC row image, say): measured in its UTF-8 bytes. */
    public static DeadLetter of(
            final String raw,
            final String error,
            final String sourceTopic,
            final int partition,
            final long offset,
            final Instant failedAt) {
        return of(
                raw == null ? null : raw.getBytes(StandardCharsets.UTF_8),
                error,
                sourceTopic,
                partition,
                offset,
                failedAt);
    }

    /** {@code text} cut to {@link #MAX_ERROR_CHARS}, saying so. */
    public static String cut(final String text) {
        if (text == null || text.length() <= MAX_ERROR_CHARS) {
            return text;
        }
        return text.substring(0, MAX_ERROR_CHARS) + "...[cut, " + text.length() + " chars]";
    }

    static String sha256(final byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
