package io.loyaltylakehouse.cdc.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.embedded.EmbeddedWorkerConfig;
import io.debezium.embedded.KafkaConnectUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileOffsetStoreTest {
    private static final ByteBuffer KEY = utf8("[\"cdc-bridge\",{\"server\":\"legacy_cdc\"}]");
    private static final ByteBuffer OFFSET = utf8("{\"lsn\":26709300,\"txId\":751}");

    @TempDir
    Path dir;

    @Test
    void offsetsSurviveARestartAndNoTemporaryFileIsLeft() throws Exception {
        final Path file = dir.resolve("offsets.dat");
        save(new DurableFileOffsetStore(), file, OFFSET);

        final DurableFileOffsetStore again = started(new DurableFileOffsetStore(), file);
        assertThat(again.get(List.of(KEY)).get()).containsEntry(KEY, OFFSET);
        again.stop();
        assertThat(Files.list(dir))
                .extracting(Path::getFileName)
                .extracting(Path::toString)
                .containsExactly("offsets.dat");
    }

    @Test
    void readsAndWritesTheFileFormatOfKafkasFileStore() throws Exception {
        final Path file = dir.resolve("offsets.dat");
        save(KafkaConnectUtil.fileOffsetBackingStore(), file, OFFSET);

        assertThat(DurableFileOffsetStore.load(file)).containsEntry(KEY, OFFSET);
        save(new DurableFileOffsetStore(), file, utf8("{\"lsn\":26709400}"));
        final FileOffsetBackingStore reread = started(KafkaConnectUtil.fileOffsetBackingStore(), file);
        assertThat(reread.get(List.of(KEY)).get()).containsEntry(KEY, utf8("{\"lsn\":26709400}"));
        reread.stop();
    }

    @Test
    void aTornFileIsAClearErrorNotASilentReSnapshot() throws Exception {
        final Path file = dir.resolve("offsets.dat");
        save(new DurableFileOffsetStore(), file, OFFSET);
        final byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2)); // what a crash in the middle of a write leaves

        assertThatThrownBy(() -> started(new DurableFileOffsetStore(), file))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith(
                        "the offsets file " + file + " is unreadable (torn or corrupt: java.io.EOFException")
                .hasMessageEndingWith("Restore the file from a backup, or delete it to re-snapshot on purpose");
    }

    private static void save(final MemoryOffsetBackingStore store, final Path file, final ByteBuffer offset)
            throws Exception {
        started(store, file).set(Map.of(KEY, offset), null).get();
        store.stop();
    }

    private static <T extends MemoryOffsetBackingStore> T started(final T store, final Path file) {
        // the engine hands its config over as a mutable map
        store.configure(
                new EmbeddedWorkerConfig(new HashMap<>(Map.of("offset.storage.file.filename", file.toString()))));
        store.start();
        return store;
    }

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
