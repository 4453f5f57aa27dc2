"""Real dbt builds, tests and snapshots of dbt/project through the real Trino of the test stack."""

from conftest import Lake

LEDGER = (
    "insert into iceberg.loyalty.points_ledger (business_key, user_id, points, withheld_points, status,"
    " entry_type, sources, transaction_id, legacy_txn_id, event_time, updated_at, written_at) values "
)
AUDIT = (
    "insert into iceberg.loyalty.reconciliation_audit (business_key, realtime_points, legacy_points,"
    " resolution, decided_at, written_at) values "
)
MEMBERS = (
    "insert into iceberg.loyalty.members (member_id, user_id, email, full_name, tier, updated_at) values "
)
NOW = "current_timestamp(6)"
EARLIER = "current_timestamp(6) - interval '3' hour"


def ledger_row(key: str, user: str, points: int, status: str, kind: str, sources: str, at: str) -> str:
    """One points_ledger row whose event, business update and write all happened at `at`."""
    transaction = "null" if sources == "legacy" else f"'{key}'"
    legacy = "null" if sources == "realtime" else "7"
    return (
        f"('{key}', '{user}', {points}, 0, '{status}', '{kind}', '{sources}', {transaction}, {legacy},"
        f" {at}, {at}, {at})"
    )


def seed_lake(lake: Lake) -> None:
    lake.execute(
        LEDGER
        + ", ".join(
            [
                # written before the others, so only rows changed later share the newest written_at
                ledger_row(
                    "t-1", "u-1", 100, "AWARDED", "EARN", "realtime", f"{EARLIER} - interval '2' minute"
                ),
                ledger_row(
                    "r-1", "u-1", -30, "AWARDED", "REDEEM", "realtime", f"{EARLIER} - interval '1' minute"
                ),
                ledger_row("legacy-7", "legacy-7", 50, "AWARDED", "ADJUST", "legacy", EARLIER),
                ledger_row("t-2", "u-2", 40, "AWARDED", "EARN", "realtime+legacy", EARLIER),
            ]
        )
    )
    lake.execute(
        AUDIT + f"('t-1', 100, null, 'REALTIME_ONLY', {EARLIER}, {EARLIER}),"
        f" ('r-1', -30, null, 'REALTIME_ONLY', {EARLIER}, {EARLIER}),"
        f" ('legacy-7', null, 50, 'LEGACY_ONLY', {EARLIER}, {EARLIER}),"
        f" ('t-2', 40, 40, 'MERGED_DUPLICATE', {EARLIER}, {EARLIER})"
    )
    lake.execute(MEMBERS + f"(7, 'legacy-7', 'm7@example.com', 'Member Seven', 'SILVER', {EARLIER})")


def marts_equal_the_ledger(lake: Lake) -> None:
    ledger = lake.rows(
        "select business_key, user_id, points, status from iceberg.loyalty.points_ledger order by 1"
    )
    fct = lake.rows(
        "select business_key, user_id, points, ledger_status from iceberg.analytics.fct_points_ledger"
        " order by 1"
    )
    assert fct == ledger
    balances = lake.rows(
        "select user_id, sum(points) from iceberg.loyalty.points_ledger group by user_id order by 1"
    )
    assert lake.rows("select user_id, balance from iceberg.analytics.user_points_balance order by 1") == (
        balances
    )


def test_increments_follow_written_at_and_the_marts_equal_the_ledger(lake: Lake, dbt) -> None:
    seed_lake(lake)
    first = dbt("build")
    assert first.exit_code == 0, first.output
    assert "PASS=" in first.output
    marts_equal_the_ledger(lake)

    # a legacy UPDATE and a legacy DELETE (VOID) keep their business time; only written_at moves
    lake.execute(
        f"update iceberg.loyalty.points_ledger set points = 0, status = 'VOID', written_at = {NOW}"
        " where business_key = 'legacy-7'"
    )
    lake.execute(
        f"update iceberg.loyalty.points_ledger set points = 60, written_at = {NOW} where business_key = 't-2'"
    )
    lake.execute(LEDGER + ledger_row("t-3", "u-2", 15, "AWARDED", "EARN", "realtime", NOW))
    lake.execute(AUDIT + f"('t-3', 15, null, 'REALTIME_ONLY', {NOW}, {NOW})")
    # no lookback, so the merge shows exactly which rows the increment selected
    second = dbt("build", "--vars", "{incremental_lookback_minutes: 0}")
    assert second.exit_code == 0, second.output
    assert second.node("fct_points_ledger")["adapter_response"]["rows_affected"] == 3
    marts_equal_the_ledger(lake)
    assert lake.rows(
        "select balance from iceberg.analytics.user_points_balance where user_id = 'legacy-7'"
    ) == [(0,)]


def test_members_snapshot_records_a_member_change(lake: Lake, dbt) -> None:
    seed_lake(lake)
    assert dbt("snapshot", "--select", "members_snapshot").exit_code == 0
    lake.execute(f"update iceberg.loyalty.members set tier = 'GOLD', updated_at = {NOW} where member_id = 7")
    assert dbt("snapshot", "--select", "members_snapshot").exit_code == 0

    history = lake.rows(
        "select tier, dbt_valid_to is null from iceberg.analytics.members_snapshot"
        " where member_id = 7 order by dbt_valid_from"
    )
    assert history == [("SILVER", False), ("GOLD", True)]


def test_a_failing_data_test_fails_the_build_with_dbt_exit_code(lake: Lake, dbt) -> None:
    seed_lake(lake)
    lake.execute(LEDGER + ledger_row("t-9", "u-9", 5, "LOST", "EARN", "realtime", NOW))
    failed = dbt("build")
    assert failed.exit_code == 1, failed.output
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in failed.run_results["results"]}
    assert statuses["source_accepted_values_loyalty_points_ledger_status__AWARDED__PAUSED__VOID"] == "fail"
    assert "ERROR=" in failed.output
