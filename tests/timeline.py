#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks of a --timeline file, for tests/timeline.sh.

    timeline.py parse FILE            valid JSON, the object form
    timeline.py iowq FILE TRUTH       the timeline case's requests, exactly
    timeline.py fio FILE FIO_JSON P   one WRITE slice per fio I/O on file P
    timeline.py requests FILE         "NAME USER_DATA" per request slice

Times are read as decimals, so that a slice's end is compared exactly.
Prints what is wrong and exits 1, or prints a one-line verdict.
"""
import collections
import decimal
import json
import sys

TID_BITS = (1 << 22) - 1    # a track's tid: the thread's, in its low bits


def load(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f, parse_float=decimal.Decimal)
    if not isinstance(d, dict) or not isinstance(d.get("traceEvents"), list):
        raise ValueError("no traceEvents array in a JSON object")
    return d["traceEvents"]


def slices(events, cat):
    return [e for e in events if e.get("ph") == "X" and e.get("cat") == cat]


def by_user_data(items):
    out = collections.defaultdict(list)
    for e in items:
        out[e["args"]["user_data"]].append(e)
    return out


def check_iowq(events, truth):
    """Each request of the truth: one slice on its thread's tracks; those
    on io-wq one io-wq slice inside it, linked by a flow pair; the inline
    ones none."""
    t = dict(l.split("\t", 1) for l in truth if not l.startswith(("inline", "iowq")))
    pid, tid = int(t["pid"]), int(t["tid"])
    reqs = by_user_data(slices(events, "request"))
    works = by_user_data(slices(events, "io-wq"))
    flows = collections.defaultdict(dict)
    for e in events:
        if e.get("ph") in ("s", "f"):
            flows[e["id"]][e["ph"]] = e
    bad = []
    n = 0
    for line in truth:
        kind, ud, op = (line.split("\t") + ["", ""])[:3]
        if kind not in ("inline", "iowq"):
            continue
        n += 1
        r, w = reqs.get(ud, []), works.get(ud, [])
        if len(r) != 1 or r[0]["name"] != op or r[0]["pid"] != pid or \
           r[0]["tid"] & TID_BITS != tid or r[0]["dur"] < 0:
            bad.append(f"{ud}: request slices {r}")
            continue
        want = 1 if kind == "iowq" else 0
        if len(w) != want:
            bad.append(f"{ud}: {len(w)} io-wq slices, want {want}")
            continue
        if not w:
            continue
        r, w = r[0], w[0]
        if not (r["ts"] <= w["ts"] and
                w["ts"] + w["dur"] <= r["ts"] + r["dur"]):
            bad.append(f"{ud}: io-wq {w['ts']}+{w['dur']} not inside "
                       f"{r['ts']}+{r['dur']}")
        pairs = [p for p in flows.values()
                 if p.get("s", {}).get("tid") == r["tid"] and
                 p.get("f", {}).get("tid") == w["tid"] and
                 r["ts"] <= p["s"]["ts"] <= r["ts"] + r["dur"] and
                 w["ts"] <= p["f"]["ts"] <= w["ts"] + w["dur"] and
                 p["f"].get("bp") == "e"]
        if len(pairs) != 1:
            bad.append(f"{ud}: {len(pairs)} flow pairs to its io-wq slice")
        if w["name"] != op or w["pid"] != pid or w["tid"] & TID_BITS != tid:
            bad.append(f"{ud}: io-wq slice {w}")
    if bad:
        return bad
    return f"{n} requests, {sum(l.startswith('iowq') for l in truth)} on io-wq"


def check_fio(events, fio_json, path):
    with open(fio_json, encoding="utf-8") as f:
        text = f.read()
    # fio may print notes before its JSON
    fio = json.loads(text[text.index("{"):])
    want = sum(j["write"]["total_ios"] for j in fio["jobs"])
    got = [e for e in slices(events, "request")
           if e["name"] == "WRITE" and e["args"].get("path") == path]
    neg = [e for e in got if e["dur"] < 0]
    if len(got) != want or neg or not want:
        return [f"{len(got)} WRITE slices of {path}, fio did {want} "
                f"({len(neg)} with dur < 0)"]
    return f"{want} WRITE slices, as fio's total_ios"


def main(argv):
    try:
        events = load(argv[2])
        if argv[1] == "parse":
            res = f"{len(events)} trace events"
        elif argv[1] == "iowq":
            with open(argv[3], encoding="utf-8") as f:
                res = check_iowq(events, f.read().splitlines())
        elif argv[1] == "fio":
            res = check_fio(events, argv[3], argv[4])
        elif argv[1] == "requests":
            for e in slices(events, "request"):
                print(e["name"], e["args"]["user_data"])
            return 0
        else:
            raise ValueError(f"unknown check {argv[1]}")
    except (OSError, ValueError, KeyError, TypeError, IndexError) as err:
        print(f"{type(err).__name__}: {err}")
        return 1
    if isinstance(res, list):
        print("; ".join(res[:5]))
        return 1
    print(res)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
