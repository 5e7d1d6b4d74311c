#!/usr/bin/python3
"""json_check.py SCHEMA CASE...: check plugin runs made with --output-format=json.

Each CASE is NAME=OUTFILE (split at the last "="):RC[:CODE[,CODE...]]: OUTFILE holds the plugin's stdout, RC its exit
code; CODEs must appear as finding codes somewhere in the document; CODE[a+b] also
requires that a finding of CODE has the subject fields a and b. For each case one line
"ok NAME" or "not ok NAME: why" (TAP results are made by the calling shell script). The checks:
stdout is exactly one JSON document and a newline, it validates against SCHEMA (JSON Schema,
python3-jsonschema), its exit_code is the process's exit code, and the codes are there.
"""
import json
import sys

import jsonschema


def walk(findings):
    for f in findings:
        yield f
        yield from walk(f.get("findings", []))


def check(validator, outfile, rc, want):
    with open(outfile, "rb") as f:
        raw = f.read()
    if not raw.endswith(b"\n") or raw.count(b"\n") != 1:
        return "not one line ending in a newline: %r" % raw[:300]
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return "not JSON (%s): %r" % (e, raw[:300])
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        return "schema: %s at %s" % (e.message[:300], "/".join(str(p) for p in e.path))
    if doc["exit_code"] != rc:
        return "exit_code %d in the document, process exit code %d" % (doc["exit_code"], rc)
    found = list(walk(doc["findings"]))
    seen = set(f["code"] for f in found)
    for w in want:
        code, _, fields = w.partition("[")
        fields = [x for x in fields.rstrip("]").split("+") if x]
        hits = [f for f in found if f["code"] == code]
        if not hits:
            return "no finding %s (codes: %s)" % (code, ", ".join(sorted(seen)))
        if fields and not any(all(x in f["subject"] for x in fields) for f in hits):
            return "no finding %s with subject %s (subjects: %s)" % (
                code, "+".join(fields), [sorted(f["subject"]) for f in hits])
    return None


def main():
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for case in sys.argv[2:]:
        name, _, rest = case.rpartition("=")
        parts = rest.split(":")
        outfile, rc = parts[0], int(parts[1])
        want = parts[2].split(",") if len(parts) > 2 and parts[2] else []
        why = check(validator, outfile, rc, want)
        if why is None:
            print("ok %s" % name)
        else:
            bad += 1
            print("not ok %s: %s" % (name, why))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
