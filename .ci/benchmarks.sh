#!/usr/bin/env bash
# Smoke run of every JMH benchmark and of the contention lab, so that none of them rots.
# Asserts nothing about speed: one fork, no warm-up, one 100 ms iteration each; -foe makes JMH
# exit non-zero when a benchmark throws. The lab exits non-zero if a Latchkey strategy oversold,
# charged twice or lost a stock update.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
fi
smoke=(-wi 0 -i 1 -r 100ms -foe true)

echo "--- every benchmark on the embedded PostgreSQL (one fork each; bench.peers below)"
java -jar "$jar" -f 1 "${smoke[@]}" -e 'bench\.peers\.'

echo "--- the peers (bench.peers) in one JVM: every step once, contention at 4 threads, and what each side sends"
java -jar "$jar" -f 0 "${smoke[@]}" 'bench.peers.PeerOperations' 'bench.peers.PeerContentionBenchmark.T04'
java -cp "$jar" dev.latchkey.bench.peers.PeerStatements

echo "--- the single-operation pairs on MariaDB and H2 (in one JVM: -f 0, smoke only)"
java -jar "$jar" -f 0 "${smoke[@]}" -p db=mariadb,h2 \
  'dev.latchkey.bench.(tx|update|lock|idempotency)\..*Benchmark'

echo "--- Latchkey's own cost on the stub driver claiming to be MariaDB (smoke only)"
java -jar "$jar" -f 0 "${smoke[@]}" -p product=mariadb \
  'dev.latchkey.bench.overhead.(Transaction|Update)OverheadBenchmark'

echo "--- the contention lab (the README demo), briefly"
java -cp "$jar" dev.latchkey.bench.lab.ContentionLab --duration 1s --no-progress
