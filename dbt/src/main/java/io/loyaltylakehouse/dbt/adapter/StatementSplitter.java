package io.loyaltylakehouse.dbt.adapter;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements on {@code ;} the way dbt does before sending it to Trino (sqlparse):
 * semicolons inside quotes and comments do not split, trailing {@code ;} is dropped, pieces that hold only
 * comments and blanks are skipped.
 */
public final class StatementSplitter {
    private StatementSplitter() {
    }

    public static List<String> split(final String sql) {
        final List<String> statements = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            final char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                final int end = closing(sql, i, c);
                current.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                final int end = sql.indexOf('\n', i) < 0 ? sql.length() : sql.indexOf('\n', i);
                current.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                final int close = sql.indexOf("*/", i + 2);
                final int end = close < 0 ? sql.length() : close + 2;
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(statements, current.toString());
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current.toString());
        return statements;
    }

    /** Index just past the closing quote; a doubled quote is an escaped quote. */
    private static int closing(final String sql, final int start, final char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static void add(final List<String> statements, final String piece) {
        final String trimmed = piece.strip();
        if (!stripComments(trimmed).isBlank()) {
            statements.add(trimmed);
        }
    }

    static String stripComments(final String sql) {
        return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
    }
}
