"""Where the dbt project is. dagster-dbt reads its manifest (target/manifest.json) to turn every model,
seed and snapshot into an asset and every data test into an asset check.

The manifest is made by `dbt parse` (make dbt-parse, run by make build); under `dagster dev` it is
rebuilt on every load."""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "project"

loyalty_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
loyalty_project.prepare_if_dev()
