"""Everything Dagster runs for the loyalty lakehouse, in one place (open this first):

- the dbt project dbt/project as assets (assets.py), run by dbt-core with dbt-trino as user `dbt`
- schedules (schedules.py): snapshots every 15 minutes, a full `dbt build` hourly, Iceberg maintenance
  daily (maintenance.py)

Started by the local stack as `dagster-webserver` (127.0.0.1:3000) and `dagster-daemon`, which runs
the schedules; `make dagster` starts both in the foreground."""

import sys
from pathlib import Path

from dagster import Definitions, in_process_executor
from dagster_dbt import DbtCliResource

from .assets import loyalty_dbt_assets
from .maintenance import iceberg_maintenance_job
from .project import loyalty_project
from .schedules import dbt_build_schedule, dbt_snapshot_schedule, iceberg_maintenance_schedule

defs = Definitions(
    assets=[loyalty_dbt_assets],
    jobs=[iceberg_maintenance_job],
    schedules=[dbt_snapshot_schedule, dbt_build_schedule, iceberg_maintenance_schedule],
    # every job is one step (one dbt invocation, or the maintenance op): no extra process per step
    executor=in_process_executor,
    # the dbt of this virtual environment (.cache/venv), whatever PATH the launcher was given
    resources={
        "dbt": DbtCliResource(
            project_dir=loyalty_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        )
    },
)
