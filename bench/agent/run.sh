#!/usr/bin/env bash
# Agent footprint: resident memory and CPU of minimq-agent at its default intervals, side by side
# with Prometheus' node_exporter, both measured the same way from /proc in the same run.
#
#   bench/agent/run.sh                      # 300 s, agent on `java` (the JDK on PATH)
#   DURATION=120 bench/agent/run.sh
#   JAVAS="java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java" bench/agent/run.sh   # one agent per JVM
#
# A broker runs too (the agents deliver to it). The agent runs from the extracted jar, as in the
# container images, with the options in minimq-agent/jvm.options. Both the agents and node_exporter
# are scraped every SCRAPE seconds (15, as a Prometheus would), since node_exporter only works
# when scraped. The first WARMUP seconds (start-up) are left out; then RSS (VmRSS of
# /proc/<pid>/status) is sampled every 5 s and CPU is utime+stime of /proc/<pid>/stat over the
# measured window, as % of one core.
set -euo pipefail

DURATION=${DURATION:-300}
WARMUP=${WARMUP:-30}
SCRAPE=${SCRAPE:-15}
JAVAS=${JAVAS:-java}
NODE_EXPORTER=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VERSION=0.1.0-SNAPSHOT
AGENT_JAR=$ROOT/minimq-agent/target/minimq-agent-$VERSION.jar
BROKER_JAR=$ROOT/minimq-broker/target/minimq-broker-$VERSION.jar
if [[ ! -f $AGENT_JAR || ! -f $BROKER_JAR ]]; then
  ./mvnw -B -q -DskipTests package -pl minimq-broker,minimq-agent -am
fi
command -v "$NODE_EXPORTER" >/dev/null || { echo "node_exporter not found at $NODE_EXPORTER (apt-get install prometheus-node-exporter)"; exit 1; }

WORK=$(mktemp -d /tmp/minimq-bench-agent.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_http() { # url
  for _ in $(seq 1 180); do curl -fs -o /dev/null "$1" && return 0; sleep 1; done
  echo "no answer from $1" >&2; return 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

java -Djarmode=tools -jar "$AGENT_JAR" extract --destination "$WORK/agent" >/dev/null
mapfile -t AGENT_OPTS < <(grep -v -e '^#' -e '^$' minimq-agent/jvm.options)

BROKER_PORT=$(free_port)
java -jar "$BROKER_JAR" --server.port="$BROKER_PORT" --server.address=127.0.0.1 \
  --minimq.broker.data-dir="$WORK/data" >"$WORK/broker.log" 2>&1 &
PIDS+=($!)
await_http "http://127.0.0.1:$BROKER_PORT/actuator/health/readiness"

NAMES=(); TARGETS=(); SCRAPES=()
i=0
for JAVA in $JAVAS; do
  port=$(free_port)
  "$JAVA" "${AGENT_OPTS[@]}" -jar "$WORK/agent/minimq-agent-$VERSION.jar" --server.port="$port" \
    --server.address=127.0.0.1 --minimq.agent.broker-url="http://127.0.0.1:$BROKER_PORT" \
    --minimq.agent.node-name="bench-$i" >"$WORK/agent-$i.log" 2>&1 &
  PIDS+=($!); TARGETS+=($!)
  NAMES+=("minimq-agent ($("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.vendor/ {v=$2} /java.runtime.version/ {r=$2} END {print v " " r}'))")
  SCRAPES+=("http://127.0.0.1:$port/actuator/prometheus")
  await_http "http://127.0.0.1:$port/actuator/health/readiness"
  i=$((i + 1))
done

NE_PORT=$(free_port)
"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$NE_PORT" >"$WORK/node-exporter.log" 2>&1 &
PIDS+=($!); TARGETS+=($!)
NAMES+=("node_exporter $("$NODE_EXPORTER" --version 2>&1 | awk 'NR==1 {print $3}')")
SCRAPES+=("http://127.0.0.1:$NE_PORT/metrics")
await_http "http://127.0.0.1:$NE_PORT/metrics"

( while true; do for u in "${SCRAPES[@]}"; do curl -fs -o /dev/null "$u" || true; done; sleep "$SCRAPE"; done ) &
PIDS+=($!)

echo "warming up ${WARMUP}s, then measuring ${DURATION}s ..." >&2
sleep "$WARMUP"
HZ=$(getconf CLK_TCK)
declare -A START_CPU SUM_RSS MAX_RSS
for p in "${TARGETS[@]}"; do START_CPU[$p]=$(cpu_ticks "$p"); SUM_RSS[$p]=0; MAX_RSS[$p]=0; done
samples=0
START=$(date +%s)
while (( $(date +%s) - START < DURATION )); do
  for p in "${TARGETS[@]}"; do
    r=$(rss_kb "$p"); SUM_RSS[$p]=$(( SUM_RSS[$p] + r )); (( r > MAX_RSS[$p] )) && MAX_RSS[$p]=$r
  done
  samples=$((samples + 1))
  sleep 5
done
ELAPSED=$(( $(date +%s) - START ))

delivered=$(curl -fs "http://127.0.0.1:$BROKER_PORT/v1/topics/metrics.cpu" | python3 -c 'import json,sys; print(json.load(sys.stdin)["endOffset"])')
echo
echo "$(date -u +%Y-%m-%d) | $(nproc) cores | ${ELAPSED}s measured after ${WARMUP}s warm-up | scraped every ${SCRAPE}s | metrics.cpu records delivered: $delivered"
echo
echo "| process | RSS avg (MB) | RSS max (MB) | CPU avg (% of one core) |"
echo "| --- | ---: | ---: | ---: |"
for idx in "${!TARGETS[@]}"; do
  p=${TARGETS[$idx]}
  cpu=$(( $(cpu_ticks "$p") - START_CPU[$p] ))
  awk -v n="${NAMES[$idx]}" -v s="${SUM_RSS[$p]}" -v c="$samples" -v m="${MAX_RSS[$p]}" -v t="$cpu" -v hz="$HZ" -v e="$ELAPSED" \
    'BEGIN { printf "| %s | %.1f | %.1f | %.2f |\n", n, s / c / 1024, m / 1024, 100 * t / hz / e }'
done
