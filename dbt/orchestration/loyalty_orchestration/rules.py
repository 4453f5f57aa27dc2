"""The business rules' numbers dbt needs, read from the one file that holds them for every component
(common/src/main/resources/loyalty-rules.properties, which edge-streams applies), each overridden like any
setting by the environment variable of the same name (rules.fraud.pause -> RULES_FRAUD_PAUSE).

The Dagster jobs (assets.py) and dbt/bin/dbt pass them as `--vars`, so fraud_review counts the pause
edge-streams applies; dbt_project.yml keeps the contract's default for a bare `dbt` run.
`python rules.py` prints the vars as JSON (what dbt/bin/dbt passes)."""

import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parents[3] / "common/src/main/resources/loyalty-rules.properties"

_UNITS = {"ms": 0.001, "s": 1, "": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_ISO = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.IGNORECASE)


def env_name(key: str) -> str:
    """rules.fraud.pause -> RULES_FRAUD_PAUSE, as common's Settings names them."""
    return key.upper().replace(".", "_").replace("-", "_")


def setting(key: str, rules_file: Path = RULES_FILE) -> str:
    """The value of `key`: the environment variable when set, else the file's."""
    if os.environ.get(env_name(key), "").strip():
        return os.environ[env_name(key)].strip()
    for line in rules_file.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith(("#", "!")) and name.strip() == key:
            return value.strip()
    raise KeyError(f"{key} is not set in {rules_file} (nor {env_name(key)})")


def duration(text: str) -> timedelta:
    """A duration as Settings reads it: `10m`, `1h`, `500ms`, `7d` or ISO-8601 (`PT1H`)."""
    iso = _ISO.fullmatch(text)
    if text[:1] in "Pp" and iso:
        days, hours, minutes, seconds = (float(part) if part else 0.0 for part in iso.groups())
        return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    match = re.fullmatch(r"(\d+)\s*(ms|min|s|m|h|d|)", text)
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def dbt_vars(rules_file: Path = RULES_FILE) -> dict[str, int]:
    """The project variables dbt gets from the rules: the fraud pause in whole minutes."""
    pause = duration(setting("rules.fraud.pause", rules_file))
    minutes, rest = divmod(pause, timedelta(minutes=1))
    if rest:
        raise ValueError(f"rules.fraud.pause must be whole minutes for dbt's fraud_review, got {pause}")
    return {"fraud_pause_minutes": minutes}


if __name__ == "__main__":
    json.dump(dbt_vars(), sys.stdout)
