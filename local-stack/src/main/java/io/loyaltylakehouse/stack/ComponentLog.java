package io.loyaltylakehouse.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.rolling.DefaultRolloverStrategy;
import org.apache.logging.log4j.core.appender.rolling.SizeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * One component's log file, {@code <logs>/<name>.log}, fed line by line from the child's output and rolled by
 * size with log4j2's rolling file appender: {@code <name>.log.1} .. {@code <name>.log.<keep>}, so a long-running
 * stack never fills the disk. The lines are written as the child printed them (it has its own timestamps).
 */
final class ComponentLog implements AutoCloseable {
    private final RollingFileAppender appender;

    ComponentLog(final String name, final Path file, final String maxSize, final int keep) {
        final DefaultConfiguration configuration = new DefaultConfiguration();
        appender = RollingFileAppender.newBuilder()
                .setName(name)
                .withFileName(file.toString())
                .withFilePattern(file + ".%i")
                .withAppend(true)
                .withImmediateFlush(true)
                .withPolicy(SizeBasedTriggeringPolicy.createPolicy(maxSize))
                .withStrategy(DefaultRolloverStrategy.newBuilder()
                        .withMin("1")
                        .withMax(Integer.toString(keep))
                        .withFileIndex("min")
                        .withConfig(configuration)
                        .build())
                .setLayout(PatternLayout.newBuilder()
                        .withPattern("%m%n")
                        .withConfiguration(configuration)
                        .build())
                .setConfiguration(configuration)
                .build();
        appender.start();
    }

    /** Copies the child's output into the log on a daemon thread until the stream ends (the child exited). */
    Thread pump(final String name, final InputStream output) {
        final Thread thread = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            write(line);
                        }
                    } catch (final IOException e) {
                        write("[supervisor] output of " + name + " ended: " + e.getMessage());
                    }
                },
                name + "-log");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One line, as the supervisor notes it (a start, a crash) or as the child printed it. */
    void write(final String line) {
        final LogEvent event = Log4jLogEvent.newBuilder()
                .setLevel(Level.INFO)
                .setMessage(new SimpleMessage(line))
                .build();
        appender.append(event);
    }

    @Override
    public void close() {
        appender.stop();
    }
}
