"""dbt gets the rules' numbers from the file edge-streams applies, and the Dagster jobs pass them."""

import json

import pytest
import yaml

from loyalty_orchestration.assets import build_args
from loyalty_orchestration.project import DBT_PROJECT_DIR
from loyalty_orchestration.rules import RULES_FILE, dbt_vars, duration, setting


def test_the_pause_comes_from_the_rules_file_and_equals_dbts_default(monkeypatch) -> None:
    monkeypatch.delenv("RULES_FRAUD_PAUSE", raising=False)
    assert setting("rules.fraud.pause") == "1h"
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    # a bare `dbt build` (no --vars) counts the same pause as edge-streams
    assert (
        dbt_vars()
        == {"fraud_pause_minutes": project["vars"]["fraud_pause_minutes"]}
        == {"fraud_pause_minutes": 60}
    )


def test_an_override_reaches_the_dagster_build(monkeypatch) -> None:
    monkeypatch.setenv("RULES_FRAUD_PAUSE", "90m")
    args = build_args()
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"fraud_pause_minutes": 90}


def test_durations_read_as_settings_read_them() -> None:
    assert duration("PT2H").total_seconds() == 7200
    assert duration("45min").total_seconds() == 2700
    assert duration("1d").total_seconds() == 86400
    with pytest.raises(ValueError, match="not a duration"):
        duration("an hour")


def test_a_pause_dbt_cannot_count_fails_clearly(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("RULES_FRAUD_PAUSE", raising=False)
    rules = tmp_path / "rules.properties"
    rules.write_text(RULES_FILE.read_text().replace("rules.fraud.pause=1h", "rules.fraud.pause=90s"))
    with pytest.raises(ValueError, match="whole minutes"):
        dbt_vars(rules)
