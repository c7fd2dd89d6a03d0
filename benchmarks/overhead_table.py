#!/usr/bin/env python3
"""The stub-driver table of RESULTS.md: what Latchkey adds per operation, in ns and bytes.

usage: python3 benchmarks/overhead_table.py AFTER.json [BEFORE.json]

Reads JMH JSON (-rf json, with -prof gc) of the dev.latchkey.bench.overhead benchmarks. A method
"<op>Latchkey" is paired with "<op>HandWritten" of the same class and parameters ("latchkey" with
"handWritten"; "atomicUpdatePrepared" with "atomicUpdateHandWritten"). Added = Latchkey - hand-written.
With BEFORE.json (the same benchmarks on an earlier build) the table shows both side by side.
"""
import json
import sys


def load(path):
    out = {}
    with open(path) as f:
        for b in json.load(f):
            parts = b["benchmark"].split(".")
            cls, method = parts[-2], parts[-1]
            params = ",".join(f"{k}={v}" for k, v in sorted((b.get("params") or {}).items()))
            norm = b["secondaryMetrics"].get("gc.alloc.rate.norm", {})
            gc = (norm.get("score"), norm.get("scoreError"))
            out[(cls, method, params)] = (b["primaryMetric"]["score"], b["primaryMetric"]["scoreError"], gc)
    return out


def baseline(method):
    if method == "latchkey":
        return "handWritten"
    if method.endswith("Latchkey"):
        return method[: -len("Latchkey")] + "HandWritten"
    if method.endswith("Prepared"):
        return method[: -len("Prepared")] + "HandWritten"
    return None


def pairs(results):
    for (cls, method, params), lat in sorted(results.items()):
        base = baseline(method)
        if base and (cls, base, params) in results:
            yield (cls, method, params), lat, results[(cls, base, params)]


def by(gc):
    """Bytes per op, with JMH's error when it is not ~0 (the JIT had not settled in every iteration)."""
    score, err = gc
    return f"{score:,.0f}" + (f" ± {err:,.0f}" if err is not None and err == err and err >= 1 else "")


def ns(x, err=None):
    s = f"{x:,.0f}"
    return s + (f" ± {err:,.0f}" if err is not None and err == err else "")


def main():
    after = load(sys.argv[1])
    before = load(sys.argv[2]) if len(sys.argv) > 2 else None
    head = "| operation | hand-written ns/op | Latchkey ns/op | **added ns** | hand-written B/op | Latchkey B/op | **added B** |"
    rule = "|---|---:|---:|---:|---:|---:|---:|"
    if before:
        head += " before: Latchkey ns/op | before: added ns | before: Latchkey B/op | before: added B |"
        rule += "---:|---:|---:|---:|"
    print(head)
    print(rule)
    for key, (lt, le, lb), (ht, he, hb) in pairs(after):
        cls, method, params = key
        name = f"{cls.replace('OverheadBenchmark', '')}.{method}" + (f" ({params})" if params else "")
        row = (f"| {name} | {ns(ht, he)} | {ns(lt, le)} | **{ns(lt - ht)}** | {by(hb)} | {by(lb)} "
               f"| **{lb[0] - hb[0]:,.0f}** |")
        if before:
            old = before.get(key)
            base = before.get((cls, baseline(method), params))
            if old and base:
                row += f" {ns(old[0], old[1])} | {ns(old[0] - base[0])} | {by(old[2])} | {old[2][0] - base[2][0]:,.0f} |"
            else:
                row += " - | - | - | - |"
        print(row)


if __name__ == "__main__":
    main()
