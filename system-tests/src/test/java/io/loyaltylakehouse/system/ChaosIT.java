package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.load.chaos.ChaosRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short {@code make chaos}: 4,500 events while every component of the stack (edge-streams, cdc-bridge,
 * flink-reconciler, Trino, the Kafka broker, PostgreSQL, the dbt orchestrator) is killed with SIGKILL once; then
 * every user's real-time outputs and lakehouse rows must equal the truth, and every component must have recovered.
 */
class ChaosIT {
    @TempDir
    Path workDir;

    @Test
    void everyComponentKilledOnceAndNothingIsLostMovedOrCountedTwice() throws Exception {
        final Settings settings = Settings.load("load-generator")
                .with(Map.of(
                        "chaos.results",
                        workDir.resolve("chaos.md").toString(),
                        // behind the other system tests' loads the run must go ahead of the wall clock, which then
                        // paces it: 2 minutes ahead instead of 5 still cover every kill
                        "load.max-ahead",
                        "2m"));
        final ChaosRun.Result result = ChaosRun.run(
                settings,
                // 75 s at 60/s: the seven kills, each after the previous recovery (84 s in all with 3,000 events,
                // whose load the restarts stretched to 119 s), fall within the load even if they barely slow it
                "--events",
                "4500",
                "--rate",
                "60",
                "--seed",
                "5",
                "--truth",
                workDir.resolve("truth.json").toString(),
                "--run-id",
                "chaos" + UUID.randomUUID().toString().substring(0, 6));

        assertThat(result.missing()).isEmpty();
        assertThat(result.killedAfterLoad())
                .as("killed only after the last send")
                .isEmpty();
        assertThat(result.kills())
                .extracting(ChaosRun.Kill::component)
                .containsExactlyElementsOf(
                        List.of(settings.require("chaos.components").split(",")));
        assertThat(result.kills())
                .allSatisfy(
                        kill -> assertThat(kill.recovery()).as(kill.component()).isNotNull());
        // the load's progress is sampled at each kill and recovery, in order, and all of it is accounted for
        final List<Long> sentAtEachStep = result.kills().stream()
                .flatMap(kill -> java.util.stream.Stream.of(kill.sentAtKill(), kill.sentRecovered()))
                .toList();
        assertThat(sentAtEachStep).isSorted();
        assertThat(sentAtEachStep.get(sentAtEachStep.size() - 1)).isPositive();
        assertThat(result.allUp()).isPositive().isLessThan(result.loading());
        assertThat(result.sentWhileAllUp())
                .isPositive()
                .isLessThanOrEqualTo(result.truth().run().events());
        assertThat(result.mismatches()).isEmpty();
        assertThat(result.truth().run().complete()).isTrue();
        assertThat(result.truth().run().orderHeld()).isTrue();
    }
}
