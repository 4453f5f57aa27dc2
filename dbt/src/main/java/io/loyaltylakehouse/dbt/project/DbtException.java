package io.loyaltylakehouse.dbt.project;

/**
 * A problem with the project, profile or command line (dbt exit code 2), or a compilation error of one node.
 * The message names the file and, where known, the line.
 */
public final class DbtException extends RuntimeException {
    public DbtException(final String message) {
        super(message);
    }

    public DbtException(final String message, final Throwable cause) {
        super(message, cause);
    }

    public static DbtException at(final String file, final int line, final String message) {
        return new DbtException(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
