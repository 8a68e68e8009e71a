#!/usr/bin/env python3
"""Writes minimq.json, the Grafana dashboard over MiniMQ's Prometheus metrics.

The dashboard is generated so that its panels stay uniform; edit this file and rerun
`python3 deploy/grafana/generate.py` rather than editing the JSON by hand. Every metric a
query names is checked against the running apps by GrafanaDashboardTests.
"""
import json
import pathlib

DS = {"type": "prometheus", "uid": "${datasource}"}
RATE = "[$__rate_interval]"
panels = []
y = 0


def row(title):
    global y
    panels.append({"type": "row", "title": title, "collapsed": False, "id": len(panels) + 1,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
    y += 1


def timeseries(title, unit, targets, x, w=8, description=""):
    panels.append({
        "type": "timeseries", "title": title, "description": description, "id": len(panels) + 1,
        "datasource": DS,
        "gridPos": {"h": 8, "w": w, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit, "custom": {"lineWidth": 1, "fillOpacity": 10}},
                        "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [{"refId": chr(ord("A") + i), "datasource": DS, "expr": expr, "legendFormat": legend}
                    for i, (expr, legend) in enumerate(targets)],
    })


def next_line():
    global y
    y += 8


row("Broker")
timeseries("Records appended /s", "ops",
           [(f"sum by (instance) (rate(minimq_records_appended_total{RATE}))", "{{instance}}")], 0)
timeseries("Bytes appended /s", "Bps",
           [(f"sum by (instance) (rate(minimq_bytes_appended_total{RATE}))", "{{instance}}")], 8)
timeseries("Records fetched /s by topic", "ops",
           [(f"sum by (topic) (rate(minimq_records_fetched_total{RATE}))", "{{topic}}")], 16)
next_line()
timeseries("Flush latency", "s",
           [(f"sum by (instance) (rate(minimq_flush_seconds_sum{RATE})) / "
             f"sum by (instance) (rate(minimq_flush_seconds_count{RATE}))", "mean {{instance}}"),
            ("max by (instance) (minimq_flush_seconds_max)", "max {{instance}}")], 0,
           description="fsync of the log: mean over the interval and the recent maximum")
timeseries("Flushes /s", "ops",
           [(f"sum by (instance) (rate(minimq_flush_seconds_count{RATE}))", "{{instance}}")], 8)
timeseries("End offset by topic", "short",
           [("max by (topic) (minimq_topic_end_offset)", "{{topic}}")], 16,
           description="the offset the next append to the topic will get")
next_line()
timeseries("Consumer group lag", "short",
           [("max by (group, topic) (minimq_group_lag)", "{{group}} / {{topic}}")], 0, w=24,
           description="end offset minus the group's committed offset")
next_line()

row("Nodes (from the agents)")
NODE = 'node=~"$node"'
timeseries("CPU busy", "percent", [(f"minimq_host_cpu_percent{{{NODE}}}", "{{node}}")], 0)
timeseries("Memory used", "percent", [(f"minimq_host_memory_used_percent{{{NODE}}}", "{{node}}")], 8)
timeseries("Disk used", "percent",
           [(f"minimq_host_disk_used_percent{{{NODE}}}", "{{node}} {{mount}}")], 16)
next_line()
timeseries("Network", "Bps",
           [(f"minimq_host_network_bytes_per_second{{{NODE}}}", "{{node}} {{direction}}")], 0, w=12)
timeseries("Load average (1 min)", "short", [(f"minimq_host_load1{{{NODE}}}", "{{node}}")], 12, w=12)
next_line()

row("Agents")
timeseries("Samples sent /s", "ops",
           [(f"sum by (instance) (rate(minimq_agent_samples_sent_total{RATE}))", "{{instance}}")], 0)
timeseries("Dropped samples and send failures /s", "ops",
           [(f"sum by (instance) (rate(minimq_agent_samples_dropped_total{RATE}))", "dropped {{instance}}"),
            (f"sum by (instance) (rate(minimq_agent_send_failures_total{RATE}))", "failures {{instance}}")], 8,
           description="dropped: buffer full, oldest samples discarded; failures: produce requests the broker did not accept")
timeseries("Buffered samples", "short",
           [("max by (instance) (minimq_agent_buffered_samples)", "{{instance}}")], 16,
           description="samples waiting to be sent again after a failure")
next_line()

row("Dashboard")
timeseries("Open streams", "short",
           [("sum by (instance) (minimq_dashboard_streams)", "{{instance}}")], 0, w=12,
           description="server-sent event streams open to browsers")
timeseries("Records skipped by lagging live tails /s", "ops",
           [(f"sum by (instance) (rate(minimq_dashboard_records_skipped_total{RATE}))", "{{instance}}")], 12, w=12,
           description="a slow browser skips records instead of slowing the others down")
next_line()

dashboard = {
    "uid": "minimq",
    "title": "MiniMQ",
    "description": "MiniMQ broker throughput, flush latency, offsets and lag; per-node host values from the agents; dashboard streams",
    "tags": ["minimq"],
    "timezone": "browser",
    "schemaVersion": 39,
    "version": 1,
    "editable": True,
    "refresh": "10s",
    "time": {"from": "now-1h", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0},
        {"name": "node", "label": "Node", "type": "query", "datasource": DS,
         "query": {"query": "label_values(minimq_host_cpu_percent, node)", "refId": "node"},
         "definition": "label_values(minimq_host_cpu_percent, node)",
         "refresh": 2, "multi": True, "includeAll": True, "current": {"text": "All", "value": "$__all"},
         "sort": 1, "hide": 0},
    ]},
    "annotations": {"list": []},
    "panels": panels,
}

out = pathlib.Path(__file__).with_name("minimq.json")
out.write_text(json.dumps(dashboard, indent=2) + "\n")
print(f"wrote {out}")
