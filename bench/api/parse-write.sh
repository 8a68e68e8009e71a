#!/usr/bin/env bash
# The broker's streaming JSON parse and write paths alone (no HTTP), on the JVM in $JAVA_HOME or PATH.
#   bench/api/parse-write.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ -d minimq-broker/target/classes ] || ./mvnw -B -q -DskipTests install -pl minimq-broker -am
CP=$(./mvnw -B -q -o -pl minimq-broker dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
java -cp "$CP:minimq-broker/target/classes" bench/api/ParseWriteBench.java
