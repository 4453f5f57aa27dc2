"""When the dbt project runs. Cron expressions come from the environment (defaults in brackets):
DBT_SNAPSHOT_CRON [*/15 * * * *] builds the snapshots (and what they read), DBT_BUILD_CRON
[0 * * * *] builds everything, ICEBERG_MAINTENANCE_CRON [30 3 * * *] runs the Iceberg table
maintenance. All in UTC, running as soon as the daemon starts."""

import os

from dagster import DefaultScheduleStatus, ScheduleDefinition
from dagster_dbt import build_schedule_from_dbt_selection

from .assets import loyalty_dbt_assets
from .maintenance import iceberg_maintenance_job

SNAPSHOT_CRON = os.environ.get("DBT_SNAPSHOT_CRON", "*/15 * * * *")
BUILD_CRON = os.environ.get("DBT_BUILD_CRON", "0 * * * *")
MAINTENANCE_CRON = os.environ.get("ICEBERG_MAINTENANCE_CRON", "30 3 * * *")

# `dbt build --select +resource_type:snapshot`: the snapshots with the models they read (the ledger
# merge is incremental, so this stays cheap), so user_balance_snapshot records current balances and a
# fresh stack needs no full build first.
dbt_snapshot_schedule = build_schedule_from_dbt_selection(
    [loyalty_dbt_assets],
    job_name="dbt_snapshot",
    cron_schedule=SNAPSHOT_CRON,
    dbt_select="+resource_type:snapshot",
    schedule_name="dbt_snapshot_schedule",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
)

dbt_build_schedule = build_schedule_from_dbt_selection(
    [loyalty_dbt_assets],
    job_name="dbt_build",
    cron_schedule=BUILD_CRON,
    schedule_name="dbt_build_schedule",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
)

iceberg_maintenance_schedule = ScheduleDefinition(
    name="iceberg_maintenance_schedule",
    job=iceberg_maintenance_job,
    cron_schedule=MAINTENANCE_CRON,
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
)
