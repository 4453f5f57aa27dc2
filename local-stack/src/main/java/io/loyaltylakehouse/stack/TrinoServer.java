package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Trino coordinator: configuration rendered from {@code trino/etc} (placeholders filled from the
 * shared settings and the {@link LocalSecrets}) into a data directory only its owner can read, started
 * directly as {@code java ... TrinoServer} with a Java 22+ runtime and only the plugins in the cache
 * (iceberg, and the project's table-procedure access control built from {@code trino/access-control}).
 * Clients use HTTPS with a password; the health check uses the internal HTTP port's public {@code /v1/info}.
 */
final class TrinoServer {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9.\\-]+)}");

    private TrinoServer() {}

    static Component component(final StackSettings stack) {
        final int port = stack.trinoUrl().getPort();
        final Path home = stack.repoDir().resolve(stack.settings().require("trino.home"));
        final Optional<List<String>> command =
                Files.isDirectory(home.resolve("lib")) ? Optional.of(command(stack, home)) : Optional.empty();
        return new Component(
                "trino",
                stack.trinoUrl().toString(),
                command,
                HealthChecks.http(internalUrl(stack) + "/v1/info", body -> body.contains("\"starting\":false")),
                true);
    }

    /** Trino's own HTTP port on loopback: internal calls (shared secret) and unauthenticated {@code /v1/info}. */
    static String internalUrl(final StackSettings stack) {
        return "http://127.0.0.1:" + stack.settings().requireInt("trino.internal.port");
    }

    /** Renders {@code trino/etc} into {@code <data>/trino/etc}; done before each start so settings changes apply. */
    static void renderConfig(final StackSettings stack) {
        final LocalSecrets secrets = new LocalSecrets(stack.dataDir());
        final Credentials credentials = Credentials.load(stack.dataDir(), System.getenv());
        final Map<String, String> values =
                new java.util.HashMap<>(stack.settings().asMap());
        values.put("trino.port", Integer.toString(stack.trinoUrl().getPort()));
        values.put("trino.etc", etcDir(stack).toString());
        values.put("trino.data", stack.dataDir().resolve("trino/data").toString());
        values.put("trino.tls.keystore", secrets.serverKeyAndCertificate().toString());
        values.put("trino.shared.secret", credentials.secret(LocalSecrets.TRINO_SHARED_SECRET));
        final io.loyaltylakehouse.iceberg.CatalogSettings catalog =
                io.loyaltylakehouse.iceberg.CatalogSettings.from(stack.settings());
        values.put("iceberg.warehouse", catalog.warehouse());
        values.put("pg.catalog.password", catalog.requirePassword());
        try {
            LocalSecrets.ownerOnlyDirectory(stack.dataDir().resolve("trino"));
            render(stack.repoDir().resolve("trino/etc"), etcDir(stack), values);
            LocalSecrets.writeOwnerOnly(etcDir(stack).resolve("password.db"), secrets.trinoPasswordFile(credentials));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write Trino's configuration under " + etcDir(stack), e);
        }
        TrinoAccessPlugin.build(
                stack.repoDir().resolve("trino/access-control"),
                stack.repoDir().resolve(stack.settings().require("trino.home")),
                javaHome(stack));
    }

    private static Path etcDir(final StackSettings stack) {
        return stack.dataDir().resolve("trino/etc");
    }

    private static List<String> command(final StackSettings stack, final Path home) {
        final Path etc = etcDir(stack);
        final List<String> command = new ArrayList<>();
        command.add(javaHome(stack).resolve("bin/java").toString());
        command.add(Component.marker("trino"));
        command.add("-Xmx" + stack.settings().require("trino.heap"));
        command.addAll(readLines(stack.repoDir().resolve("trino/etc/jvm.config")));
        command.addAll(stack.javaOptions());
        command.add("-Dnode.data-dir=" + stack.dataDir().resolve("trino/data"));
        for (final String line : readLines(stack.repoDir().resolve("trino/etc/node.properties"))) {
            if (!line.startsWith("node.data-dir")) {
                command.add("-D" + line);
            }
        }
        command.add("-Dconfig=" + etc.resolve("config.properties"));
        command.add("-Dlog.levels-file=" + etc.resolve("log.properties"));
        command.add("-Dcatalog.config-dir=" + etc.resolve("catalog"));
        command.add("-Dplugin.dir=" + home.resolve("plugin"));
        command.add("-cp");
        command.add(home.resolve("lib") + "/*");
        command.add("io.trino.server.TrinoServer");
        return command;
    }

    /**
     * Trino 476 needs Java 22+. Taken from {@code TRINO_JAVA_HOME} (setting {@code trino.java.home}), else the
     * newest JDK of version 22 or later under /usr/lib/jvm.
     */
    static Path javaHome(final StackSettings stack) {
        final String configured = stack.settings().get("trino.java.home", "");
        if (!configured.isEmpty()) {
            return Path.of(configured);
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> majorVersion(jdk) >= 22)
                    .max(java.util.Comparator.comparingInt(TrinoServer::majorVersion))
                    .orElseThrow(TrinoServer::noJava);
        } catch (final IOException e) {
            throw noJava();
        }
    }

    private static IllegalStateException noJava() {
        return new IllegalStateException("Trino 476 needs a Java 22 or newer runtime and none was found under "
                + "/usr/lib/jvm: install one and set TRINO_JAVA_HOME to its directory");
    }

    static int majorVersion(final Path jdk) {
        final Path release = jdk.resolve("release");
        if (!Files.exists(release) || !Files.exists(jdk.resolve("bin/java"))) {
            return 0;
        }
        try {
            final Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (final IOException e) {
            return 0;
        }
    }

    /** Copies the templates, replacing {@code ${key}} with the setting; an unknown key is an error. */
    static void render(final Path templates, final Path target, final Map<String, String> values) {
        try (Stream<Path> files = Files.walk(templates)) {
            for (final Path source : files.filter(Files::isRegularFile).toList()) {
                final Path destination =
                        target.resolve(templates.relativize(source).toString());
                // Rendered files hold the catalog's database password and the shared secret: owner-only.
                LocalSecrets.writeOwnerOnly(destination, fill(Files.readString(source), values, source));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot render Trino configuration from " + templates, e);
        }
    }

    static String fill(final String template, final Map<String, String> values, final Path source) {
        final Matcher matcher = PLACEHOLDER.matcher(template);
        final StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            final String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(source + ": no setting for placeholder ${" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static List<String> readLines(final Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
