#!/usr/bin/env python3
"""Latchkey / hand-written ratios on a real database, interleaved across many forks.

usage: python3 benchmarks/interleaved.py [--db DB ...] [--rounds N] [--warmup N] [--iterations N]
                                         [--time 1s] [--pairs REGEX] [--out DIR]

A JMH interval over a few iterations of one fork per side is far wider than the few per cent a
pair differs by on a shared machine: the weather changes between the Latchkey fork and the
hand-written one. Here every pair runs in rounds; a round is one fork of each side, back to back
(the order alternating from round to round), and gives one ratio. The figure is the median of
the per-round ratios, with their spread (min-max, and half of the inter-quartile range as +/-),
so drift during the run moves both sides of a round together instead of one side of the figure.

Each fork's JSON is kept under --out; the table is printed as Markdown.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

# class, Latchkey method, hand-written method
PAIRS = [
    ("dev.latchkey.bench.update.AtomicUpdateBenchmark", "latchkey", "handWritten"),
    ("dev.latchkey.bench.update.OptimisticUpdateBenchmark", "latchkey", "handWritten"),
    ("dev.latchkey.bench.lock.RowLockBenchmark", "byKeyLatchkey", "byKeyHandWritten"),
    ("dev.latchkey.bench.lock.RowLockBenchmark", "nowaitLatchkey", "nowaitHandWritten"),
    ("dev.latchkey.bench.lock.RowLockBenchmark", "skipLockedClaimLatchkey", "skipLockedClaimHandWritten"),
    ("dev.latchkey.bench.tx.TransactionRunnerBenchmark", "latchkey", "handWritten"),
    ("dev.latchkey.bench.idempotency.IdempotencyBenchmark", "claimCompleteLatchkey", "claimCompleteHandWritten"),
    ("dev.latchkey.bench.idempotency.IdempotencyBenchmark", "replayLatchkey", "replayHandWritten"),
]


def run_fork(jar, cls, method, db, args, out):
    path = os.path.join(out, f"{cls.rsplit('.', 1)[1]}.{method}.{len(os.listdir(out))}.json")
    cmd = ["java", "-Djmh.ignoreLock=true", "-jar", jar, f"{re.escape(cls)}\\.{method}$", "-f", "1",
           "-wi", str(args.warmup), "-w", args.time, "-i", str(args.iterations), "-r", args.time,
           "-p", f"db={db}", "-foe", "true", "-rf", "json", "-rff", path]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(path) as f:
        return json.load(f)[0]["primaryMetric"]["score"]


def quartiles(xs):
    xs = sorted(xs)
    if len(xs) < 4:
        return xs[0], xs[-1]
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", action="append", help="a BenchDatabase name or JDBC URL (repeatable)")
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=3)
    p.add_argument("--time", default="1s")
    p.add_argument("--pairs", default=".", help="regex over 'Class.method' of the Latchkey side")
    p.add_argument("--out", default="benchmarks/target/results/interleaved")
    p.add_argument("--jar", default="benchmarks/target/benchmarks.jar")
    args = p.parse_args()
    dbs = args.db or ["embedded-postgres"]
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for db in dbs:
        for cls, lk, hw in PAIRS:
            name = f"{cls.rsplit('.', 1)[1]}.{lk}"
            if not re.search(args.pairs, name):
                continue
            ratios, lks, hws = [], [], []
            for r in range(args.rounds):
                order = [(lk, lks), (hw, hws)] if r % 2 == 0 else [(hw, hws), (lk, lks)]
                for method, into in order:
                    into.append(run_fork(args.jar, cls, method, db, args, args.out))
                ratios.append(lks[-1] / hws[-1])
                print(f"  {db} {name} round {r + 1}: {lks[-1]:.1f} / {hws[-1]:.1f} = {ratios[-1]:.3f}",
                      file=sys.stderr, flush=True)
            med = statistics.median(ratios)
            q1, q3 = quartiles(ratios)
            rows.append((name, db, statistics.median(lks), statistics.median(hws), med, (q3 - q1) / 2,
                         min(ratios), max(ratios), len(ratios)))
    print("| benchmark | db | Latchkey (median, us/op) | hand-written (median, us/op) | ratio (median of rounds) "
          "| ± (half IQR) | min-max | rounds |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, db, l, h, med, half, lo, hi, n in rows:
        shown = db if not db.startswith("jdbc:") else db.split("?")[0]
        print(f"| {name} | {shown} | {l:.1f} | {h:.1f} | {med:.3f} | {half:.3f} ({100 * half / med:.1f}%) "
              f"| {lo:.3f}-{hi:.3f} | {n} |")


if __name__ == "__main__":
    main()
