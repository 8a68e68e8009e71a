#!/usr/bin/env bash
# Dashboard fan-out benchmark: CLIENTS server-sent-event clients on one dashboard while RATE
# records/s are appended to the broker, WARMUP seconds not counted (reported apart) and then
# DURATION seconds measured. Starts a broker and a dashboard from their fat jars on free ports
# with a throw-away data directory, runs FanOutBench.java (raw sockets, one selector thread),
# and stops both. Usage: bench/dashboard/run.sh
# (env: CLIENTS=200 RATE=100 WARMUP=15 DURATION=60 JAVA=java DASHBOARD_OPTS=-Xmx256m)
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-200}
RATE=${RATE:-100}
WARMUP=${WARMUP:-15}
DURATION=${DURATION:-60}
JAVA=${JAVA:-java}
DASHBOARD_OPTS=${DASHBOARD_OPTS:--Xmx256m}

jar() { ls "$1"/target/"$1"-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1; }
if [ -z "$(jar minimq-broker)" ] || [ -z "$(jar minimq-dashboard)" ]; then
  ./mvnw -B -q -DskipTests package -pl minimq-broker,minimq-dashboard -am
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BROKER_PORT=$(free_port)
DASHBOARD_PORT=$(free_port)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

await_ready() {
  for _ in $(seq 1 180); do
    if curl -fs "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "app on port $1 did not become ready; see $WORK" >&2; exit 1
}

"$JAVA" -jar "$(jar minimq-broker)" --server.port="$BROKER_PORT" --server.address=127.0.0.1 \
  --minimq.broker.data-dir="$WORK/data" >"$WORK/broker.log" 2>&1 &
PIDS+=($!)
# shellcheck disable=SC2086
"$JAVA" $DASHBOARD_OPTS -jar "$(jar minimq-dashboard)" --server.port="$DASHBOARD_PORT" --server.address=127.0.0.1 \
  --minimq.dashboard.broker-url="http://127.0.0.1:$BROKER_PORT" >"$WORK/dashboard.log" 2>&1 &
DASHBOARD_PID=$!
PIDS+=($DASHBOARD_PID)
await_ready "$BROKER_PORT"
await_ready "$DASHBOARD_PORT"

echo "machine: $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), dashboard JVM options: $DASHBOARD_OPTS, $(date -u +%Y-%m-%dT%H:%MZ)"
"$JAVA" bench/dashboard/FanOutBench.java --dashboard "http://127.0.0.1:$DASHBOARD_PORT" \
  --broker "http://127.0.0.1:$BROKER_PORT" --pid "$DASHBOARD_PID" --clients "$CLIENTS" --rate "$RATE" \
  --warmup "$WARMUP" --seconds "$DURATION" --clk-tck "$(getconf CLK_TCK)"
