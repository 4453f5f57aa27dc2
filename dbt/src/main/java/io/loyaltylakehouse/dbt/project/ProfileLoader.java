package io.loyaltylakehouse.dbt.project;

import io.loyaltylakehouse.dbt.jinja.DbtJinja;
import io.loyaltylakehouse.dbt.jinja.RenderScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Finds and reads profiles.yml the way dbt does: {@code --profiles-dir}, then {@code DBT_PROFILES_DIR}, then the
 * working directory, then the project directory, then {@code ~/.dbt}. The file is rendered with {@code env_var()}
 * first, then the profile's target output is taken.
 */
public final class ProfileLoader {
    public static final String FILE = "profiles.yml";

    private ProfileLoader() {
    }

    public static Path locate(final Optional<Path> profilesDir, final Path projectDir, final Map<String, String> env) {
        final List<Path> candidates = new ArrayList<>();
        profilesDir.ifPresent(candidates::add);
        if (profilesDir.isEmpty()) {
            Optional.ofNullable(env.get("DBT_PROFILES_DIR")).map(Path::of).ifPresent(candidates::add);
            candidates.add(Path.of("").toAbsolutePath());
            candidates.add(projectDir);
            candidates.add(Path.of(System.getProperty("user.home"), ".dbt"));
        }
        for (final Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve(FILE))) {
                return dir.resolve(FILE);
            }
        }
        throw new DbtException("Could not find profiles.yml in " + candidates + " (use --profiles-dir)");
    }

    public static Target load(final Path file, final String profileName, final Optional<String> targetName,
                              final Map<String, String> env, final DbtJinja jinja) {
        final String text;
        try {
            text = Files.readString(file);
        } catch (final IOException e) {
            throw new DbtException("cannot read " + file + ": " + e.getMessage(), e);
        }
        final String rendered = jinja.render(file.toString(), 0, text, envOnly(env), Map.of());
        final Map<String, Object> profiles = Yamls.parse(file.toString(), rendered);
        if (!profiles.containsKey(profileName)) {
            throw new DbtException(file + ": profile '" + profileName + "' (named in dbt_project.yml) not found");
        }
        final Map<String, Object> profile = Yamls.map(profiles.get(profileName));
        final String name = targetName.orElse(Yamls.string(profile.get("target"), "dev"));
        final Map<String, Object> outputs = Yamls.map(profile.get("outputs"));
        if (!outputs.containsKey(name)) {
            throw new DbtException(file + ": target '" + name + "' not found in profile '" + profileName
                    + "' (outputs: " + outputs.keySet() + ")");
        }
        return target(file, profileName, name, Yamls.map(outputs.get(name)));
    }

    static Target target(final Path file, final String profileName, final String name, final Map<String, Object> out) {
        final String type = Yamls.string(out.get("type"), "");
        if (!"trino".equals(type)) {
            throw new DbtException(file + ": target '" + name + "' has type '" + type + "'; only trino is supported");
        }
        final String method = Yamls.string(out.get("method"), "none");
        if (!"none".equals(method) && !"ldap".equals(method)) {
            throw new DbtException(file + ": target '" + name + "': authentication method '" + method
                    + "' is not supported (none, ldap)");
        }
        final String database = Yamls.string(out.containsKey("database") ? out.get("database") : out.get("catalog"), null);
        final String schema = Yamls.string(out.get("schema"), null);
        if (database == null || schema == null) {
            throw new DbtException(file + ": target '" + name + "' needs 'database' (or 'catalog') and 'schema'");
        }
        final Map<String, String> session = new LinkedHashMap<>();
        Yamls.map(out.get("session_properties")).forEach((k, v) -> session.put(k, String.valueOf(v)));
        return new Target(profileName, name, type, method,
                Yamls.string(out.get("host"), "localhost"),
                Integer.parseInt(Yamls.string(out.get("port"), "8080")),
                Yamls.string(out.get("user"), System.getProperty("user.name")),
                out.get("password") == null ? null : String.valueOf(out.get("password")),
                database, schema,
                Integer.parseInt(Yamls.string(out.get("threads"), "1")),
                Yamls.string(out.get("timezone"), TimeZone.getDefault().getID()),
                Yamls.string(out.get("http_scheme"), "ldap".equals(method) ? "https" : "http"),
                session,
                Yamls.strings(out.get("client_tags")));
    }

    /** profiles.yml may only call env_var(). */
    static RenderScope envOnly(final Map<String, String> env) {
        return new RenderScope() {
            @Override
            public Object ref(final List<String> args) {
                throw new DbtException("ref() is not available in profiles.yml");
            }

            @Override
            public Object source(final String sourceName, final String tableName) {
                throw new DbtException("source() is not available in profiles.yml");
            }

            @Override
            public void config(final Map<String, Object> values) {
                throw new DbtException("config() is not available in profiles.yml");
            }

            @Override
            public Object var(final String varName, final Object fallback, final boolean hasFallback) {
                throw new DbtException("var() is not available in profiles.yml");
            }

            @Override
            public String envVar(final String varName, final String fallback, final boolean hasFallback) {
                return EnvVars.lookup(env, varName, fallback, hasFallback);
            }

            @Override
            public boolean isIncremental() {
                return false;
            }

            @Override
            public boolean executing() {
                return false;
            }
        };
    }
}
