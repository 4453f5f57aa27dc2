package io.loyaltylakehouse.load;

import io.loyaltylakehouse.common.config.Settings;
import java.util.HashMap;
import java.util.Map;

/**
 * Command-line options over the settings of load-generator.properties: {@code --rate/--events/--seed/--truth/
 * --run-id/--start <value>} (also as {@code --name=value}) replace the setting of the same meaning;
 * {@code --dry-run}, {@code --realtime-only} and {@code --legacy-only} choose what the run touches.
 */
record LoadOptions(Settings settings, boolean dryRun, boolean realtime, boolean legacy) {

    static final String USAGE = "usage: LoadGenerator [--events N] [--rate EVENTS_PER_S] [--seed N] [--truth FILE]"
            + " [--run-id ID] [--start ISO_INSTANT] [--dry-run] [--realtime-only | --legacy-only]";

    private static final Map<String, String> VALUED = Map.of(
            "--rate",
            "rate",
            "--events",
            "events",
            "--seed",
            "seed",
            "--truth",
            "truth",
            "--run-id",
            "load.run-id",
            "--start",
            "load.start");

    static LoadOptions parse(final Settings settings, final String... args) {
        final Map<String, String> overrides = new HashMap<>();
        boolean dryRun = false;
        boolean realtimeOnly = false;
        boolean legacyOnly = false;
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String name = equals > 0 ? arg.substring(0, equals) : arg;
            switch (name) {
                case "--dry-run" -> dryRun = true;
                case "--realtime-only" -> realtimeOnly = true;
                case "--legacy-only" -> legacyOnly = true;
                default -> {
                    final String key = VALUED.get(name);
                    if (key == null) {
                        throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
                    }
                    if (equals > 0) {
                        overrides.put(key, arg.substring(equals + 1));
                    } else if (i + 1 < args.length) {
                        overrides.put(key, args[++i]);
                    } else {
                        throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
                    }
                }
            }
        }
        if (realtimeOnly && legacyOnly) {
            throw new IllegalArgumentException("--realtime-only and --legacy-only exclude each other\n" + USAGE);
        }
        return new LoadOptions(settings.with(overrides), dryRun, !legacyOnly, !realtimeOnly);
    }
}
