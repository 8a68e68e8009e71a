#!/usr/bin/env bash
# Throughput of the MiniMQ file log on Java 17 and Temurin 25 (plain harness, a few minutes).
# Usage: bench/log/run.sh [SECONDS_PER_SCENARIO (5)] [STARTUP_GIB (1)]
# Writes up to STARTUP_GIB GiB under ${BENCH_DIR:-/tmp/minimq-log-bench} and deletes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-5}"
gib="${2:-1}"
work="${BENCH_DIR:-/tmp/minimq-log-bench}"

mkdir -p target
./mvnw -B -q -pl minimq-broker -am compile
./mvnw -B -q -pl minimq-broker dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/target/bench-classpath.txt"
cp="minimq-common/target/classes:minimq-broker/target/classes:$(cat target/bench-classpath.txt)"
logback="-Dlogback.configurationFile=bench/log/logback.xml"

for jdk in "${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}" "${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"; do
  if [ ! -x "$jdk/bin/java" ]; then
    echo "skipping $jdk: no java there"
    continue
  fi
  rm -rf "$work"
  "$jdk/bin/java" -Xms1g -Xmx1g $logback -cp "$cp" bench/log/LogBench.java "$work" "$seconds" "$gib"
done
rm -rf "$work"
