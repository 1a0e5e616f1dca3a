#!/usr/bin/env python3
"""dissect_check.py EXPECTED.tsv OUTPUT.jsonl: compare `sipflow --dissect`
output (one JSON object per file) with an expected-results table.

Table columns (tab-separated, '#' comments): file verdict reason kind call_id
cseq cseq_method request_uri body_length [extra].  "-" skips a column.
verdict: valid (complete, no reason), lenient (complete, reason as given or
none), rejected (malformed or not_sip, with that reason).  extra: checks
path=value, space-separated; path is dotted (list indexes as numbers),
"path#" is the length of a list or string; negative list indexes count from
the end; "hdr.NAME.K" is the value of the K-th header called NAME (as
written, or its canonical name; any case); the value None means absent; in
values "\\s" stands for a space.
Prints one line per mismatch; exit 1 if any, 0 otherwise."""
import json
import os
import sys


def lookup(d, path):
    count = path.endswith("#")
    if count:
        path = path[:-1]
    if path.startswith("hdr."):
        _, name, k = path.split(".", 2)
        vals = [h.get("value") for h in d.get("headers", [])
                if h["name"].lower() == name.lower() or h.get("id", "").lower() == name.lower()]
        d = {"v": vals}
        path = "v." + k
    for k in path.split("."):
        if isinstance(d, list):
            try:
                i = int(k)
            except ValueError:
                return None
            d = d[i] if -len(d) <= i < len(d) else None
        elif isinstance(d, dict):
            d = d.get(k)
        else:
            d = None
        if d is None:
            return None
    if count:
        return str(len(d)) if isinstance(d, (list, str)) else None
    return str(d)


def main():
    rows = []
    for line in open(sys.argv[1], encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    got = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        o = json.loads(line)
        got[os.path.basename(o["file"])] = o
    bad = 0

    def fail(f, what, want, have):
        nonlocal bad
        bad += 1
        print("FAIL %s: %s: want %r, got %r" % (f, what, want, have))

    for r in rows:
        r += ["-"] * (10 - len(r))
        f, verdict, reason, kind, call_id, cseq, cmeth, ruri, blen, extra = r[:10]
        o = got.get(f)
        if o is None:
            fail(f, "output", "an object", None)
            continue
        res, mal = o.get("result"), o.get("malformed")
        if verdict == "valid":
            if res != "complete" or mal is not None:
                fail(f, "result", "complete", (res, mal))
        elif verdict == "lenient":
            want = None if reason == "-" else reason
            if res != "complete" or mal != want:
                fail(f, "result", ("complete", want), (res, mal))
        elif verdict == "rejected":
            have = "not_sip" if res == "not_sip" else mal
            if res not in ("malformed", "not_sip") or have != reason:
                fail(f, "result", ("rejected", reason), (res, mal))
        else:
            fail(f, "verdict column", "valid/lenient/rejected", verdict)
        if kind != "-":
            have = o.get("method") if o.get("type") == "request" else str(o.get("status"))
            if have != kind:
                fail(f, "method/status", kind, have)
        checks = [("call_id", call_id), ("cseq.number", cseq), ("cseq.method", cmeth),
                  ("request_uri.text", ruri), ("body_length", blen)]
        for kv in extra.split(" ") if extra != "-" else []:
            k, _, v = kv.partition("=")
            checks.append((k, v.replace("\\s", " ")))
        for path, want in checks:
            if want == "-":
                continue
            have = lookup(o, path)
            if want == "None" and have is None:
                continue
            if have != want:
                fail(f, path, want, have)
    print("%d messages checked, %d mismatches" % (len(rows), bad))
    return 1 if bad else 0


sys.exit(main())
