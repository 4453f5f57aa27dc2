package io.loyaltylakehouse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A benchmark's chart, drawn with XChart and saved as a PNG beside its result ({@link BenchReport#chart}): throughput
 * over time per stage with its baseline, progress over time (records committed so far), a latency distribution (each sample's latency against its percentile), or
 * bars of figures side by side (a run against its baseline).
 */
final class BenchChart {
    static {
        // the benchmarks run without a display
        System.setProperty("java.awt.headless", "true");
    }

    /** One line of a chart: x and y values of the same length. */
    record Series(String name, double[] x, double[] y) {}

    private final Chart<?, ?> chart;

    private BenchChart(final Chart<?, ?> chart) {
        this.chart = chart;
    }

    /** Records/s over the seconds since each series' start (see {@link ThroughputSampler}). */
    static BenchChart throughput(final String title, final List<Series> series) {
        return lines(title, "seconds since start", "records/s", series);
    }

    /** One line per series, e.g. records committed so far against seconds since a job was submitted. */
    static BenchChart lines(final String title, final String xTitle, final String yTitle, final List<Series> series) {
        final XYChart chart = base(title, xTitle, yTitle);
        series.stream()
                .filter(line -> line.x().length > 0) // a run shorter than one sample has no line
                .forEach(
                        line -> chart.addSeries(line.name(), line.x(), line.y()).setMarker(SeriesMarkers.NONE));
        return new BenchChart(chart);
    }

    /** Latency against percentile for each named set of samples (sorted or not), on a log scale. */
    static BenchChart latency(final String title, final String unit, final Map<String, long[]> samples) {
        final XYChart chart = base(title, "percentile", unit);
        chart.getStyler().setYAxisLogarithmic(true);
        samples.forEach((name, values) -> {
            final long[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            if (sorted.length == 0) {
                return;
            }
            final double[] x = new double[sorted.length];
            final double[] y = new double[sorted.length];
            for (int index = 0; index < sorted.length; index++) {
                x[index] = 100.0 * (index + 1) / sorted.length;
                y[index] = Math.max(1, sorted[index]);
            }
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        return new BenchChart(chart);
    }

    /** Bars per category (x) for each named series: {@code values.get(series).get(i)} belongs to categories[i]. */
    static BenchChart bars(
            final String title,
            final String unit,
            final List<String> categories,
            final Map<String, List<Double>> values) {
        final CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(900, 90 * categories.size()))
                .height(500)
                .title(title)
                .yAxisTitle(unit)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(30);
        values.forEach((name, series) -> chart.addSeries(name, categories, series));
        return new BenchChart(chart);
    }

    private static XYChart base(final String title, final String xTitle, final String yTitle) {
        final XYChart chart = new XYChartBuilder()
                .width(900)
                .height(450)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    void write(final Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
