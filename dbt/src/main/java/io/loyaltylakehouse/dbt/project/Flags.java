package io.loyaltylakehouse.dbt.project;

import java.time.Instant;
import java.util.Map;

/** What one invocation passes to every render: --vars, the environment, --full-refresh, the command. */
public record Flags(Map<String, Object> cliVars, Map<String, String> env, boolean fullRefresh, String command,
                    String invocationId, Instant startedAt) {
    public Flags {
        cliVars = Map.copyOf(cliVars);
        env = Map.copyOf(env);
    }
}
