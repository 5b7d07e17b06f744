#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""
Checks JSON output with Python's own parser, independent of the tool's
code and of tests/json.c: against schema/iouringsnoop.schema.json with a
real validator (python3-jsonschema, draft 2020-12), and names byte for
byte.

  schema.py validate FILE...  every line of each FILE is one valid event;
                              prints the first errors, exits 1 on any
  schema.py fields            the keys the schema knows (at any depth)
                              and the keys the man page's "JSON keys"
                              section lists are the same set, and every
                              property of the schema has a description,
                              the one reference for its key; exits 1 and
                              names what differs or lacks one otherwise
  schema.py names OUT TRUTH   every event of a truth record that names
                              its path or comm (^key: hex of the decoded
                              string; path_hex: the file's bytes) gives
                              back those exact bytes: the decoded string,
                              and the bytes from *_hex or from the string
"""
import json
import os
import re
import sys

import jsonschema

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCHEMA = os.path.join(TOP, "schema", "iouringsnoop.schema.json")
MAN = os.path.join(TOP, "man", "iouringsnoop.8")


def validator():
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema, jsonschema.Draft202012Validator(schema)


def validate(paths):
    """Each line against the definition its "type" names, for clear errors."""
    schema, v = validator()
    by_type = {}
    for t in schema["$defs"]:
        sub = dict(schema)
        del sub["oneOf"]
        sub["$ref"] = "#/$defs/" + t
        by_type[t] = jsonschema.Draft202012Validator(sub)
    lines = bad = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="strict") as f:
            for n, line in enumerate(f, 1):
                lines += 1
                try:
                    o = json.loads(line)
                    t = by_type.get(o.get("type"), v)
                    errs = list(t.iter_errors(o)) or list(v.iter_errors(o))
                except (ValueError, AttributeError) as e:
                    errs = [e]
                if errs:
                    bad += 1
                    if bad <= 3:
                        e = errs[0]
                        where = "/".join(map(str, getattr(e, "path", [])))
                        msg = getattr(e, "message", str(e))
                        print(f"{path}:{n}: {where}: {msg[:200]}")
    print(f"{lines} lines, {bad} invalid")
    return 1 if bad or not lines else 0


def truth_records(path):
    """The truth's records: user_data and the names each expects."""
    rec = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "--":
                if "ud" in rec and ("path" in rec or "comm" in rec):
                    yield rec
                rec = {}
                continue
            key, _, val = line.partition("\t")
            if key == "=user_data":
                rec["ud"] = int(val)
            elif key in ("^path", "^comm"):
                rec[key[1:]] = bytes.fromhex(val)
            elif key in ("path", "comm"):
                rec[key] = val.encode("utf-8", "surrogateescape")
            elif key == "path_hex":
                rec["path_raw"] = bytes.fromhex(val)


def names(out, truth):
    events = {}
    with open(out, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if "user_data" in o:
                events.setdefault(o["user_data"], []).append(o)
    checked = bad = 0
    for rec in truth_records(truth):
        for o in events.get(rec["ud"], []):
            for key in ("path", "comm"):
                if key not in rec:
                    continue
                got = o[key].encode("utf-8", "surrogatepass")
                raw = rec.get(key + "_raw", rec[key])
                exact = (bytes.fromhex(o[key + "_hex"])
                         if key + "_hex" in o else got)
                checked += 1
                if got != rec[key] or exact != raw:
                    bad += 1
                    print(f"user_data {rec['ud']}: {key} decodes to "
                          f"{got!r}, bytes {exact!r}; want {rec[key]!r}, "
                          f"{raw!r}")
    print(f"{checked} names checked, {bad} wrong")
    return 1 if bad or not checked else 0


def properties(node, where="#"):
    """Every (pointer, name, schema) of a property, at any depth: in
    $defs, in nested objects and in the items of arrays."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                yield f"{where}/properties/{name}", name, sub
        for k, v in node.items():
            yield from properties(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from properties(v, f"{where}/{i}")


def schema_keys(schema):
    return {name for _, name, _ in properties(schema)}


def undescribed(schema):
    """The properties without a description: the schema is where each
    key is described, once."""
    return [where for where, _, sub in properties(schema)
            if not (isinstance(sub, dict) and
                    str(sub.get("description", "")).strip())]


def man_keys():
    """Keys listed in the "JSON keys" subsection: each .TP entry names a
    kind on its tag line, then lists its keys, in bold, on .B lines (what
    a font change sets in roman or italics there is not a key)."""
    with open(MAN) as f:
        text = f.read()
    start = text.index(".SS JSON keys")
    end = re.search(r"\n\.S[HS] |$", text[start + 1:]).start() + start + 1
    keys = set()
    lines = text[start:end].splitlines()
    for i, line in enumerate(lines):
        if line != ".TP":
            continue
        for key_line in lines[i + 2:]:
            if not key_line.startswith(".B "):
                break
            bold = re.sub(r"\\f[RI].*?(?=\\fB|$)", " ", key_line[3:])
            keys.update(re.findall(r"[a-z][a-z0-9_]*",
                                   bold.replace("\\fB", " ")))
    return keys


def fields():
    schema, _ = validator()
    have, told = schema_keys(schema), man_keys()
    bare = undescribed(schema)
    for k in sorted(have - told):
        print(f"in the schema, not in the man page: {k}")
    for k in sorted(told - have):
        print(f"in the man page, not in the schema: {k}")
    for where in bare:
        print(f"no description in the schema: {where}")
    print(f"{len(have)} keys in the schema, {len(told)} in the man page, "
          f"{len(bare)} properties without a description")
    return 0 if have == told and not bare else 1


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "validate":
        sys.exit(validate(sys.argv[2:]))
    if len(sys.argv) == 2 and sys.argv[1] == "fields":
        sys.exit(fields())
    if len(sys.argv) == 4 and sys.argv[1] == "names":
        sys.exit(names(sys.argv[2], sys.argv[3]))
    sys.exit(__doc__)
