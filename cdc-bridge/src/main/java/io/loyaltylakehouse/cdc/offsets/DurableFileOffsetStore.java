package io.loyaltylakehouse.cdc.offsets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offsets in a local file that a crash cannot tear, in the file format of Kafka's
 * {@code FileOffsetBackingStore} (a serialized {@code HashMap<byte[], byte[]>}), so existing offsets files are read.
 * <ul>
 *   <li>Writes go to {@code <file>.tmp}, are forced to disk, renamed over the file atomically, and the directory is
 *       forced too: after a crash the file holds either the previous or the new offsets, whole.</li>
 *   <li>A file that cannot be read is an error that names the file and what to do. Kafka's store reads a torn
 *       file as "no offsets", which makes the connector snapshot the whole database again without a word.</li>
 * </ul>
 * Set with {@code debezium.offset.storage}; the file is {@code offset.storage.file.filename} ({@code cdc.offsets.file}).
 */
public class DurableFileOffsetStore extends MemoryOffsetBackingStore {
    private static final ObjectInputFilter ONLY_OFFSET_MAPS =
            ObjectInputFilter.Config.createFilter("java.util.HashMap;java.util.Map$Entry;!*");

    private Path file;

    @Override
    public void configure(final WorkerConfig config) {
        super.configure(config);
        file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG))
                .toAbsolutePath();
    }

    @Override
    public synchronized void start() {
        super.start();
        data = load(file);
    }

    @Override
    protected void save() {
        final HashMap<byte[], byte[]> raw = new HashMap<>();
        data.forEach((key, value) -> raw.put(bytesOf(key), bytesOf(value)));
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(raw);
            }
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(bytes.toByteArray()));
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (final IOException e) {
            throw new ConnectException("cannot write the offsets file " + file + ": " + e, e);
        }
    }

    /** The offsets in {@code file}; none when it does not exist yet (the first start, which snapshots). */
    static Map<ByteBuffer, ByteBuffer> load(final Path file) {
        final Map<ByteBuffer, ByteBuffer> offsets = new HashMap<>();
        if (!Files.exists(file)) {
            return offsets;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            in.setObjectInputFilter(ONLY_OFFSET_MAPS);
            final Object read = in.readObject();
            if (!(read instanceof Map<?, ?> map)) {
                throw new IOException("it holds a " + read.getClass().getName() + ", not an offsets map");
            }
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                offsets.put(buffer(entry.getKey()), buffer(entry.getValue()));
            }
            return offsets;
        } catch (final IOException | ClassNotFoundException | ClassCastException e) {
            throw new ConnectException(
                    "the offsets file " + file + " is unreadable (torn or corrupt: " + e
                            + "). The bridge does not start, because without offsets it would snapshot the legacy database "
                            + "again. Restore the file from a backup, or delete it to re-snapshot on purpose",
                    e);
        }
    }

    /** Only Kafka Connect's offset REST API asks; the embedded engine does not. */
    @Override
    public Set<Map<String, Object>> connectorPartitions(final String connectorName) {
        return Set.of();
    }

    private static ByteBuffer buffer(final Object bytes) {
        return bytes == null ? null : ByteBuffer.wrap((byte[]) bytes);
    }

    private static byte[] bytesOf(final ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
