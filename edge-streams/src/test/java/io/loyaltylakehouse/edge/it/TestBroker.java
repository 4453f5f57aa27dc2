package io.loyaltylakehouse.edge.it;

import io.loyaltylakehouse.common.config.Settings;

/** The broker ITs run against: the shared test stack's, named by KAFKA_BOOTSTRAP and read through {@link Settings}. */
final class TestBroker {
    private TestBroker() {}

    static String bootstrap() {
        if (System.getenv("KAFKA_BOOTSTRAP") == null) {
            throw new IllegalStateException("EdgeStreamsIT needs a real broker: run `make test-stack-up` and "
                    + "`eval $(make -s test-stack-env)` first (or set KAFKA_BOOTSTRAP)");
        }
        return Settings.load("edge-streams").require("kafka.bootstrap");
    }
}
