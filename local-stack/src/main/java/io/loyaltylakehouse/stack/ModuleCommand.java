package io.loyaltylakehouse.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command that runs a module's main class in its own JVM straight from the Maven build:
 * {@code java -Xmx.. -Dloyalty.component=<name> --add-opens.. -cp <module>/target/classes:<runtime.classpath> <main>}.
 * Used by the launcher, and by tests and benchmarks that must kill a component the way a crash would.
 */
public final class ModuleCommand {
    private ModuleCommand() {}

    /** Empty when the module has not been built ({@code mvn package} writes {@code target/runtime.classpath}). */
    public static Optional<List<String>> of(
            final Path repoDir, final String name, final String module, final String mainClass, final String heap) {
        return of(repoDir, name, module, mainClass, heap, List.of());
    }

    /** The same with JVM options (garbage collector, code cache) before the main class. */
    public static Optional<List<String>> of(
            final Path repoDir,
            final String name,
            final String module,
            final String mainClass,
            final String heap,
            final List<String> jvmOptions) {
        final Path moduleDir = repoDir.resolve(module);
        final Path classpathFile = moduleDir.resolve("target/runtime.classpath");
        if (!Files.exists(classpathFile) || !Files.isDirectory(moduleDir.resolve("target/classes"))) {
            return Optional.empty();
        }
        final String classpath;
        try {
            classpath = moduleDir.resolve("target/classes")
                    + File.pathSeparator
                    + Files.readString(classpathFile).trim();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + classpathFile, e);
        }
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + heap);
        command.add(Component.marker(name));
        command.addAll(jvmOptions);
        command.addAll(JavaOptions.OPENS);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        return Optional.of(command);
    }
}
