package io.loyaltylakehouse.dbt.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import io.loyaltylakehouse.dbt.project.DbtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dbt's global template functions, as static methods Jinjava can register. Each finds the node being rendered
 * through the current interpreter's context ({@link #SCOPE_KEY}).
 */
public final class DbtFunctions {
    static final String SCOPE_KEY = "__dbt_render_scope__";
    private static final Logger LOG = LoggerFactory.getLogger(DbtFunctions.class);

    private DbtFunctions() {
    }

    static RenderScope scope() {
        final JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        final Object scope = interpreter == null ? null : interpreter.getContext().get(SCOPE_KEY);
        if (!(scope instanceof RenderScope renderScope)) {
            throw new DbtException("dbt context function called outside a node render");
        }
        return renderScope;
    }

    public static Object ref(final Object... args) {
        final List<String> names = new ArrayList<>();
        for (final Object arg : args) {
            if (arg instanceof NamedParameter named) {
                throw new DbtException("ref(): keyword argument '" + named.getName() + "' (model versions) is not supported");
            }
            names.add(String.valueOf(arg));
        }
        if (names.isEmpty() || names.size() > 2) {
            throw new DbtException("ref() takes 1 or 2 arguments, got " + names.size());
        }
        return scope().ref(names);
    }

    public static Object source(final String sourceName, final String tableName) {
        return scope().source(sourceName, tableName);
    }

    public static String config(final Object... args) {
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final Object arg : args) {
            if (arg instanceof NamedParameter named) {
                values.put(named.getName(), named.getValue());
            } else if (arg instanceof Map<?, ?> map) {
                map.forEach((key, value) -> values.put(String.valueOf(key), value));
            } else {
                throw new DbtException("config() takes keyword arguments only, got " + arg);
            }
        }
        scope().config(values);
        return "";
    }

    public static Object var(final Object... args) {
        if (args.length == 0 || args.length > 2) {
            throw new DbtException("var() takes 1 or 2 arguments");
        }
        return scope().var(String.valueOf(args[0]), args.length == 2 ? args[1] : null, args.length == 2);
    }

    public static String envVar(final Object... args) {
        if (args.length == 0 || args.length > 2) {
            throw new DbtException("env_var() takes 1 or 2 arguments");
        }
        return scope().envVar(String.valueOf(args[0]), args.length == 2 ? String.valueOf(args[1]) : null, args.length == 2);
    }

    public static boolean isIncremental() {
        return scope().isIncremental();
    }

    /**
     * Jinjava has no {@code return}: macros that {@code {{ return(x) }}} render x, which callers use as a string
     * (trimmed). Macros returning lists or dicts to other macros are not supported.
     */
    public static Object returnValue(final Object value) {
        return value;
    }

    public static String log(final Object... args) {
        if (args.length > 0) {
            LOG.info("{}", args[0]);
        }
        return "";
    }

    /** {@code exceptions.raise_compiler_error(msg)} and friends. */
    public static final class Exceptions {
        public String raise_compiler_error(final Object message) {
            throw new DbtException("Compilation Error: " + message);
        }

        public String warn(final Object message) {
            LOG.warn("{}", message);
            return "";
        }
    }

    /** The few {@code adapter.*} helpers templates use without touching the warehouse. */
    public static final class AdapterHelpers {
        public String quote(final Object identifier) {
            return '"' + String.valueOf(identifier).replace("\"", "\"\"") + '"';
        }
    }
}
