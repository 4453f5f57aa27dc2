"""The daily Iceberg table maintenance through Trino as loyalty_admin (the only user allowed table
procedures): for every table of iceberg.loyalty, `optimize` (compaction, which also folds the equality
and position deletes that the reconciler's upserts leave into data files), then `expire_snapshots`
and `remove_orphan_files` older than ICEBERG_MAINTENANCE_RETENTION (default 7d, Trino's minimum).

The password is read when the job runs (TRINO_PASSWORD_LOYALTY_ADMIN or $DATA_DIR/credentials.env) and
never enters the environment, so the dbt processes this instance starts do not see it."""

import os
import time

from dagster import OpExecutionContext, job, op

from .trino_login import TrinoLogin

SCHEMA = "iceberg.loyalty"


def statements(table: str, retention: str) -> list[str]:
    qualified = f"{SCHEMA}.{table}"
    return [
        f"alter table {qualified} execute optimize",
        f"alter table {qualified} execute expire_snapshots(retention_threshold => '{retention}')",
        f"alter table {qualified} execute remove_orphan_files(retention_threshold => '{retention}')",
    ]


@op
def maintain_loyalty_tables(context: OpExecutionContext) -> list[str]:
    retention = os.environ.get("ICEBERG_MAINTENANCE_RETENTION", "7d")
    connection = TrinoLogin.of("loyalty_admin").connect()
    try:
        cursor = connection.cursor()
        cursor.execute(f"show tables from {SCHEMA}")
        tables = sorted(row[0] for row in cursor.fetchall())
        for table in tables:
            for sql in statements(table, retention):
                started = time.monotonic()
                cursor.execute(sql)
                cursor.fetchall()
                procedure = sql.split(" execute ")[1].split("(")[0]
                context.log.info(f"{procedure} on {SCHEMA}.{table} took {time.monotonic() - started:.1f} s")
        return tables
    finally:
        connection.close()


@job(description="optimize, expire_snapshots and remove_orphan_files on every iceberg.loyalty table")
def iceberg_maintenance_job():
    maintain_loyalty_tables()
