package io.loyaltylakehouse.edge.it;

import io.loyaltylakehouse.common.config.Settings;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker an IT runs against: the shared test stack's (KAFKA_BOOTSTRAP, read through {@link Settings}) when the
 * environment names one, else a single in-process KRaft node so the IT also runs on its own.
 */
final class TestBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestBroker.class);

    private final KafkaClusterTestKit embedded;
    private final String bootstrap;

    private TestBroker(final KafkaClusterTestKit embedded, final String bootstrap) {
        this.embedded = embedded;
        this.bootstrap = bootstrap;
    }

    static TestBroker start() throws Exception {
        if (System.getenv("KAFKA_BOOTSTRAP") != null) {
            final String bootstrap = Settings.load("edge-streams").require("kafka.bootstrap");
            LOG.info("Using the test stack's broker at {}", bootstrap);
            return new TestBroker(null, bootstrap);
        }
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        LOG.info("KAFKA_BOOTSTRAP not set: started an in-process broker at {}", cluster.bootstrapServers());
        return new TestBroker(cluster, cluster.bootstrapServers());
    }

    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }
}
