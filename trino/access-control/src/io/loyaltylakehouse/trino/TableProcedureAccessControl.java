package io.loyaltylakehouse.trino;

import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemSecurityContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one decision Trino's file-based access control leaves open: it allows every table procedure
 * ({@code ALTER TABLE ... EXECUTE optimize | expire_snapshots | remove_orphan_files | rollback_to_snapshot}) to
 * every user who can see the table. Chained after the file-based rules ({@code access-control.config-files}),
 * this control denies them to everyone but the configured users and allows everything else, so the file-based
 * rules still decide all other statements.
 */
public final class TableProcedureAccessControl implements InvocationHandler {
    private final Set<String> allowedUsers;

    private TableProcedureAccessControl(final Set<String> allowedUsers) {
        this.allowedUsers = Set.copyOf(allowedUsers);
    }

    /** A {@link SystemAccessControl} that lets only {@code allowedUsers} run table procedures. */
    public static SystemAccessControl allowingOnly(final Set<String> allowedUsers) {
        return (SystemAccessControl) Proxy.newProxyInstance(SystemAccessControl.class.getClassLoader(),
                new Class<?>[] {SystemAccessControl.class}, new TableProcedureAccessControl(allowedUsers));
    }

    @Override
    public Object invoke(final Object proxy, final Method method, final Object[] args) {
        final String name = method.getName();
        if (name.equals("checkCanExecuteTableProcedure")) {
            final String user = ((SystemSecurityContext) args[0]).getIdentity().getUser();
            if (!allowedUsers.contains(user)) {
                AccessDeniedException.denyExecuteTableProcedure(((CatalogSchemaTableName) args[1]).toString(),
                        (String) args[2]);
            }
            return null;
        }
        return allowAll(proxy, method, args);
    }

    /** The answer of an allow-all control: checks pass, filters keep their input, nothing is masked. */
    private static Object allowAll(final Object proxy, final Method method, final Object[] args) {
        final Class<?> type = method.getReturnType();
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "TableProcedureAccessControl";
            };
        }
        if (type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return true;
        }
        if (method.getName().startsWith("filter")) {
            return args[args.length - 1];
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == List.class || type == Iterable.class || type == Collection.class) {
            return List.of();
        }
        if (type == Set.class) {
            return Set.of();
        }
        throw new UnsupportedOperationException("no allow-all answer for " + method);
    }
}
