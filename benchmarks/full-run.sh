#!/usr/bin/env bash
# The full run recorded in benchmarks/RESULTS.md: every benchmark with modest settings (one fork,
# 3 x 1 s warm-up, 5 x 1 s measurement), the database pairs also on MariaDB and H2, the in-memory
# ones with -prof gc; then the tables. About 20 minutes. Keep the machine quiet (README.md).
#
# bash benchmarks/full-run.sh --interleaved [interleaved.py options]
#   instead: the database pairs in rounds of one Latchkey fork and one hand-written fork, back to
#   back, on the embedded PostgreSQL unless --db is given (e.g. --db postgres --db mariadb), with
#   the median of the per-round ratios and its spread (benchmarks/interleaved.py --help).
# bash benchmarks/full-run.sh --overhead
#   instead: Latchkey's own cost on the stub driver (no database), ns/op and B/op (-prof gc).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=benchmarks/target/results
[ -f "$jar" ] || ./mvnw -q -pl benchmarks -am package -DskipTests
mkdir -p "$out"
if [ "${1:-}" = "--interleaved" ]; then
  shift
  uptime
  python3 benchmarks/interleaved.py "$@"
  uptime
  exit 0
fi
if [ "${1:-}" = "--overhead" ]; then
  uptime
  java -jar "$jar" -f 3 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff "$out/overhead.json" 'bench.overhead\.'
  uptime
  python3 benchmarks/overhead_table.py "$out/overhead.json"
  exit 0
fi
common=(-f 1 -wi 3 -w 1s -i 5 -r 1s -foe true)
uptime
java -jar "$jar" "${common[@]}" -rf json -rff "$out/embedded-postgres.json" \
  'bench.(tx|update|lock|idempotency|contention)\.'
java -jar "$jar" "${common[@]}" -p db=mariadb,h2 -rf json -rff "$out/mariadb-h2.json" \
  'bench.(tx|update|lock|idempotency)\.'
java -jar "$jar" "${common[@]}" -prof gc -rf json -rff "$out/inmemory.json" 'bench.inmemory\.'
uptime
python3 benchmarks/results_table.py "$out/embedded-postgres.json" "$out/mariadb-h2.json" "$out/inmemory.json"
