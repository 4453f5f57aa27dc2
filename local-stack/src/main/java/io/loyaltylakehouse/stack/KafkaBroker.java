package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The storage is formatted once, on first start. By default ({@code kafka.security=plaintext}) clients connect
 * PLAINTEXT on loopback; {@code kafka.security=sasl_scram} makes the client listener SASL_PLAINTEXT with SCRAM and
 * admits exactly the login the clients are configured with ({@code kafka.client.*}), created at format time.
 */
public final class KafkaBroker {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private KafkaBroker() {}

    /** The SCRAM login of {@code kafka.security=sasl_scram}: the clients' own, which the broker also uses itself. */
    record ScramLogin(String mechanism, String user, String password, String jaasConfig) {
        private static final Pattern FIELD = Pattern.compile("(username|password)\\s*=\\s*\"([^\"]*)\"");

        /** Empty for {@code plaintext}; fails with what is missing for {@code sasl_scram}. */
        static Optional<ScramLogin> of(final Settings settings) {
            final String mode = settings.require("kafka.security");
            if (mode.equals("plaintext")) {
                return Optional.empty();
            }
            if (!mode.equals("sasl_scram")) {
                throw new IllegalStateException("kafka.security must be plaintext or sasl_scram, was '" + mode + "'");
            }
            final String protocol = settings.get(KafkaClients.PREFIX + "security.protocol", "");
            final String mechanism = settings.get(KafkaClients.PREFIX + "sasl.mechanism", "");
            final String jaas = settings.get(KafkaClients.PREFIX + "sasl.jaas.config", "");
            if (!protocol.equals(SASL_LISTENER)
                    || !mechanism.matches("SCRAM-SHA-(256|512)")
                    || !jaas.contains("ScramLoginModule")) {
                throw new IllegalStateException("kafka.security=sasl_scram needs the clients' SCRAM login: "
                        + "KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_PLAINTEXT, KAFKA_CLIENT_SASL_MECHANISM=SCRAM-SHA-512 "
                        + "(or -256) and KAFKA_CLIENT_SASL_JAAS_CONFIG='org.apache.kafka.common.security.scram."
                        + "ScramLoginModule required username=\"..\" password=\"..\";'");
            }
            final Map<String, String> fields = new HashMap<>();
            final Matcher matcher = FIELD.matcher(jaas);
            while (matcher.find()) {
                fields.put(matcher.group(1), matcher.group(2));
            }
            if (!fields.containsKey("username") || !fields.containsKey("password")) {
                throw new IllegalStateException(
                        "KAFKA_CLIENT_SASL_JAAS_CONFIG has no username=\"..\" and password=\"..\"");
            }
            return Optional.of(new ScramLogin(mechanism, fields.get("username"), fields.get("password"), jaas));
        }

        /** The credential {@code kafka-storage format --add-scram} takes. */
        String formatArgument() {
            return mechanism + "=[name=" + user + ",password=" + password + "]";
        }
    }

    private static final String SASL_LISTENER = "SASL_PLAINTEXT";

    static Map<String, Object> brokerConfig(
            final String host,
            final int port,
            final int controllerPort,
            final Path logDir,
            final Optional<ScramLogin> scram) {
        final Map<String, Object> config = new HashMap<>(plaintextConfig(host, port, controllerPort, logDir));
        scram.ifPresent(login -> {
            // The controller listener stays PLAINTEXT on loopback: only this JVM's broker talks to it.
            config.put(
                    "listeners",
                    SASL_LISTENER + "://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
            config.put("advertised.listeners", SASL_LISTENER + "://" + host + ":" + port);
            config.put("listener.security.protocol.map", SASL_LISTENER + ":" + SASL_LISTENER + ",CONTROLLER:PLAINTEXT");
            config.put("inter.broker.listener.name", SASL_LISTENER);
            config.put("sasl.enabled.mechanisms", login.mechanism());
            config.put("sasl.mechanism.inter.broker.protocol", login.mechanism());
            config.put(
                    "listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + "."
                            + login.mechanism().toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    login.jaasConfig());
        });
        return config;
    }

    private static Map<String, Object> plaintextConfig(
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

    /** SCRAM credentials exist only in a cluster formatted with them: a PLAINTEXT data directory stays PLAINTEXT. */
    static void formatIfNeeded(final Path logDir, final Optional<ScramLogin> scram) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(logDir);
        new Formatter()
                .setScramArguments(
                        scram.map(login -> List.of(login.formatArgument())).orElse(List.of()))
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
        final Optional<ScramLogin> scram = ScramLogin.of(stack.settings());
        formatIfNeeded(logDir, scram);
        final KafkaRaftServer server = new KafkaRaftServer(
                new KafkaConfig(
                        brokerConfig(stack.kafkaHost(), stack.kafkaPort(), stack.kafkaControllerPort(), logDir, scram),
                        false),
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
        LOG.info(
                "Kafka broker ready on {}:{} ({}, data in {})",
                stack.kafkaHost(),
                stack.kafkaPort(),
                scram.map(login -> SASL_LISTENER + " " + login.mechanism() + " as " + login.user())
                        .orElse("PLAINTEXT"),
                logDir);
        stopped.await();
    }
}
