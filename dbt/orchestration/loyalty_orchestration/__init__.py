"""Dagster definitions for the loyalty lakehouse: the dbt project as assets, its schedules, and the
Iceberg table maintenance. Start reading at definitions.py."""
