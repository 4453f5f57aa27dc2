package io.loyaltylakehouse.edge.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary serde for values read on every purchase (account, promotions): JSON would cost more than
 * the rule it feeds. The first byte is a format version so the layout can evolve without a reset.
 */
abstract class BinarySerde<T> implements Serde<T> {
    private final int version;

    BinarySerde(final int version) {
        this.version = version;
    }

    abstract void write(T value, DataOutputStream out) throws IOException;

    abstract T read(DataInputStream in) throws IOException;

    @Override
    public final Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(version);
                write(value, out);
            } catch (final IOException e) {
                throw new SerializationException("cannot write " + value, e);
            }
            return bytes.toByteArray();
        };
    }

    @Override
    public final Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                final int found = in.readByte();
                if (found != version) {
                    throw new SerializationException("unknown format version " + found + " (expected " + version + ")");
                }
                return read(in);
            } catch (final IOException e) {
                throw new SerializationException("cannot read " + bytes.length + " bytes", e);
            }
        };
    }

    static void writeInstant(final Instant instant, final DataOutputStream out) throws IOException {
        out.writeBoolean(instant != null);
        if (instant != null) {
            out.writeLong(instant.getEpochSecond());
            out.writeInt(instant.getNano());
        }
    }

    static Instant readInstant(final DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    /** Length-prefixed UTF-8: unlike writeUTF, no 64 KB limit, so no valid input can fail here. */
    static void writeString(final String text, final DataOutputStream out) throws IOException {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(final DataInputStream in) throws IOException {
        final byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeNullableString(final String text, final DataOutputStream out) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            writeString(text, out);
        }
    }

    static String readNullableString(final DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
