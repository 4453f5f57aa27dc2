package io.loyaltylakehouse.trino;

import io.trino.spi.Plugin;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemAccessControlFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Registers {@code access-control.name=loyalty-table-procedures} (setting {@code table-procedures.users}). */
public final class LoyaltyAccessPlugin implements Plugin {
    static final String NAME = "loyalty-table-procedures";
    static final String USERS = "table-procedures.users";

    @Override
    public Iterable<SystemAccessControlFactory> getSystemAccessControlFactories() {
        return List.of(new SystemAccessControlFactory() {
            @Override
            public String getName() {
                return NAME;
            }

            @Override
            public SystemAccessControl create(final Map<String, String> config, final SystemAccessControlContext context) {
                final String users = config.get(USERS);
                if (users == null || users.isBlank()) {
                    throw new IllegalArgumentException(NAME + ": " + USERS + " must name the users allowed to run "
                            + "table procedures");
                }
                return TableProcedureAccessControl.allowingOnly(Arrays.stream(users.split(","))
                        .map(String::trim).filter(user -> !user.isEmpty()).collect(Collectors.toUnmodifiableSet()));
            }
        });
    }
}
