"""The loyalty dbt project as Dagster assets: models, seeds and snapshots are assets, data tests are
asset checks. A run of any selection is one `dbt build` of exactly that selection, with the rules'
numbers (rules.py) as project variables."""

import json

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from .project import loyalty_project
from .rules import dbt_vars


def build_args() -> list[str]:
    """`dbt build` with the configured rules, read when each run starts (no reload needed)."""
    return ["build", "--vars", json.dumps(dbt_vars())]


@dbt_assets(manifest=loyalty_project.manifest_path)
def loyalty_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(build_args(), context=context).stream()
