package io.loyaltylakehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's markdown result: the machine, the settings, then tables of figures. What a person wrote below
 * {@link #BY_HAND} in the previous result (what the figures mean, what was tried) is kept when the benchmark runs again.
 */
final class BenchReport {
    static final String BY_HAND = "<!-- written by hand below this line: kept when the benchmark runs again -->";

    private final String title;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> sections = new ArrayList<>();
    private final Map<String, BenchChart> charts = new LinkedHashMap<>();

    BenchReport(final String title) {
        this.title = title;
    }

    BenchReport setting(final String name, final Object value) {
        settings.put(name, String.valueOf(value));
        return this;
    }

    /** A table with a header row and rows of cells. */
    BenchReport table(final String heading, final List<String> header, final List<List<String>> rows) {
        final StringBuilder out = new StringBuilder("## ")
                .append(heading)
                .append("\n\n| ")
                .append(String.join(" | ", header))
                .append(" |\n|")
                .append("---|".repeat(header.size()))
                .append('\n');
        rows.forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
        sections.add(out.toString());
        return this;
    }

    BenchReport note(final String text) {
        sections.add(text + "\n");
        return this;
    }

    /** A chart saved beside the result as {@code <name>.png} (e.g. edge-streams-throughput) and shown at this place. */
    BenchReport chart(final String name, final String caption, final BenchChart chart) {
        charts.put(name, chart);
        sections.add("![" + caption + "](" + name + ".png)\n");
        return this;
    }

    void write(final Path file) throws IOException {
        final StringBuilder out = new StringBuilder("# ").append(title).append("\n\n");
        out.append("Run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" by `make bench`.\n\n");
        out.append("## Machine\n\n| what | value |\n|---|---|\n");
        machine()
                .forEach((key, value) ->
                        out.append("| ").append(key).append(" | ").append(value).append(" |\n"));
        out.append("\n## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((key, value) ->
                out.append("| ").append(key).append(" | ").append(value).append(" |\n"));
        sections.forEach(section -> out.append('\n').append(section));
        Files.createDirectories(file.getParent());
        for (final Map.Entry<String, BenchChart> chart : charts.entrySet()) {
            chart.getValue().write(file.resolveSibling(chart.getKey() + ".png"));
        }
        out.append(byHand(file));
        Files.writeString(file, out.toString());
        System.out.println("wrote " + file);
    }

    /** The previous result's text from the {@link #BY_HAND} line on, or nothing. */
    static String byHand(final Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        final String previous = Files.readString(file);
        final int at = previous.indexOf(BY_HAND);
        return at < 0 ? "" : "\n" + previous.substring(at);
    }

    static Map<String, String> machine() {
        final Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private static String firstMatch(final Path file, final String prefix) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
        } catch (final IOException e) {
            return "?";
        }
    }

    /** The nearest-rank percentile of sorted values; -1 when there are none. */
    static long percentile(final long[] sorted, final int percent) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    static String format(final double value) {
        return value >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }
}
