package io.loyaltylakehouse.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code [#####.....] 52% 5200/10000 events 4980 ev/s} on stderr: redrawn in place on a terminal, a line every
 * 5 seconds otherwise (so logs of {@code make load} stay readable).
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long total;
    private final boolean inPlace;
    private final long redrawNanos;
    private final long startedAt = System.nanoTime();
    private long lastDrawn;

    ProgressBar(final PrintStream out, final long total, final boolean terminal) {
        this.out = out;
        this.total = total;
        this.inPlace = terminal;
        this.redrawNanos = terminal ? 200_000_000L : 5_000_000_000L;
        this.lastDrawn = startedAt;
    }

    void update(final long done) {
        final long now = System.nanoTime();
        if (now - lastDrawn >= redrawNanos) {
            lastDrawn = now;
            draw(done, now);
        }
    }

    void finish(final long done) {
        draw(done, System.nanoTime());
        if (inPlace) {
            out.println();
        }
    }

    private void draw(final long done, final long now) {
        final String line = render(done, total, (now - startedAt) / 1e9);
        if (inPlace) {
            out.print('\r' + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String render(final long done, final long total, final double seconds) {
        final double share = total == 0 ? 1 : (double) done / total;
        final int filled = (int) Math.round(share * WIDTH);
        final long rate = seconds <= 0 ? 0 : Math.round(done / seconds);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(
                        Locale.ROOT, "%3d%% %d/%d events %d ev/s", (int) Math.floor(share * 100), done, total, rate);
    }
}
