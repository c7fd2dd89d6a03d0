#!/usr/bin/env python3
"""Turns the JMH JSON results (-rf json) of bench.peers into the Markdown tables of PEERS.md.

usage: python3 benchmarks/peers_table.py RESULT.json [RESULT.json ...]

A benchmark found in several files (same method, same database) is taken from the last one.

Methods are named <step><Side> (optimisticHibernate, optimisticLatchkey, ...). For each database
and step the table gives every side's median of the measured iterations, JMH's mean ± error (the
99.9% confidence interval), the allocation per operation (with -prof gc) and the ratio of the
side's median to Latchkey's median in the same run: time per op for single operations (above 1:
the peer is slower), throughput for contention (Latchkey's ops/s over the peer's: above 1: the
peer is slower). optimisticLatchkeyExpectVersion is shown as its own row of the optimistic step.
"""
import json
import statistics
import sys
from collections import OrderedDict

SIDES = ["Hibernate", "Jooq", "Spring", "ShedLock", "Latchkey"]
NAMES = {"Hibernate": "Hibernate", "Jooq": "jOOQ", "Spring": "Spring", "ShedLock": "ShedLock", "Latchkey": "Latchkey"}
STEPS = ["optimistic", "decrement", "nowait", "skipLocked", "lockTimeout", "transfer", "jobLock"]


def db_name(r):
    db = r.get("params", {}).get("db", "")
    for name in ("mariadb", "mysql", "postgresql"):
        if db.startswith("jdbc:" + name):
            return name
    return db


def side_step(method):
    """(side, step, variant) of a method named <step><Side>[<Variant>]."""
    for side in SIDES:
        i = method.find(side)
        if i > 0:
            return side, method[:i], method[i + len(side):]
    return None, method, ""


def median(r):
    """Sample mode (-bm sample): the median of every operation's time; otherwise the median of
    the iterations' scores."""
    m = r["primaryMetric"]
    if r.get("mode") == "sample" and "50.0" in m.get("scorePercentiles", {}):
        return m["scorePercentiles"]["50.0"]
    raw = [x for fork in m.get("rawData", []) for x in fork]
    return statistics.median(raw) if raw else m["score"]


def fmt(x, digits=None):
    if x is None:
        return "-"
    if digits is None:
        digits = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    return f"{x:,.{digits}f}"


def err(m):
    e = m.get("scoreError")
    return None if e in (None, "NaN") or e != e else e


def main(paths):
    latest = OrderedDict()  # a benchmark run again in a later file replaces the earlier run
    for p in paths:
        with open(p) as f:
            for r in json.load(f):
                latest[(r["benchmark"], db_name(r))] = r
    runs = list(latest.values())
    single = OrderedDict()
    contention = OrderedDict()
    for r in runs:
        parts = r["benchmark"].split(".")
        side, step, variant = side_step(parts[-1])
        if side is None:
            continue
        if parts[-2].startswith("T") and parts[-2][1:].isdigit():
            contention.setdefault((db_name(r), step, r["threads"]), {})[side] = r
        else:
            label = NAMES[side] + (" " + variant[0].lower() + variant[1:] if variant else "")
            single.setdefault((db_name(r), step), []).append((label, side, variant, r))

    for db in OrderedDict((k[0], None) for k in single):
        print(f"#### {db}: one operation, uncontended (µs/op)\n")
        print("| step | side | median | mean ± error | B/op | median / Latchkey's |")
        print("|---|---|---:|---:|---:|---:|")
        for step in STEPS:
            rows = single.get((db, step))
            if not rows:
                continue
            base = next((median(r) for label, side, v, r in rows if side == "Latchkey" and not v), None)
            rows.sort(key=lambda row: (SIDES.index(row[1]), row[2]))
            for label, side, v, r in rows:
                m = r["primaryMetric"]
                alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
                e = err(m)
                mean = fmt(m["score"]) + (" ± " + fmt(e) if e is not None else "")
                ratio = f"{median(r) / base:.2f}" if base else "-"
                print(f"| {step} | {label} | {fmt(median(r))} | {mean} | {fmt(alloc, 0)} | {ratio} |")
        print()

    for db in OrderedDict((k[0], None) for k in contention):
        print(f"#### {db}: one hot row, 1 / 4 / 16 threads (ops/s)\n")
        print("| step | threads | side | median ops/s | mean ± error | retries/op | gave up/s | Latchkey's / side's |")
        print("|---|---:|---|---:|---:|---:|---:|---:|")
        keys = sorted((k for k in contention if k[0] == db), key=lambda k: (STEPS.index(k[1]), k[2]))
        for key in keys:
            sides = contention[key]
            base = median(sides["Latchkey"]) if "Latchkey" in sides else None
            for side in SIDES:
                r = sides.get(side)
                if r is None:
                    continue
                m = r["primaryMetric"]
                sec = r.get("secondaryMetrics", {})
                retries = sec.get("retries", {}).get("score")
                gave_up = sec.get("gaveUp", {}).get("score")
                e = err(m)
                mean = fmt(m["score"]) + (" ± " + fmt(e) if e is not None else "")
                per_op = retries / m["score"] if retries is not None and m["score"] else None
                ratio = f"{base / median(r):.2f}" if base and median(r) else "-"
                print(f"| {key[1]} | {key[2]} | {NAMES[side]} | {fmt(median(r))} | {mean} | {fmt(per_op, 2)} "
                      f"| {fmt(gave_up, 1)} | {ratio} |")
        print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
