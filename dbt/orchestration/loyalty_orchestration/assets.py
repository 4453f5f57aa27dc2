"""The loyalty dbt project as Dagster assets: models, seeds and snapshots are assets, data tests are
asset checks. A run of any selection is one `dbt build` of exactly that selection."""

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from .project import loyalty_project


@dbt_assets(manifest=loyalty_project.manifest_path)
def loyalty_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
