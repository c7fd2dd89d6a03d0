#!/usr/bin/env python3
"""Turns JMH JSON results (-rf json) into the Markdown tables of RESULTS.md.

usage: python3 benchmarks/results_table.py RESULT.json [RESULT.json ...]

Pairs: a method ending in "Latchkey" (or named "latchkey") is paired with the method of the same
class and parameters ending in "HandWritten" (or named "handWritten"); the in-memory classes pair
with their "...ConcurrentHashMap" / "reentrantLock" baselines. The ratio is Latchkey's time per
operation over the baseline's (for throughput: the baseline's ops/s over Latchkey's), with the
JMH errors of both sides propagated as relative errors (a rough +/-, not a confidence interval).
"""
import json
import math
import sys
from collections import OrderedDict


def load(paths):
    runs = []
    for p in paths:
        with open(p) as f:
            runs.extend(json.load(f))
    return runs


def split(name):
    parts = name.split(".")
    method = parts[-1]
    cls = parts[-2]
    if cls.startswith("T") and cls[1:].isdigit():  # HotRowContentionBenchmark.T04
        cls = parts[-3] + "." + cls
    return cls, method


def fmt(x, err=None, digits=None):
    if x is None:
        return "-"
    if digits is None:
        digits = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    s = f"{x:,.{digits}f}"
    if err is not None and not math.isnan(err):
        s += f" ± {err:,.{digits}f}"
    return s


def ratio(lat, base, throughput):
    """The time ratio and its propagated error (None when a side has no error: one iteration)."""
    (l, le), (b, be) = lat, base
    r = b / l if throughput else l / b
    if le is None or be is None:
        return r, None
    rel = math.sqrt((le / l if l else 0) ** 2 + (be / b if b else 0) ** 2)
    return r, r * rel


def fmt_ratio(r, re):
    return f"{r:.2f}" if re is None else f"{r:.2f} ± {re:.2f}"


def err(m):
    e = m.get("scoreError")
    return None if e is None or e == "NaN" or (isinstance(e, float) and math.isnan(e)) else e


def main(paths):
    runs = load(paths)
    by_key = OrderedDict()
    for r in runs:
        cls, method = split(r["benchmark"])
        db = r.get("params", {}).get("db", "")
        by_key[(cls, db, method)] = r

    pairs = []  # (cls, db, op, latchkey run, baseline run)
    for (cls, db, method), r in by_key.items():
        if cls.startswith("HotRowContention"):
            continue
        if method == "latchkey":
            base = by_key.get((cls, db, "handWritten"))
            op = ""
        elif method.endswith("Latchkey"):
            op = method[: -len("Latchkey")]
            base = by_key.get((cls, db, op + "HandWritten"))
        else:
            continue
        if base:
            pairs.append((cls, db, op, r, base))

    db_order = {"embedded-postgres": 0, "postgres": 1, "mariadb": 2, "h2": 3}
    pairs.sort(key=lambda p: (db_order.get(p[1], 9), p[1]))  # stable: keeps JMH's order within a database
    if pairs:
        print("| benchmark | db | Latchkey (µs/op) | hand-written (µs/op) | ratio |")
        print("|---|---|---:|---:|---:|")
        for cls, db, op, lat, base in pairs:
            lm, bm = lat["primaryMetric"], base["primaryMetric"]
            r, re = ratio((lm["score"], err(lm)), (bm["score"], err(bm)), False)
            name = cls + ("." + op if op else "")
            print(f"| {name} | {db} | {fmt(lm['score'], err(lm))} | {fmt(bm['score'], err(bm))} "
                  f"| {fmt_ratio(r, re)} |")
        print()

    contention = OrderedDict()
    for (cls, db, method), r in by_key.items():
        if not cls.startswith("HotRowContention"):
            continue
        threads = r["threads"]
        kind = "Latchkey" if method.endswith("Latchkey") else "hand-written"
        strategy = method.replace("Latchkey", "").replace("HandWritten", "")
        contention.setdefault((db, strategy, threads), {})[kind] = r
    if contention:
        print("| db | strategy | threads | Latchkey (ops/s) | retries/op | hand-written (ops/s) | retries/op "
              "| time ratio |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        order = {"atomic": 0, "optimistic": 1, "pessimistic": 2}
        for (db, strategy, threads) in sorted(contention, key=lambda k: (k[0], order.get(k[1], 9), k[2])):
            sides = contention[(db, strategy, threads)]
            cells = []
            vals = []
            for kind in ("Latchkey", "hand-written"):
                r = sides.get(kind)
                if r is None:
                    cells += ["-", "-"]
                    vals.append(None)
                    continue
                m = r["primaryMetric"]
                retries = r.get("secondaryMetrics", {}).get("retries", {}).get("score")
                per_op = retries / m["score"] if retries is not None and m["score"] else None
                cells += [fmt(m["score"], err(m)), fmt(per_op, digits=2)]
                vals.append((m["score"], err(m)))
            rt = "-"
            if vals[0] and vals[1]:
                rt = fmt_ratio(*ratio(vals[0], vals[1], True))
            print(f"| {db} | {strategy} | {threads} | " + " | ".join(cells) + f" | {rt} |")
        print()

    inmem = [(cls, method, r) for (cls, db, method), r in by_key.items()
             if cls in ("InMemoryIdempotencyBenchmark", "KeyedLockBenchmark")]
    if inmem:
        print("| benchmark | ns/op | allocated B/op |")
        print("|---|---:|---:|")
        for cls, method, r in inmem:
            m = r["primaryMetric"]
            alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
            print(f"| {cls}.{method} | {fmt(m['score'], err(m))} | {fmt(alloc, digits=0)} |")
        print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
