#!/usr/bin/env bash
# Broker HTTP API benchmark (not a test): wrk against the broker's fat jar and against nginx
# answering 204 (the 1.0 reference) in the same run, on Java 17 and on Temurin 25.
#
#   bench/api/run.sh                      # both JVMs, 3 x 10 s per measurement after 10 s of warm-up
#   DURATION=15s JVMS="/usr/lib/jvm/temurin-25-jdk-amd64" bench/api/run.sh
#
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light). Prints one table per JVM.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/api"
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
REPEAT=${REPEAT:-3}
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

# CPU time (user + system, in clock ticks) the broker JVM has used so far
broker_ticks() { [ -n "$BROKER_PID" ] && awk '{print $14 + $15}' "/proc/$BROKER_PID/stat" || echo 0; }

run_wrk() { # name url script -> requests/s; the broker's CPU per request goes to $WORK/$1.cpu
  local t0 t1 n
  t0=$(broker_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" ${3:+-s "$3"} "$2" > "$WORK/$1.txt" 2>&1
  t1=$(broker_ticks)
  n=$(awk '/requests in/ {print $1}' "$WORK/$1.txt")
  awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}' > "$WORK/$1.cpu"
  local non2xx
  non2xx=$(grep -E 'Non-2xx' "$WORK/$1.txt" | awk '{print $NF}' || true)
  [ -n "$non2xx" ] && echo "WARNING: $1 had $non2xx non-2xx answers" >&2
  rps < "$WORK/$1.txt"
}
cpu_of() { cat "$WORK/$1.cpu"; }

start_nginx() {
  mkdir -p /tmp/minimq-bench-nginx
  nginx -c "$HERE/nginx.conf" -p /tmp/minimq-bench-nginx &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return; sleep 0.1; done
  echo "nginx did not start" >&2; exit 1
}

start_broker() { # java_home
  rm -rf "$WORK/data"
  # the JVM options of the broker's image (minimq-broker/Dockerfile) that matter here
  "$1/bin/java" -XX:+IgnoreUnrecognizedVMOptions -XX:+UseCompactObjectHeaders -jar "$JAR" --server.port="$BROKER_PORT" --minimq.broker.data-dir="$WORK/data" \
    --logging.level.root=warn --minimq.broker.bench.noop-endpoint=true > "$WORK/broker.log" 2>&1 &
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

echo "# $(date -u +%FT%TZ) $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $REPEAT runs per figure, loopback; load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
start_nginx
# One fresh broker JVM per figure, warmed up on that path alone, so that no figure depends on
# what the JIT saw before it. nginx is measured right before each broker figure: the load on a
# shared machine drifts.
measure() { # java_home name warm-up-url url [script]; sets NGINX_RPS and BROKER_RPS
  start_broker "$1"
  if [ "$2" = fetch ]; then # reads the topic the batched warm-up writes (over 100,000 records)
    wrk -t1 -c16 -d3s -s "$HERE/produce-batch.lua" "$B/v1/topics/bench-fetch/records" > /dev/null
  fi
  wrk -t1 -c16 -d"$WARMUP" ${5:+-s "$5"} "$3" > /dev/null
  # a batched warm-up writes 1-2 GB: delete it, or the kernel's write-back of those dirty pages
  # would compete with the measurement for the two cores
  curl -s -o /dev/null -X DELETE "$B/v1/topics/bench-warm"
  NGINX_RPS=$(run_wrk "nginx-$2" "http://127.0.0.1:$NGINX_PORT/v1/topics/t/records" "$HERE/post-noop.lua")
  # REPEAT runs back to back in the same JVM: the median is the figure, all of them are shown
  : > "$WORK/$2.all"
  for i in $(seq "$REPEAT"); do
    echo "$(run_wrk "$2-$i" "$4" ${5:+"$5"}) $(cat "$WORK/$2-$i.cpu")" >> "$WORK/$2.all"
    # each batched run starts on an empty topic (see bench/NOTES.md, "Page cache in this VM")
    if [ "$2" = produce-batch ]; then curl -s -o /dev/null -X DELETE "$B/v1/topics/bench-batch"; fi
  done
  sort -n "$WORK/$2.all" > "$WORK/$2.sorted"
  BROKER_RPS=$(awk -v n="$REPEAT" 'NR == int((n + 1) / 2) {print $1}' "$WORK/$2.sorted")
  awk -v n="$REPEAT" 'NR == int((n + 1) / 2) {print $2}' "$WORK/$2.sorted" > "$WORK/$2.cpu"
  stop_broker
}
# every run of a figure in records/s, slowest first: name records-per-request
runs_of() { awk -v k="$2" '{printf "%s%.0f", (NR > 1 ? " / " : ""), $1 * k}' "$WORK/$1.sorted"; }

for JAVA_HOME_DIR in $JVMS; do
  VERSION=$("$JAVA_HOME_DIR/bin/java" -version 2>&1 | head -1)
  B="http://127.0.0.1:$BROKER_PORT"
  measure "$JAVA_HOME_DIR" spring-noop "$B/bench/noop" "$B/bench/noop" "$HERE/post-noop.lua"
  NGINX_NOOP=$NGINX_RPS NOOP=$BROKER_RPS
  measure "$JAVA_HOME_DIR" produce-one "$B/v1/topics/bench-warm/records" "$B/v1/topics/bench-one/records" "$HERE/produce-one.lua"
  NGINX_ONE=$NGINX_RPS ONE=$BROKER_RPS
  measure "$JAVA_HOME_DIR" produce-batch "$B/v1/topics/bench-warm/records" "$B/v1/topics/bench-batch/records" "$HERE/produce-batch.lua"
  NGINX_BATCH=$NGINX_RPS BATCH=$BROKER_RPS
  measure "$JAVA_HOME_DIR" fetch "$B/v1/topics/bench-fetch/records?offset=0&limit=1000" "$B/v1/topics/bench-fetch/records?offset=0&limit=1000"
  NGINX_FETCH=$NGINX_RPS FETCH=$BROKER_RPS
  start_broker "$JAVA_HOME_DIR"
  LATENCY=$("$JAVA_HOME_DIR/bin/java" "$HERE/LongPollLatency.java" "$B" 500)
  stop_broker

  echo
  echo "## $VERSION"
  awk -v r1="$(runs_of produce-one 1)" -v r2="$(runs_of produce-batch 100)" -v r3="$(runs_of fetch 1000)" \
      -v n0="$NGINX_NOOP" -v noop="$NOOP" -v n1="$NGINX_ONE" -v n2="$NGINX_BATCH" -v n3="$NGINX_FETCH" -v one="$ONE" -v batch="$BATCH" -v fetch="$FETCH" \
      -v c0="$(cpu_of spring-noop)" -v c1="$(cpu_of produce-one)" -v c2="$(cpu_of produce-batch)" -v c3="$(cpu_of fetch)" 'BEGIN {
    printf "| measurement | requests/s | records/s | nginx 204 just before (req/s) | vs nginx | broker CPU per request (us) | every run (records/s) |\n|---|---:|---:|---:|---:|---:|---|\n";
    printf "| Spring MVC no-op POST in the broker (204) | %.0f | - | %.0f | %.2f | %d | - |\n", noop, n0, noop / n0, c0;
    printf "| produce, 1 record per POST | %.0f | %.0f | %.0f | %.2f | %d | %s |\n", one, one, n1, one / n1, c1, r1;
    printf "| produce, 100 records per POST | %.0f | %.0f | %.0f | %.2f | %d | %s |\n", batch, batch * 100, n2, batch / n2, c2, r2;
    printf "| fetch, limit=1000 | %.0f | %.0f | %.0f | %.2f | %d | %s |\n", fetch, fetch * 1000, n3, fetch / n3, c3, r3;
  }'
  echo "append-to-long-poll answer: $LATENCY"
  echo "load average after: $(cut -d" " -f1-3 /proc/loadavg)"
done
