"""Fixtures for the tests that run real dbt through the real Trino of a test stack (make test starts
one: TRINO_URL, DATA_DIR and its credentials come from the environment, as for every component).

The tests own iceberg.loyalty and iceberg.analytics of that stack while they run: each test starts
from empty loyalty tables and no dbt relations (and leaves them so), writes its rows as
loyalty_admin, and runs dbt as `dbt`."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from loyalty_orchestration.project import DBT_PROJECT_DIR
from loyalty_orchestration.trino_login import TrinoLogin, password_of

DBT = Path(sys.executable).parent / "dbt"
LOYALTY_TABLES = ["points_ledger", "reconciliation_audit", "fraud_alerts", "late_events", "members"]


@dataclass
class DbtRun:
    exit_code: int
    output: str
    run_results: dict

    def node(self, name: str) -> dict:
        return next(r for r in self.run_results["results"] if r["unique_id"].endswith("." + name))


class Lake:
    """SQL as loyalty_admin on the test stack's Trino."""

    def __init__(self) -> None:
        self.connection = TrinoLogin.of("loyalty_admin").connect()

    def rows(self, sql: str) -> list[tuple]:
        cursor = self.connection.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]

    def execute(self, sql: str) -> None:
        self.rows(sql)

    def reset(self) -> None:
        for table in LOYALTY_TABLES:
            self.execute(f"delete from iceberg.loyalty.{table}")
        for name, kind in self.rows(
            "select table_name, table_type from iceberg.information_schema.tables"
            " where table_schema = 'analytics'"
        ):
            self.execute(f'drop {"view" if kind == "VIEW" else "table"} iceberg.analytics."{name}"')


@pytest.fixture
def lake() -> Iterator[Lake]:
    lake = Lake()
    lake.reset()
    yield lake
    # the end-to-end tests run on the same stack next and count what is in the lake
    lake.reset()
    lake.connection.close()


def dbt_env() -> dict[str, str]:
    env = dict(os.environ)
    env["TRINO_PASSWORD_DBT"] = password_of("dbt")
    # as the launcher does: no other secret, and no CA bundle that would replace the profile's `cert`
    for name in (
        "TRINO_PASSWORD_LOYALTY_ADMIN",
        "TRINO_PASSWORD_ANALYST",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
    ):
        env.pop(name, None)
    env.setdefault("DBT_PROFILES_DIR", str(DBT_PROJECT_DIR))
    return env


@pytest.fixture
def dbt(tmp_path: Path):
    """Runs the dbt CLI on dbt/project with its own target directory; returns exit code, output, results."""

    def run(*args: str) -> DbtRun:
        target = tmp_path / "target"
        completed = subprocess.run(
            [str(DBT), *args, "--project-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)],
            env={**dbt_env(), "DBT_LOG_PATH": str(tmp_path / "logs")},
            capture_output=True,
            text=True,
            timeout=900,
        )
        output = completed.stdout + completed.stderr
        print(output)
        results_file = target / "run_results.json"
        results = json.loads(results_file.read_text()) if results_file.exists() else {"results": []}
        return DbtRun(completed.returncode, output, results)

    return run
