package io.loyaltylakehouse.cdc.legacy;

import java.util.List;

/** The captured tables of the legacy database (CONTRACT section 5), as {@code schema.table}. */
public final class LegacyTables {
    public static final String MEMBERS = "legacy.members";
    public static final String TRANSACTIONS = "legacy.points_transactions";
    public static final List<String> CAPTURED = List.of(MEMBERS, TRANSACTIONS);

    private LegacyTables() {}
}
