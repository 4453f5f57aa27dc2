package io.loyaltylakehouse.dbt.exec;

import io.loyaltylakehouse.dbt.project.DbtException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A parsed command line, dbt-style: {@code dbt build --select +orders --full-refresh --vars '{k: v}'}. */
public record Invocation(
        String command,
        List<String> select,
        List<String> exclude,
        boolean fullRefresh,
        String varsYaml,
        Optional<String> target,
        Path projectDir,
        Optional<Path> profilesDir,
        boolean warnError,
        boolean failFast,
        List<String> args) {

    public static final Set<String> COMMANDS = Set.of("build", "run", "test", "seed", "snapshot", "compile", "parse",
            "debug");

    public static Invocation parse(final String... argv) {
        if (argv.length == 0) {
            throw new DbtException("usage: dbt <" + String.join("|", COMMANDS.stream().sorted().toList())
                    + "> [--select ...] [--exclude ...] [--full-refresh] [--vars YAML] [--target T] "
                    + "[--project-dir DIR] [--profiles-dir DIR] [--warn-error] [--fail-fast]");
        }
        final String command = argv[0];
        if (!COMMANDS.contains(command)) {
            throw new DbtException("unknown command '" + command + "' (supported: " + COMMANDS.stream().sorted().toList() + ")");
        }
        final List<String> select = new ArrayList<>();
        final List<String> exclude = new ArrayList<>();
        boolean fullRefresh = false;
        boolean warnError = false;
        boolean failFast = false;
        String vars = "";
        Optional<String> target = Optional.empty();
        Path projectDir = Path.of("").toAbsolutePath();
        Optional<Path> profilesDir = Optional.empty();
        int i = 1;
        while (i < argv.length) {
            final String arg = argv[i];
            final boolean hasInline = arg.startsWith("--") && arg.contains("=");
            final String flag = hasInline ? arg.substring(0, arg.indexOf('=')) : arg;
            final String inline = hasInline ? arg.substring(arg.indexOf('=') + 1) : null;
            final int valueStep = hasInline ? 1 : 2;
            switch (flag) {
                case "-s", "--select", "-m", "--models" -> i = values(argv, i, inline, select);
                case "--exclude" -> i = values(argv, i, inline, exclude);
                case "--full-refresh", "-f" -> {
                    fullRefresh = true;
                    i++;
                }
                case "--warn-error" -> {
                    warnError = true;
                    i++;
                }
                case "--fail-fast", "-x" -> {
                    failFast = true;
                    i++;
                }
                case "--vars" -> {
                    vars = value(argv, i, inline, flag);
                    i += valueStep;
                }
                case "--target", "-t" -> {
                    target = Optional.of(value(argv, i, inline, flag));
                    i += valueStep;
                }
                case "--project-dir" -> {
                    projectDir = Path.of(value(argv, i, inline, flag)).toAbsolutePath();
                    i += valueStep;
                }
                case "--profiles-dir" -> {
                    profilesDir = Optional.of(Path.of(value(argv, i, inline, flag)).toAbsolutePath());
                    i += valueStep;
                }
                case "--threads" -> {
                    value(argv, i, inline, flag);
                    i += valueStep;
                }
                default -> throw new DbtException("unknown option '" + arg + "' for dbt " + command);
            }
        }
        return new Invocation(command, select, exclude, fullRefresh, vars, target, projectDir, profilesDir, warnError,
                failFast, List.of(argv));
    }

    /** Collects values after a list flag until the next option; returns the index of the next option. */
    private static int values(final String[] argv, final int at, final String inline, final List<String> into) {
        if (inline != null) {
            into.add(inline);
            return at + 1;
        }
        int i = at + 1;
        while (i < argv.length && !argv[i].startsWith("-")) {
            into.add(argv[i]);
            i++;
        }
        if (i == at + 1) {
            throw new DbtException("option " + argv[at] + " needs a value");
        }
        return i;
    }

    private static String value(final String[] argv, final int at, final String inline, final String flag) {
        if (inline != null) {
            return inline;
        }
        if (at + 1 >= argv.length) {
            throw new DbtException("option " + flag + " needs a value");
        }
        return argv[at + 1];
    }
}
