"""The schedules and the maintenance job run for real: a dagster-daemon on the repository's instance
configuration fires the snapshot schedule (set to every minute), and the maintenance job compacts a
table through Trino as loyalty_admin."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Lake, dbt_env
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from test_dbt_project import NOW, seed_lake

from loyalty_orchestration.maintenance import iceberg_maintenance_job

ORCHESTRATION_DIR = Path(__file__).resolve().parents[1]


def members_history(lake: Lake) -> list[tuple]:
    return lake.rows(
        "select tier, dbt_valid_to is null from iceberg.analytics.members_snapshot"
        " where member_id = 7 order by dbt_valid_from"
    )


def await_no_run_in_progress(timeout_s: float) -> None:
    """A run the daemon started goes on after the daemon stops (its worker is a process of its own); the
    next test must not share the lake with its dbt."""
    busy = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    with DagsterInstance.from_config(str(ORCHESTRATION_DIR / "instance")) as instance:
        deadline = time.monotonic() + timeout_s
        while runs := instance.get_runs(filters=RunsFilter(statuses=busy)):
            assert time.monotonic() < deadline, f"runs still in progress: {[r.run_id for r in runs]}"
            time.sleep(2)


def test_the_snapshot_schedule_fires_in_the_daemon_and_records_history(
    lake: Lake, dbt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_lake(lake)
    assert dbt("snapshot", "--select", "members_snapshot").exit_code == 0
    lake.execute(f"update iceberg.loyalty.members set tier = 'GOLD', updated_at = {NOW} where member_id = 7")

    env = {
        **dbt_env(),
        "DAGSTER_HOME": str(ORCHESTRATION_DIR / "instance"),
        "DAGSTER_DATA_DIR": str(tmp_path / "dagster"),
        "DAGSTER_COMPUTE_LOG_DIR": str(tmp_path / "dagster" / "compute_logs"),
        "DBT_SNAPSHOT_CRON": "* * * * *",
        "DBT_BUILD_CRON": "0 0 1 1 *",
        "ICEBERG_MAINTENANCE_CRON": "0 0 1 1 *",
    }
    log = tmp_path / "daemon.log"
    with log.open("w") as out:
        daemon = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "dagster-daemon"),
                "run",
                "-m",
                "loyalty_orchestration.definitions",
                "-d",
                str(ORCHESTRATION_DIR),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            # the next minute's tick, the queued run's start and one dbt snapshot
            deadline = time.monotonic() + 240
            while members_history(lake) != [("SILVER", False), ("GOLD", True)]:
                assert daemon.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(2)
        finally:
            daemon.terminate()
            daemon.wait(timeout=60)
            for name in ("DAGSTER_DATA_DIR", "DAGSTER_COMPUTE_LOG_DIR"):
                monkeypatch.setenv(name, env[name])
            await_no_run_in_progress(timeout_s=240)


def test_the_maintenance_job_compacts_the_loyalty_tables(lake: Lake) -> None:
    for member in range(3):
        lake.execute(
            "insert into iceberg.loyalty.members (member_id, user_id, tier, updated_at)"
            f" values ({member}, 'legacy-{member}', 'BRONZE', {NOW})"
        )
    files = 'select count(*) from iceberg.loyalty."members$files"'
    assert lake.rows(files) == [(3,)]

    result = iceberg_maintenance_job.execute_in_process()

    assert result.success
    assert "members" in result.output_for_node("maintain_loyalty_tables")
    assert lake.rows(files) == [(1,)]
    assert lake.rows("select count(*) from iceberg.loyalty.members") == [(3,)]
