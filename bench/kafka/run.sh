#!/usr/bin/env bash
# Kafka back end benchmark (not a test): batched produce and fetch records/s through the broker's
# HTTP tier, on an embedded single-node Kafka (the one the tests use) next to the file log, in the
# same run. Starts the Kafka and two brokers from the fat jar on free loopback ports, pre-fills a
# topic on each with at least FILL records, then measures with wrk, alternating the back ends.
#
#   bench/kafka/run.sh                  # 10 s per measurement
#   DURATION=5s bench/kafka/run.sh
#
# Needs wrk, curl, python3. The Kafka, both brokers and wrk share the same cores: read the figures
# as "this machine, everything on it", not as a Kafka-versus-log verdict.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
FILL=${FILL:-100000}
JAVA=${JAVA:-java}
JAR=minimq-broker/target/minimq-broker-0.1.0-SNAPSHOT.jar
WRK=(wrk -t1 -c16 -d"$DURATION")

if [ ! -f "$JAR" ]; then
  ./mvnw -B -q -DskipTests install -pl minimq-broker -am
fi
mkdir -p target
CLASSPATH_FILE="$ROOT/target/bench-kafka-classpath.txt"
./mvnw -B -q -pl minimq-broker dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
KAFKA_PORT=$(free_port)
KAFKA_BROKER_PORT=$(free_port)
LOG_BROKER_PORT=$(free_port)
WORK=$(mktemp -d /tmp/minimq-bench-kafka.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$JAVA" -Xmx512m -cp "$(cat "$CLASSPATH_FILE")" bench/kafka/EmbeddedKafka.java "$KAFKA_PORT" >"$WORK/kafka.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do
  grep -q '^bootstrap servers:' "$WORK/kafka.log" && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "embedded Kafka exited; log:" >&2; tail -30 "$WORK/kafka.log" >&2; exit 1; }
  sleep 0.5
done
BOOTSTRAP=$(sed -n 's/^bootstrap servers: //p' "$WORK/kafka.log")
[ -n "$BOOTSTRAP" ] || { echo "embedded Kafka did not start; log:" >&2; tail -30 "$WORK/kafka.log" >&2; exit 1; }

"$JAVA" -Xmx512m -jar "$JAR" --server.port="$KAFKA_BROKER_PORT" --server.address=127.0.0.1 --logging.level.root=warn \
  --minimq.broker.storage=kafka --minimq.broker.kafka.bootstrap-servers="$BOOTSTRAP" >"$WORK/broker-kafka.log" 2>&1 &
PIDS+=($!)
"$JAVA" -Xmx512m -jar "$JAR" --server.port="$LOG_BROKER_PORT" --server.address=127.0.0.1 --logging.level.root=warn \
  --minimq.broker.data-dir="$WORK/data" >"$WORK/broker-log.log" 2>&1 &
PIDS+=($!)

await_ready() { # port log
  for _ in $(seq 1 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/actuator/health/readiness")" = 200 ] && return 0
    sleep 0.5
  done
  echo "broker on port $1 did not become ready; log:" >&2; tail -30 "$2" >&2; exit 1
}
await_ready "$KAFKA_BROKER_PORT" "$WORK/broker-kafka.log"
await_ready "$LOG_BROKER_PORT" "$WORK/broker-log.log"

BATCH_LUA=bench/api/produce-batch.lua # 100 records per POST
run_wrk() { # name url [script] -> requests/s; warns about non-2xx answers
  "${WRK[@]}" ${3:+-s "$3"} "$2" >"$WORK/$1.txt" 2>&1
  local non2xx
  non2xx=$(grep -E 'Non-2xx' "$WORK/$1.txt" | awk '{print $NF}' || true)
  [ -n "$non2xx" ] && echo "WARNING: $1 had $non2xx non-2xx answers" >&2
  grep -E '^Requests/sec' "$WORK/$1.txt" | awk '{print $2}'
}
end_offset() { curl -sf "http://127.0.0.1:$1/v1/topics/bench-fetch" | python3 -c 'import json,sys; print(json.load(sys.stdin)["endOffset"])'; }
fetch_url() { echo "http://127.0.0.1:$1/v1/topics/bench-fetch/records?offset=0&limit=1000"; }
answer_size() { curl -sf "$(fetch_url "$1")" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))'; }

# Pre-fill (this also warms up the produce path): batches of 100 until the topic holds FILL records.
for port in "$KAFKA_BROKER_PORT" "$LOG_BROKER_PORT"; do
  until [ "$(end_offset "$port" 2>/dev/null || echo 0)" -ge "$FILL" ]; do
    wrk -t1 -c16 -d3s -s "$BATCH_LUA" "http://127.0.0.1:$port/v1/topics/bench-fetch/records" >/dev/null
  done
  wrk -t1 -c16 -d3s "$(fetch_url "$port")" >/dev/null # warm up the fetch path
done
KAFKA_PER_ANSWER=$(answer_size "$KAFKA_BROKER_PORT")
LOG_PER_ANSWER=$(answer_size "$LOG_BROKER_PORT")

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
LOG_PRODUCE=$(run_wrk log-produce "http://127.0.0.1:$LOG_BROKER_PORT/v1/topics/bench-produce/records" "$BATCH_LUA")
KAFKA_PRODUCE=$(run_wrk kafka-produce "http://127.0.0.1:$KAFKA_BROKER_PORT/v1/topics/bench-produce/records" "$BATCH_LUA")
LOG_FETCH=$(run_wrk log-fetch "$(fetch_url "$LOG_BROKER_PORT")")
KAFKA_FETCH=$(run_wrk kafka-fetch "$(fetch_url "$KAFKA_BROKER_PORT")")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "# $(date -u +%FT%TZ), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), brokers -Xmx512m, ${WRK[*]}, loopback"
echo "# embedded Kafka (1 node, KRaft) in its own JVM on the same cores as both brokers and wrk"
echo "# fetch topic: $(end_offset "$LOG_BROKER_PORT") records (file log), $(end_offset "$KAFKA_BROKER_PORT") offsets (Kafka);" \
  "records per fetch answer (limit=1000): file log $LOG_PER_ANSWER, Kafka $KAFKA_PER_ANSWER"
echo
awk -v lp="$LOG_PRODUCE" -v kp="$KAFKA_PRODUCE" -v lf="$LOG_FETCH" -v kf="$KAFKA_FETCH" \
    -v ln="$LOG_PER_ANSWER" -v kn="$KAFKA_PER_ANSWER" 'BEGIN {
  printf "| back end | batched produce records/s (100 per POST) | fetch records/s (limit=1000) |\n|---|---:|---:|\n";
  printf "| file log | %.0f (%.0f req/s) | %.0f (%.0f req/s) |\n", lp * 100, lp, lf * ln, lf;
  printf "| Kafka (embedded) | %.0f (%.0f req/s) | %.0f (%.0f req/s) |\n", kp * 100, kp, kf * kn, kf;
}'
echo
echo "load average before the measurements: $LOAD_BEFORE, after: $LOAD_AFTER"
