#!/usr/bin/env bash
# Runs the jcstress suite from jcstress-tests/target/jcstress.jar and fails unless EVERY selected
# test ran and none failed or errored.
#
#   .ci/jcstress.sh          ci: every real test, short (1 iteration of 200 ms, in one JVM
#                            configuration: C2 with randomised scheduling); a few minutes
#   .ci/jcstress.sh full     the jcstress default preset (split compilation, 5 x 1 s iterations
#                            per configuration); about an hour on 2 CPUs
#   .ci/jcstress.sh broken   the deliberately broken variants (package ...jcstress.broken), in
#                            the ci preset; passes only if EACH of them is reported FAILED with a
#                            FORBIDDEN outcome
#
#   .ci/jcstress.sh ci KeyedLocks     only the tests whose name matches a regexp (any mode)
#
# Arguments after the filter go to jcstress unchanged (e.g. `.ci/jcstress.sh ci . -v`).
#
# The exit code of jcstress 0.16 is not enough: it is 1 when a test failed or errored, but 0 when
# nothing matched ("FATAL: No matching tests.") and 0 when a test was silently not scheduled
# because it has more actors than the machine has CPUs. So this script reads the report: "RUN
# RESULTS" must contain both "Failed tests: No matches." and "Error tests: No matches.", and every
# test that `-l` lists must have a result page.
#
# Tests with more actors than this machine has CPUs (three-actor tests on a 2-CPU machine) are run
# in a second pass, oversubscribed: jcstress takes the CPU count from the JVM and the topology from
# /sys and /proc/cpuinfo, so the pass runs in a private mount namespace (unshare, needs root) that
# hides /sys/devices/system and shows a fake /proc/cpuinfo, with -XX:ActiveProcessorCount and no
# thread affinity. Nothing outside that namespace is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-ci}
filter=${2:-.}
[ $# -gt 2 ] && shift 2 || shift $#
extra=("$@")

jar=$PWD/jcstress-tests/target/jcstress.jar
real_tests="^(?=.*(?:$filter))dev\\.latchkey\\.jcstress\\.(?!broken\\.)"
broken_tests="^(?=.*(?:$filter))dev\\.latchkey\\.jcstress\\.broken\\."
fake_cpus=${JCSTRESS_FAKE_CPUS:-4}

# The short mode runs each test in one JVM configuration, the one most likely to expose a
# memory-ordering bug: C2 only, with its randomised instruction scheduling where the JVM has it
# (jcstress itself adds the +/-UseBiasedLocking variants on JDKs that have them, so 1-2 forks per
# test instead of the 8 the quick preset would run).
c2_stress="-XX:+UnlockDiagnosticVMOptions -XX:-TieredCompilation -XX:+StressLCM -XX:+StressGCM -XX:+StressIGVN -XX:+StressCCP"
# shellcheck disable=SC2086
java $c2_stress -version >/dev/null 2>&1 || c2_stress="-XX:-TieredCompilation"
short=(-m quick -sc false -iters 1 -jvmArgs "$c2_stress")

case $mode in
  ci)     selector=$real_tests;   preset=("${short[@]}"); expect=pass; budget=540 ;;
  full)   selector=$real_tests;   preset=(-m default);    expect=pass; budget=0 ;;
  broken) selector=$broken_tests; preset=("${short[@]}"); expect=fail; budget=540 ;;
  *) echo "usage: $0 [ci|full|broken] [name-regexp] [jcstress options...]" >&2; exit 2 ;;
esac

# (Re)build the jar when it is missing or older than the sources it is made of.
if [ ! -f "$jar" ] || [ -n "$(find jcstress-tests/src core/src/main jcstress-tests/pom.xml core/pom.xml -newer "$jar" -print -quit)" ]; then
  ./mvnw -B -ntp -q -pl jcstress-tests -am package -DskipTests
fi

work=$PWD/jcstress-tests/target/jcstress-$mode
rm -rf "$work"
mkdir -p "$work"
started=$(date +%s)

fail() { echo "jcstress $mode: FAIL: $*" >&2; exit 1; }

# run <pass-name> <regexp> [wrapper...]: one jcstress invocation; log, results and exit code in
# $work/<pass-name>/
run_pass() {
  local name=$1 regexp=$2; shift 2
  local dir=$work/$name
  mkdir -p "$dir"
  local limit=()
  if [ "$budget" -gt 0 ]; then
    local left=$(( budget - ($(date +%s) - started) ))
    [ "$left" -gt 0 ] || fail "time budget of ${budget}s used up before pass '$name'"
    limit=(timeout --kill-after=10 "$left")
  fi
  echo "--- pass '$name': jcstress -t '$regexp' ${preset[*]} ${extra[*]:-}"
  set +e
  (cd "$dir" && "${limit[@]}" "$@" java "${host_jvm_args[@]}" -jar "$jar" \
      -t "$regexp" "${preset[@]}" "${pass_args[@]}" "${extra[@]}" -r results) > "$dir/out.log" 2>&1
  echo $? > "$dir/rc"
  set -e
  case $(cat "$dir/rc") in
    124|137) fail "pass '$name' exceeded the time budget of ${budget}s; log: $dir/out.log" ;;
  esac
  grep -E '^\(Results:' "$dir/out.log" | tail -n 1 || true
}

# The RUN RESULTS section without the per-configuration stack traces.
summary() {
  sed -n '/^RUN RESULTS:/,$p' "$1/out.log" | grep -v -E '^\s+at |^\s+\.\.\. [0-9]+ more' | head -n 200
}

# Checks one pass's report; prints the FAILED/ERROR tests when there are any.
check_pass() {
  local dir=$work/$1
  if grep -q '^FATAL' "$dir/out.log"; then
    grep '^FATAL' "$dir/out.log" >&2
    fail "pass '$1' did not run (log: $dir/out.log)"
  fi
  grep -q '^RUN RESULTS:' "$dir/out.log" || { tail -n 40 "$dir/out.log" >&2; fail "pass '$1' printed no RUN RESULTS (log: $dir/out.log)"; }
  if [ "$expect" = pass ]; then
    if ! grep -qx '  Failed tests: No matches\.' "$dir/out.log" \
        || ! grep -qx '  Error tests: No matches\.' "$dir/out.log" \
        || [ "$(cat "$dir/rc")" != 0 ]; then
      summary "$dir" >&2
      fail "pass '$1' has failed or error tests (exit code $(cat "$dir/rc"); log: $dir/out.log, report: $dir/results/index.html)"
    fi
  else
    grep -qx '  Error tests: No matches\.' "$dir/out.log" || { summary "$dir" >&2; fail "pass '$1': a broken variant errored instead of failing"; }
  fi
}

host_jvm_args=()
pass_args=()

listed=$(java -jar "$jar" -l -t "$selector" 2>/dev/null | { grep -E '^dev\.latchkey\.' || true; } | sort -u) || true
[ -n "$listed" ] || fail "no test matches '$selector'"
echo "jcstress $mode: $(wc -l <<<"$listed") tests, preset: ${preset[*]}"

run_pass native "$selector"
check_pass native

ran() { find "$work" -path '*/results/*.html' ! -name index.html -printf '%f\n' | sed 's/\.html$//' | sort -u; }
missing=$(comm -23 <(echo "$listed") <(ran))

if [ -n "$missing" ]; then
  echo "not scheduled on $(nproc) CPUs (more actors than CPUs), rerun oversubscribed on $fake_cpus fake CPUs:"
  sed 's/^/  /' <<<"$missing"
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    fail "these tests need more CPUs than this machine has; the oversubscribed pass needs root and unshare"
  fi
  fake=$work/fake-cpuinfo
  for ((i = 0; i < fake_cpus; i++)); do
    printf 'processor\t: %d\nphysical id\t: 0\ncore id\t\t: %d\n\n' "$i" "$i"
  done > "$fake"
  regexp="^($(sed 's/[.$]/\\&/g' <<<"$missing" | paste -sd '|'))\$"
  host_jvm_args=(-XX:ActiveProcessorCount="$fake_cpus")
  pass_args=(-af NONE)
  # shellcheck disable=SC2016
  run_pass oversubscribed "$regexp" unshare --mount --propagation private sh -c \
    'mount -t tmpfs none /sys/devices/system && mount --bind "$0" /proc/cpuinfo && exec "$@"' "$fake"
  check_pass oversubscribed
  missing=$(comm -23 <(echo "$listed") <(ran))
  [ -z "$missing" ] || fail "never ran: $(paste -sd ' ' <<<"$missing")"
fi

if [ "$expect" = fail ]; then
  for t in $listed; do
    grep -q -F "[FAILED] $t" "$work"/*/out.log || fail "broken variant $t was NOT caught (it should fail)"
  done
  echo "every broken variant was caught; the forbidden outcomes seen:"
  for d in "$work"/*/; do
    sed -n '/^RUN RESULTS:/,/^  Error tests:/p' "$d/out.log" | grep -E '\[FAILED\]|Forbidden' \
      | grep -v -E ' 0 +0\.00% +Forbidden' || true
  done
fi

for d in "$work"/*/; do
  sed -n '/^RUN RESULTS:/,$p' "$d/out.log" | grep -E '^  (Interesting|Failed|Error|All remaining) tests:' | sed "s|^|$(basename "$d"): |"
done
echo "jcstress $mode: OK, $(wc -l <<<"$listed") tests in $(( $(date +%s) - started ))s; reports in $work/*/results/index.html"
