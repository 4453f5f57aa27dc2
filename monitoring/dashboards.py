#!/usr/bin/env python3
"""The three views of the lakehouse, defined once: writes the Grafana dashboards (dashboards/*.json, datasource as
the variable ${datasource}) and the same views as Prometheus console templates (consoles/loyalty*.html, on Debian's
console libraries). Run it after changing a panel: `python3 monitoring/dashboards.py`."""
import json
import pathlib

HERE = pathlib.Path(__file__).parent

# view -> panels: (title, unit, [(legend, PromQL)])
VIEWS = {
    "pipeline": ("Pipeline health", [
        ("Throughput per stage", "records/s", [("{{stage}}", "loyalty:throughput:records_per_second")]),
        ("Consumer lag per stage", "records", [("{{stage}}", "loyalty:consumer_lag:records")]),
        ("Kafka Streams commit latency", "ms", [
            ("{{thread_id}}", 'max by (thread_id) (max_over_time(kafka_stream_thread_commit_latency_avg{job="edge-streams"}[15m]))')]),
        ("Checkpoint duration", "ms", [("last checkpoint", "max(flink_jobmanager_job_lastCheckpointDuration)"),
                                       ("Iceberg commit", "max(flink_taskmanager_job_task_operator_IcebergFilesCommitter_table_lastCommitDurationMs)")]),
        ("Checkpoint size", "bytes", [("last checkpoint", "max(flink_jobmanager_job_lastCheckpointSize)")]),
        ("CDC lag", "s", [("behind source", "max(debezium_streaming_milli_seconds_behind_source) / 1000"),
                          ("since last change", "max(cdc_bridge_replication_lag_seconds)")]),
        ("Replication slot WAL retained", "bytes", [("slot", "max(cdc_bridge_replication_slot_wal_retained_bytes)")]),
        ("Dead letters per 5 min", "records", [
            ("{{topic}} {{reason}}", "sum by (topic, reason) (increase(edge_dead_letters_total[5m]))"),
            ("reconciler", "sum(increase(flink_taskmanager_job_task_operator_deadLetters[5m]))")]),
        ("Restarts per hour", "restarts", [
            ("{{component}}", "sum by (component) (increase(stack_component_restarts_total[1h]))"),
            ("flink job", "max(flink_jobmanager_job_numRestarts)")]),
        ("Dagster runs and dbt tests", "result", [
            ("{{dagster_job}} last run succeeded", "dagster_job_last_run_success"),
            ("dbt tests failing", "count(dbt_test_passed == 0) or vector(0)")]),
        ("Reconciler busy and back-pressured", "ms/s", [
            ("busy", "max(flink_taskmanager_job_task_busyTimeMsPerSecond)"),
            ("back-pressured", "max(flink_taskmanager_job_task_backPressuredTimeMsPerSecond)")]),
        ("Broker messages in", "messages/s", [
            ("{{topic}}", 'sum by (topic) (rate(kafka_server_brokertopicmetrics_messagesin_total{topic!=""}[1m]))')]),
        ("Edge state stores (RocksDB)", "bytes", [
            ("memtables", "sum(kafka_stream_state_size_all_mem_tables)"),
            ("live SST files", "sum(kafka_stream_state_total_sst_files_size)")]),
        ("PostgreSQL commits", "transactions/s", [
            ("{{datname}}", 'sum by (datname) (rate(pg_stat_database_xact_commit{datname=~"legacy|iceberg_catalog"}[1m]))')]),
        ("Targets up", "up", [("{{job}}", "up")]),
    ]),
    "reconciliation": ("Reconciliation", [
        ("Decisions by resolution", "keys/s", [("{{resolution}}", "loyalty:reconcile_decisions:rate5m")]),
        ("Share reconciled (not CONFLICT), last hour", "ratio", [("share", "loyalty:reconciled_share:ratio1h")]),
        ("Conflicts per 15 min", "keys", [("CONFLICT", 'sum(increase(flink_taskmanager_job_task_operator_resolution_reconcileDecisions{resolution="CONFLICT"}[15m]))')]),
        ("Freshness: purchase event time to Iceberg commit", "s", [
            ("p{{quantile}}", 'max by (quantile) (flink_taskmanager_job_task_operator_commitFreshnessMillis{quantile=~"0.5|0.95|0.99"}) / 1000')]),
        ("Pipeline latency: recorded to Iceberg commit", "s", [
            ("p{{quantile}}", 'max by (quantile) (flink_taskmanager_job_task_operator_commitLatencyMillis{quantile=~"0.5|0.95|0.99"}) / 1000')]),
        ("Rows committed to Iceberg", "rows/s", [("data files' rows", "sum(rate(flink_taskmanager_job_task_operator_IcebergFilesCommitter_table_committedDataFilesRecordCount[5m]))")]),
        ("Stale legacy changes", "changes", [("stale", "sum(flink_taskmanager_job_task_operator_staleLegacyChanges)")]),
    ]),
    "points": ("Points", [
        ("Points awarded, redeemed and withheld", "points/min", [
            ("awarded", "sum(rate(edge_points_awarded_total[5m])) * 60"),
            ("redeemed", "sum(rate(edge_points_redeemed_total[5m])) * 60"),
            ("withheld", "sum(rate(edge_points_withheld_total[5m])) * 60")]),
        ("Outstanding points liability", "points", [("liability", "loyalty:points_liability:points")]),
        ("Fraud alerts per 15 min and users paused now", "users", [
            ("fraud alerts", "sum(increase(edge_fraud_alerts_total[15m]))"),
            ("paused now", "sum(edge_users_paused)")]),
        ("Purchases by outcome", "purchases/s", [
            ("awarded", "sum(rate(edge_purchases_awarded_total[5m]))"),
            ("paused", "sum(rate(edge_purchases_paused_total[5m]))"),
            ("duplicate", "sum(rate(edge_duplicates_total[5m]))"),
            ("late", "sum(rate(edge_late_purchases_total[5m]))")]),
        ("Redemptions", "redemptions/s", [
            ("accepted", "sum(rate(edge_redemptions_accepted_total[5m]))"),
            ("rejected", "sum(rate(edge_redemptions_rejected_total[5m]))")]),
    ]),
}

GRAFANA_UNITS = {"records/s": "rps", "records": "short", "ms": "ms", "bytes": "bytes", "s": "s", "ratio": "percentunit",
                 "ms/s": "short", "up": "short", "result": "short"}


def grafana(uid, title, panels):
    out = []
    for index, (panel_title, unit, queries) in enumerate(panels):
        out.append({
            "id": index + 1, "type": "timeseries", "title": panel_title,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
            "fieldConfig": {"defaults": {"unit": GRAFANA_UNITS.get(unit, "short")}, "overrides": []},
            "targets": [{"refId": chr(ord("A") + n), "expr": expr, "legendFormat": legend,
                         "datasource": {"type": "prometheus", "uid": "${datasource}"}}
                        for n, (legend, expr) in enumerate(queries)],
        })
    return {
        "uid": "loyalty-" + uid, "title": "Loyalty lakehouse: " + title, "tags": ["loyalty-lakehouse"],
        "schemaVersion": 39, "version": 1, "editable": True, "refresh": "30s", "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [{"name": "datasource", "label": "Prometheus", "type": "datasource",
                                 "query": "prometheus", "current": {}, "hide": 0}]},
        "panels": out,
    }


def graph(node, heading, unit, queries):
    """One PromConsole graph: the panel's queries, legends with [[label]] placeholders."""
    exprs = json.dumps([expr for _, expr in queries])
    names = json.dumps([legend.replace("{{", "[[").replace("}}", "]]") for legend, _ in queries])
    return f"""<h3>{heading} <small>({unit})</small></h3>
<div id="{node}"></div>
<script>
new PromConsole.Graph({{
  node: document.querySelector("#{node}"),
  expr: {exprs},
  name: {names},
  yAxisFormatter: PromConsole.NumberFormatter.humanizeNoSmallPrefix,
  yHoverFormatter: PromConsole.NumberFormatter.humanizeNoSmallPrefix,
  yUnits: "{unit}",
  yTitle: "{unit}"
}})
</script>"""


def page(title, body):
    """A console page on Debian's console libraries (prom.lib): their head, time control and tail."""
    return f"""{{{{/* Generated by monitoring/dashboards.py: edit the panels there. */}}}}
<!doctype html>
<html lang="en">
<head>
<title>{title}</title>
{{{{ template "prom_console_head" }}}}
</head>
<body>
<div class="prom_console_content"><div class="container-fluid">
{body}
</div></div>
{{{{ template "tail" }}}}
"""


def console(uid, title, panels):
    links = " | ".join(f'<a href="{{{{ pathPrefix }}}}/consoles/loyalty-{key}.html">{VIEWS[key][0]}</a>'
                       for key in VIEWS)
    graphs = "\n".join(graph(f"graph-{uid}-{index}", panel_title, unit, queries)
                       for index, (panel_title, unit, queries) in enumerate(panels))
    return page("Loyalty lakehouse: " + title, f"""<h1>Loyalty lakehouse: {title}</h1>
<p>{links} | <a href="{{{{ pathPrefix }}}}/consoles/loyalty.html">Overview</a></p>
{{{{ template "prom_graph_timecontrol" . }}}}
{graphs}""")


def overview():
    links = "\n".join(f'<li><a href="{{{{ pathPrefix }}}}/consoles/loyalty-{key}.html">{title}</a></li>'
                      for key, (title, _) in VIEWS.items())
    summary = [("Records waiting in Kafka", "sum(loyalty:consumer_lag:records)", "humanize"),
               ("Freshness p95 (s)", "loyalty:ledger_freshness_p95:seconds", "printf.1f"),
               ("Pipeline latency p95 (s)", "loyalty:ledger_commit_latency_p95:seconds", "printf.1f"),
               ("Share reconciled (1 h)", "loyalty:reconciled_share:ratio1h", "humanizePercentage"),
               ("Outstanding points", "loyalty:points_liability:points", "humanize"),
               ("dbt tests failing", "count(dbt_test_passed == 0) or vector(0)", "humanize"),
               ("Targets down", "count(up == 0) or vector(0)", "humanize")]
    rows = "\n".join(f'<tr><td>{label}</td><td>{{{{ template "prom_query_drilldown" (args "{expr}" "" "{fmt}") }}}}</td></tr>'
                     for label, expr, fmt in summary)
    graphs = "\n".join(graph(f"overview-{key}", f"{title}: {panels[0][0]}", panels[0][1], panels[0][2])
                       for key, (title, panels) in VIEWS.items())
    return page("Loyalty lakehouse", f"""<h1>Loyalty lakehouse</h1>
<ul>
{links}
</ul>
<table class="table table-bordered table-sm" style="width:auto">
{rows}
</table>
{{{{ template "prom_graph_timecontrol" . }}}}
{graphs}""")


def main():
    (HERE / "dashboards").mkdir(exist_ok=True)
    (HERE / "consoles").mkdir(exist_ok=True)
    for uid, (title, panels) in VIEWS.items():
        (HERE / "dashboards" / f"loyalty-{uid}.json").write_text(json.dumps(grafana(uid, title, panels), indent=2) + "\n")
        (HERE / "consoles" / f"loyalty-{uid}.html").write_text(console(uid, title, panels))
    (HERE / "consoles" / "loyalty.html").write_text(overview())


if __name__ == "__main__":
    main()
