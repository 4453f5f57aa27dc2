package io.loyaltylakehouse.common.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * What every Kafka client of the project (producers, consumers, admins, Streams, Flink's connectors, Debezium's
 * producer) shares: {@code kafka.bootstrap} and the client security settings under {@code kafka.client.*}
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), so one set of variables points the whole stack at a
 * secured cluster ({@code KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL}, {@code KAFKA_CLIENT_SASL_JAAS_CONFIG=...}).
 * Empty settings are left out: the local broker is PLAINTEXT on loopback.
 */
public final class KafkaClients {
    public static final String PREFIX = "kafka.client.";

    private KafkaClients() {}

    /** {@code bootstrap.servers} plus every non-empty {@code kafka.client.*} setting, as Kafka client configs. */
    public static Map<String, Object> config(final Settings settings) {
        final Map<String, Object> config = new TreeMap<>(security(settings));
        config.put("bootstrap.servers", settings.require("kafka.bootstrap"));
        return config;
    }

    /** Only the {@code kafka.client.*} settings, for clients that are given their bootstrap servers separately. */
    public static Map<String, String> security(final Settings settings) {
        final Map<String, String> out = new TreeMap<>();
        settings.withPrefix(PREFIX.substring(0, PREFIX.length() - 1))
                .forEach((key, value) -> out.put((String) key, (String) value));
        return out;
    }
}
