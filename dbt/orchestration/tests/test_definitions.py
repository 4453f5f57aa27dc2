"""The Dagster definitions load and hold the dbt project's assets and checks, the jobs and schedules."""

import importlib

from dagster import AssetKey, DefaultScheduleStatus

import loyalty_orchestration.schedules
from loyalty_orchestration.definitions import defs
from loyalty_orchestration.maintenance import statements

MODELS = {
    "stg_loyalty__points_ledger",
    "stg_loyalty__reconciliation_audit",
    "stg_loyalty__fraud_alerts",
    "stg_loyalty__late_events",
    "stg_loyalty__members",
    "fct_points_ledger",
    "user_points_balance",
    "reconciliation_accuracy",
    "fraud_review",
}
SNAPSHOTS = {"members_snapshot", "user_balance_snapshot"}


def test_every_model_seed_and_snapshot_is_an_asset() -> None:
    keys = defs.get_repository_def().asset_graph.get_all_asset_keys()
    assert {AssetKey(name) for name in MODELS | SNAPSHOTS | {"loyalty_resolutions"}} <= keys
    # the loyalty tables are the sources, upstream of the staging models
    assert AssetKey(["loyalty", "points_ledger"]) in keys


def test_data_tests_are_asset_checks() -> None:
    checks = defs.get_repository_def().asset_graph.asset_check_keys
    names = {(check.asset_key.to_user_string(), check.name) for check in checks}
    assert ("fct_points_ledger", "unique_fct_points_ledger_business_key") in names
    assert ("members_snapshot", "unique_members_snapshot_dbt_scd_id") in names
    assert ("user_points_balance", "assert_no_negative_balance") in names


def test_schedules_run_snapshots_builds_and_maintenance_by_default() -> None:
    repository = defs.get_repository_def()
    crons = {s.name: (s.cron_schedule, s.job_name) for s in repository.schedule_defs}
    assert crons == {
        "dbt_snapshot_schedule": ("*/15 * * * *", "dbt_snapshot"),
        "dbt_build_schedule": ("0 * * * *", "dbt_build"),
        "iceberg_maintenance_schedule": ("30 3 * * *", "iceberg_maintenance_job"),
    }
    assert all(s.default_status == DefaultScheduleStatus.RUNNING for s in repository.schedule_defs)
    # the snapshots with the models they read, so a snapshot never records stale or missing balances
    snapshot_job = repository.get_job("dbt_snapshot")
    assert {key.to_user_string() for key in snapshot_job.asset_layer.executable_asset_keys} == SNAPSHOTS | {
        "stg_loyalty__points_ledger",
        "fct_points_ledger",
        "user_points_balance",
    }


def test_schedules_follow_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("DBT_SNAPSHOT_CRON", "*/5 * * * *")
    monkeypatch.setenv("DBT_BUILD_CRON", "15 */2 * * *")
    try:
        schedules = importlib.reload(loyalty_orchestration.schedules)
        assert schedules.dbt_snapshot_schedule.cron_schedule == "*/5 * * * *"
        assert schedules.dbt_build_schedule.cron_schedule == "15 */2 * * *"
    finally:
        monkeypatch.undo()
        importlib.reload(loyalty_orchestration.schedules)


def test_maintenance_compacts_expires_and_removes_orphans() -> None:
    assert statements("points_ledger", "7d") == [
        "alter table iceberg.loyalty.points_ledger execute optimize",
        "alter table iceberg.loyalty.points_ledger execute expire_snapshots(retention_threshold => '7d')",
        "alter table iceberg.loyalty.points_ledger execute remove_orphan_files(retention_threshold => '7d')",
    ]
