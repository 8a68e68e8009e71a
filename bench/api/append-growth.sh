#!/usr/bin/env bash
# Batched produce (100 records per POST) into one growing topic, 8 s at a time, in one broker
# JVM: shows how the cost of an append changes as the page cache grows (bench/NOTES.md, "Page
# cache in this VM"). Not part of run.sh.
#   bench/api/append-growth.sh [rounds]          # default 6 rounds; JAVA_HOME picks the JVM
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/api"
ROUNDS=${1:-6}
PORT=${BROKER_PORT:-15001}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR=$(ls "$ROOT"/minimq-broker/target/minimq-broker-*.jar | head -1)
WORK=$(mktemp -d /tmp/minimq-bench-growth.XXXXXX)
"$JAVA" -XX:+IgnoreUnrecognizedVMOptions -XX:+UseCompactObjectHeaders -jar "$JAR" --server.port="$PORT" \
  --minimq.broker.data-dir="$WORK/data" --logging.level.root=warn > "$WORK/broker.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" && break; sleep 0.2; done
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; free memory $(free -m | awk '/Mem:/ {print $4}') MiB, page cache $(free -m | awk '/Mem:/ {print $6}') MiB"
echo "| round | requests/s | records/s | broker CPU per request (us) | topic size after (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for round in $(seq "$ROUNDS"); do
  t0=$(ticks)
  wrk -t1 -c16 -d8s -s "$HERE/produce-batch.lua" "http://127.0.0.1:$PORT/v1/topics/growth/records" > "$WORK/wrk.txt"
  t1=$(ticks)
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  awk -v r="$round" -v rps="$rps" -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$n" -v mb="$(du -sm "$WORK/data" | cut -f1)" \
    'BEGIN {printf "| %d | %.0f | %.0f | %.0f | %d |\n", r, rps, rps * 100, t / hz * 1e6 / n, mb}'
done
