#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""
Checks -s -j output against the truth of "workload summary" (see
tests/workload_summary.c): the rows of the workload's process, added
over every interval, give exactly the counts, errors, bytes and errnos
the workload caused; one request lies in the latency bucket it must.

  summary.py OUT TRUTH [--only] [--intervals N]

--only: every row is the workload's (a -p or -c filter kept nothing
else). --intervals N: its rows come from at least N intervals, each
following the one before without a gap or overlap. Prints what is wrong
and exits 1, or prints a one-line verdict.
"""
import json
import sys


def truth(path):
    want = {"rows": {}, "slow": []}
    with open(path) as f:
        for line in f:
            w = line.rstrip("\n").split("\t")
            if w[0] in ("pid", "comm"):
                want[w[0]] = w[1]
            elif w[0] == "row":
                errnos = {} if w[5] == "-" else {
                    k: int(v) for k, v in
                    (e.split(":") for e in w[5].split(","))}
                want["rows"][w[1]] = {"count": int(w[2]),
                                      "errors": int(w[3]),
                                      "bytes": int(w[4]),
                                      "errnos": errnos}
            elif w[0] == "slow":
                want["slow"].append((w[1], int(w[2])))
    return want


def merge(rows):
    """The workload's rows by op, added over the intervals."""
    by_op = {}
    for r in rows:
        op = r["op"].removeprefix("IORING_OP_")
        m = by_op.setdefault(op, {"count": 0, "errors": 0, "bytes": 0,
                                  "errnos": {}, "hist": {}, "max_ns": 0})
        for k in ("count", "errors", "bytes"):
            m[k] += r[k]
        for k, v in r["errnos"].items():
            m["errnos"][k] = m["errnos"].get(k, 0) + v
        for b in r.get("hist", []):
            m["hist"][b["low_ns"]] = m["hist"].get(b["low_ns"], 0) + b["count"]
        m["max_ns"] = max(m["max_ns"], r["max_ns"])
    return by_op


def intervals_ok(rows, n, bad):
    spans = sorted({(r["interval_start"], r["interval_end"]) for r in rows})
    if len(spans) < n:
        bad.append(f"rows from {len(spans)} intervals, want at least {n}")
    for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
        if s1 < e0:
            bad.append(f"intervals overlap: {s0}..{e0} and {s1}..{e1}")


def check(out, want, only, n):
    rows = []
    with open(out) as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "summary":
                rows.append(o)
    pid = int(want["pid"])
    mine = [r for r in rows if r["pid"] == pid]
    bad = []
    if only and len(mine) != len(rows):
        bad.append(f"{len(rows) - len(mine)} rows of other processes")
    for r in mine:
        if r["comm"] != want["comm"]:
            bad.append(f"{r['op']}: comm {r['comm']!r}")
    got = merge(mine)
    for op in sorted(set(got) | set(want["rows"])):
        g, w = got.get(op), want["rows"].get(op)
        if not g or not w or any(g[k] != w[k] for k in w):
            bad.append(f"{op}: got {g and {k: g[k] for k in w}}, want {w}")
    # the slow request is the op's slowest: max_ns, and (-H) its bucket
    for op, k in want["slow"]:
        low = 1 << k
        m = got.get(op, {"max_ns": 0, "hist": {}})
        if not low <= m["max_ns"] < 2 * low:
            bad.append(f"{op}: max_ns {m['max_ns']} not in bucket {k}")
        if any("hist" in r for r in mine) and m["hist"].get(low) != 1:
            bad.append(f"{op}: bucket {k} ({low} ns) has "
                       f"{m['hist'].get(low)}, not 1")
    if n:
        intervals_ok(mine, n, bad)
    for b in bad:
        print(b)
    if not bad:
        print(f"{len(mine)} rows of pid {pid} match, "
              f"{sum(r['count'] for r in mine)} completions")
    return 1 if bad else 0


if __name__ == "__main__":
    a = sys.argv[1:]
    only = "--only" in a
    n = int(a[a.index("--intervals") + 1]) if "--intervals" in a else 0
    if len(a) < 2:
        sys.exit(__doc__)
    sys.exit(check(a[0], truth(a[1]), only, n))
