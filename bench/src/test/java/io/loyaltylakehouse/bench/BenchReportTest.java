package io.loyaltylakehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    @TempDir
    Path dir;

    @Test
    void aRunAgainReplacesTheFiguresAndKeepsWhatWasWrittenByHandBelowTheMarker() throws Exception {
        final Path result = dir.resolve("stage.md");
        report("111").write(result);
        Files.writeString(
                result,
                Files.readString(result) + "\n" + BenchReport.BY_HAND + "\n\n## What holds it back\n\nthe decoder\n");

        report("222").write(result);

        final String written = Files.readString(result);
        assertThat(written).contains("| 222 |").doesNotContain("| 111 |");
        assertThat(written).containsOnlyOnce(BenchReport.BY_HAND);
        assertThat(written.substring(written.indexOf(BenchReport.BY_HAND)))
                .isEqualTo(BenchReport.BY_HAND + "\n\n## What holds it back\n\nthe decoder\n");
        assertThat(written.indexOf("| 222 |")).isLessThan(written.indexOf(BenchReport.BY_HAND));
    }

    @Test
    void aResultWithoutTheMarkerIsReplacedWhole() throws Exception {
        final Path result = dir.resolve("stage.md");
        Files.writeString(result, "# old\n\nold notes\n");

        report("333").write(result);

        assertThat(Files.readString(result)).contains("| 333 |").doesNotContain("old notes");
    }

    private static BenchReport report(final String figure) {
        return new BenchReport("stage").table("Figures", List.of("records/s"), List.of(List.of(figure)));
    }
}
