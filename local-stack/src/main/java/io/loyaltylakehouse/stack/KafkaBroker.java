package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one JVM) whose log directory lives
 * under the stack's data directory, so topics and records survive {@code make down}/{@code make up}.
 * The storage is formatted once, on first start.
 */
public final class KafkaBroker {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private KafkaBroker() {}

    static Map<String, Object> brokerConfig(
            final String host, final int port, final int controllerPort, final Path logDir) {
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@" + host + ":" + controllerPort),
                Map.entry(
                        "listeners",
                        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "4"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // flush to disk is left to the OS page cache, as Kafka recommends; durability comes from acks.
                Map.entry("log.retention.hours", "168"));
    }

    static void formatIfNeeded(final Path logDir, final String host, final int controllerPort) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(logDir);
        new Formatter()
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setPrintStream(System.out)
                .setIgnoreFormatted(true)
                .run();
        LOG.info("formatted Kafka storage in {}", logDir);
    }

    public static void main(final String[] args) throws Exception {
        final StackSettings stack = StackSettings.from(Settings.load("local-stack"));
        final Path logDir = stack.dataDir().resolve("kafka");
        formatIfNeeded(logDir, stack.kafkaHost(), stack.kafkaControllerPort());
        final KafkaRaftServer server = new KafkaRaftServer(
                new KafkaConfig(
                        brokerConfig(stack.kafkaHost(), stack.kafkaPort(), stack.kafkaControllerPort(), logDir), false),
                Time.SYSTEM);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("Kafka broker shutting down");
                            server.shutdown();
                            server.awaitShutdown();
                            stopped.countDown();
                        },
                        "kafka-shutdown"));
        server.startup();
        LOG.info("Kafka broker ready on {}:{} (data in {})", stack.kafkaHost(), stack.kafkaPort(), logDir);
        stopped.await();
    }
}
