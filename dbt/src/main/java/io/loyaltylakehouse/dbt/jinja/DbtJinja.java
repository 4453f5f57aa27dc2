package io.loyaltylakehouse.dbt.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.loyaltylakehouse.dbt.project.DbtException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template engine: Jinjava with dbt's context functions, the project's macros loaded once into a parent
 * context, and errors turned into {@link DbtException}s naming file and line.
 */
public final class DbtJinja {
    private static final Pattern TEST_BLOCK = Pattern.compile("\\{%(-?)\\s*test\\s+(\\w+)\\s*\\(");
    private static final Pattern END_TEST = Pattern.compile("\\{%(-?)\\s*endtest\\s*(-?)%}");
    private static final Pattern SINGLE_EXPRESSION = Pattern.compile("(?s)^\\s*\\{\\{(.*?)}}\\s*$");
    /** Package namespaces and warehouse calls the runner does not provide; silently rendering '' would be worse. */
    private static final Pattern UNSUPPORTED_CALL = Pattern.compile(
            "\\b(dbt_utils|dbt_expectations|dbt_date|codegen|audit_helper|modules|api)\\.\\w+"
                    + "|\\b(run_query|load_result|statement|graph)\\s*\\("
                    + "|\\badapter\\.(?!quote\\b)\\w+");
    private static final java.util.Set<String> CROSS_DB = java.util.Arrays.stream(CrossDatabaseMacros.class
            .getDeclaredMethods()).map(java.lang.reflect.Method::getName).collect(java.util.stream.Collectors.toSet());
    private static final Pattern DBT_CALL = Pattern.compile("\\bdbt\\.(\\w+)");
    private static final Pattern UNSUPPORTED_BLOCK = Pattern.compile("\\{%-?\\s*(materialization|docs)\\b");

    private final Jinjava jinjava;
    private final Context macros;

    public DbtJinja() {
        jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false).build());
        final Context global = jinjava.getGlobalContext();
        register(global, "ref", "ref", Object[].class);
        register(global, "source", "source", String.class, String.class);
        register(global, "config", "config", Object[].class);
        register(global, "var", "var", Object[].class);
        register(global, "env_var", "envVar", Object[].class);
        register(global, "is_incremental", "isIncremental");
        register(global, "return", "returnValue", Object.class);
        register(global, "log", "log", Object[].class);
        global.registerFilter(new NamedFilter("as_bool", value -> value == null ? null
                : value instanceof Boolean ? value : Boolean.valueOf(String.valueOf(value).trim().toLowerCase(Locale.ROOT))));
        global.registerFilter(new NamedFilter("as_number", value -> value == null || value instanceof Number ? value
                : new java.math.BigDecimal(String.valueOf(value).trim())));
        global.registerFilter(new NamedFilter("as_text", value -> value == null ? "" : String.valueOf(value)));
        global.registerFilter(new NamedFilter("as_native", value -> value));
        global.put("exceptions", new DbtFunctions.Exceptions());
        macros = new Context(global);
    }

    private static void register(final Context context, final String name, final String method, final Class<?>... types) {
        context.registerFunction(new ELFunctionDefinition("", name, DbtFunctions.class, method, types));
    }

    /** Loads a macro file ({@code {% macro %}} and {@code {% test %}} blocks) into the shared macro context. */
    public void loadMacros(final String file, final String text) {
        final Matcher unsupported = UNSUPPORTED_BLOCK.matcher(text);
        if (unsupported.find()) {
            throw DbtException.at(file, lineOf(text, unsupported.start()),
                    "{% " + unsupported.group(1) + " %} blocks are not supported by the JVM runner");
        }
        final JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, macros, jinjava.getGlobalConfig());
        interpreter.render(asMacros(text));
        failOnErrors(file, 0, interpreter.getErrorsCopy());
    }

    /** {@code {% test name(args) %}} is a macro named {@code test_name}, as dbt registers generic tests. */
    static String asMacros(final String text) {
        final String opened = TEST_BLOCK.matcher(text).replaceAll("{%$1 macro test_$2(");
        return END_TEST.matcher(opened).replaceAll("{%$1 endmacro $2%}");
    }

    public boolean hasMacro(final String name) {
        return macros.getGlobalMacro(name) != null;
    }

    /**
     * Renders a template for one node. {@code lineOffset} is added to reported lines (a snapshot block starts
     * inside its file).
     */
    public String render(final String file, final int lineOffset, final String template, final RenderScope scope,
                         final Map<String, Object> variables) {
        rejectUnsupported(file, lineOffset, template);
        final JinjavaInterpreter interpreter = interpreter(scope, variables);
        final String out;
        try {
            out = interpreter.render(template);
        } catch (final DbtException e) {
            throw DbtException.at(file, lineOffset, e.getMessage());
        } catch (final RuntimeException e) {
            throw DbtException.at(file, lineOffset, "template error: " + e.getMessage());
        }
        failOnErrors(file, lineOffset, interpreter.getErrorsCopy());
        return out;
    }

    private static void rejectUnsupported(final String file, final int lineOffset, final String template) {
        final Matcher call = UNSUPPORTED_CALL.matcher(template);
        if (call.find() && insideJinja(template, call.start())) {
            throw DbtException.at(file, lineOffset + lineOf(template, call.start()), "'" + call.group().trim()
                    + "' is not supported by the JVM runner (no packages, run_query or adapter methods besides quote)");
        }
        final Matcher dbt = DBT_CALL.matcher(template);
        while (dbt.find()) {
            if (insideJinja(template, dbt.start()) && !CROSS_DB.contains(dbt.group(1))) {
                throw DbtException.at(file, lineOffset + lineOf(template, dbt.start()), "cross-database macro 'dbt."
                        + dbt.group(1) + "' is not supported by the JVM runner (supported: " + new java.util.TreeSet<>(CROSS_DB) + ")");
            }
        }
    }

    /** Whether an index lies inside a {{ }} or {% %} block (not in plain SQL text or comments). */
    private static boolean insideJinja(final String template, final int index) {
        final int open = Math.max(template.lastIndexOf("{{", index), template.lastIndexOf("{%", index));
        if (open < 0) {
            return false;
        }
        final int close = Math.max(template.lastIndexOf("}}", index), template.lastIndexOf("%}", index));
        return close < open;
    }

    /**
     * Evaluates one expression to its native value, as dbt does for {@code "{{ var('x') }}"} in YAML
     * arguments (a list stays a list).
     */
    public Object evaluate(final String file, final String expression, final RenderScope scope,
                           final Map<String, Object> variables) {
        final JinjavaInterpreter interpreter = interpreter(scope, variables);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            final Object value = interpreter.resolveELExpression(expression, 0);
            failOnErrors(file, 0, interpreter.getErrorsCopy());
            return value;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** A value that is exactly one {@code {{ expression }}} evaluates natively; other strings render as text. */
    public Object renderNative(final String file, final Object value, final RenderScope scope,
                               final Map<String, Object> variables) {
        if (!(value instanceof String text) || !text.contains("{{")) {
            return value;
        }
        final Matcher single = SINGLE_EXPRESSION.matcher(text);
        return single.matches() ? evaluate(file, single.group(1), scope, variables) : render(file, 0, text, scope, variables);
    }

    private JinjavaInterpreter interpreter(final RenderScope scope, final Map<String, Object> variables) {
        final Context context = new Context(macros);
        context.putAll(variables);
        context.put(DbtFunctions.SCOPE_KEY, scope);
        context.put("execute", scope.executing());
        context.put("adapter", new DbtFunctions.AdapterHelpers());
        context.put("dbt", new CrossDatabaseMacros());
        return new JinjavaInterpreter(jinjava, context, jinjava.getGlobalConfig());
    }

    /** Calls a project macro, e.g. {@code generate_schema_name(custom, node)}, and returns its trimmed output. */
    public String callMacro(final String name, final List<Object> args, final RenderScope scope,
                            final Map<String, Object> variables) {
        final Map<String, Object> vars = new LinkedHashMap<>(variables);
        final StringBuilder call = new StringBuilder("{{ ").append(name).append('(');
        for (int i = 0; i < args.size(); i++) {
            vars.put("__dbt_arg" + i, args.get(i));
            call.append(i == 0 ? "" : ", ").append("__dbt_arg").append(i);
        }
        call.append(") }}");
        return render("macro " + name, 0, call.toString(), scope, vars).trim();
    }

    /** Calls a macro with keyword arguments (custom generic tests: {@code test_x(model=…, column_name=…)}). */
    public String callMacroNamed(final String file, final String name, final Map<String, Object> kwargs,
                                 final RenderScope scope, final Map<String, Object> variables) {
        final Map<String, Object> vars = new LinkedHashMap<>(variables);
        final List<String> args = new java.util.ArrayList<>();
        int i = 0;
        for (final Map.Entry<String, Object> e : kwargs.entrySet()) {
            vars.put("__dbt_kw" + i, e.getValue());
            args.add(e.getKey() + "=__dbt_kw" + i);
            i++;
        }
        return render(file, 0, "{{ " + name + "(" + String.join(", ", args) + ") }}", scope, vars);
    }

    private static void failOnErrors(final String file, final int lineOffset, final List<TemplateError> errors) {
        for (final TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                final int line = error.getLineno() > 0 ? error.getLineno() + lineOffset : lineOffset;
                throw DbtException.at(file, line, cleanMessage(error));
            }
        }
    }

    private static String cleanMessage(final TemplateError error) {
        Throwable cause = error.getException();
        while (cause != null) {
            if (cause instanceof DbtException dbt) {
                return dbt.getMessage();
            }
            cause = cause.getCause();
        }
        return error.getMessage();
    }

    public static int lineOf(final String text, final int index) {
        int line = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** A one-argument filter from a lambda. */
    private record NamedFilter(String getName, java.util.function.UnaryOperator<Object> body) implements Filter {
        @Override
        public Object filter(final Object var, final JinjavaInterpreter interpreter, final String... args) {
            return body.apply(var);
        }
    }
}
