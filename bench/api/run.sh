#!/usr/bin/env bash
# Broker HTTP API benchmark (not a test): wrk against the broker's fat jar and against nginx
# answering 204 (the 1.0 reference) in the same run, on Java 17 and on Temurin 25.
#
#   bench/api/run.sh                      # both JVMs, 10 s per measurement
#   DURATION=15s JVMS="/usr/lib/jvm/temurin-25-jdk-amd64" bench/api/run.sh
#
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light). Prints one table per JVM.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/api"
DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
BROKER_PORT=${BROKER_PORT:-15000}
NGINX_PORT=18204
JVMS=${JVMS:-"$(dirname "$(dirname "$(readlink -f "$(command -v java)")")") /usr/lib/jvm/temurin-25-jdk-amd64"}
JAR=$(ls "$ROOT"/minimq-broker/target/minimq-broker-*.jar 2>/dev/null | grep -v plain | head -1 || true)
WORK=$(mktemp -d /tmp/minimq-bench-api.XXXXXX)
BROKER_PID=""
NGINX_PID=""

cleanup() {
  [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$JAR" ]; then
  (cd "$ROOT" && ./mvnw -B -q -DskipTests install -pl minimq-broker -am)
  JAR=$(ls "$ROOT"/minimq-broker/target/minimq-broker-*.jar | grep -v plain | head -1)
fi

rps() { grep -E '^Requests/sec' | awk '{print $2}'; }

run_wrk() { # name url script -> requests/s
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" ${3:+-s "$3"} "$2" > "$WORK/$1.txt" 2>&1
  local non2xx
  non2xx=$(grep -E 'Non-2xx' "$WORK/$1.txt" | awk '{print $NF}' || true)
  [ -n "$non2xx" ] && echo "WARNING: $1 had $non2xx non-2xx answers" >&2
  rps < "$WORK/$1.txt"
}

start_nginx() {
  mkdir -p /tmp/minimq-bench-nginx
  nginx -c "$HERE/nginx.conf" -p /tmp/minimq-bench-nginx &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return; sleep 0.1; done
  echo "nginx did not start" >&2; exit 1
}

start_broker() { # java_home
  rm -rf "$WORK/data"
  "$1/bin/java" -jar "$JAR" --server.port="$BROKER_PORT" --minimq.broker.data-dir="$WORK/data" \
    --logging.level.root=warn > "$WORK/broker.log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$BROKER_PORT/actuator/health/readiness" && return
    sleep 0.2
  done
  echo "broker did not become ready; see $WORK/broker.log" >&2; cat "$WORK/broker.log" >&2; exit 1
}

stop_broker() {
  kill "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null || true; BROKER_PID=""
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, loopback"
start_nginx
for JAVA_HOME_DIR in $JVMS; do
  VERSION=$("$JAVA_HOME_DIR/bin/java" -version 2>&1 | head -1)
  start_broker "$JAVA_HOME_DIR"
  B="http://127.0.0.1:$BROKER_PORT"
  # warm up the JIT on every path measured below
  wrk -t1 -c16 -d5s -s "$HERE/produce-one.lua" "$B/v1/topics/bench-warm/records" > /dev/null
  wrk -t1 -c16 -d3s -s "$HERE/produce-batch.lua" "$B/v1/topics/bench-fetch/records" > /dev/null
  wrk -t1 -c16 -d3s "$B/v1/topics/bench-fetch/records?offset=0&limit=1000" > /dev/null

  NGINX=$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/v1/topics/t/records" "$HERE/post-noop.lua")
  ONE=$(run_wrk produce-one "$B/v1/topics/bench-one/records" "$HERE/produce-one.lua")
  BATCH=$(run_wrk produce-batch "$B/v1/topics/bench-batch/records" "$HERE/produce-batch.lua")
  FETCH=$(run_wrk fetch "$B/v1/topics/bench-fetch/records?offset=0&limit=1000")
  LATENCY=$("$JAVA_HOME_DIR/bin/java" "$HERE/LongPollLatency.java" "$B" 500)
  stop_broker

  echo
  echo "## $VERSION"
  awk -v n="$NGINX" -v one="$ONE" -v batch="$BATCH" -v fetch="$FETCH" 'BEGIN {
    printf "| measurement | requests/s | records/s | vs nginx 204 |\n|---|---:|---:|---:|\n";
    printf "| nginx, POST answered 204 (reference) | %.0f | - | 1.00 |\n", n;
    printf "| produce, 1 record per POST | %.0f | %.0f | %.2f |\n", one, one, one / n;
    printf "| produce, 100 records per POST | %.0f | %.0f | %.2f |\n", batch, batch * 100, batch / n;
    printf "| fetch, limit=1000 | %.0f | %.0f | %.2f |\n", fetch, fetch * 1000, fetch / n;
  }'
  echo "append-to-long-poll answer: $LATENCY"
done
