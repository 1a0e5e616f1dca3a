#!/usr/bin/env python3
"""check_judge.py: judge sipflow-check's output against each format's spec.

  check_judge.py parse influx|json|prometheus FILE   -> normalised JSON lines
  check_judge.py expect NORMFILE SERVER COND...      -> exit 1 unless every
                                                        row of SERVER meets COND

Parsers (written from the specs, sharing nothing with sipflow-check):
  influx      InfluxDB line protocol reference ("special characters": tag
              keys/values escape comma, equals, space; string fields escape
              double quote and backslash; \\\\ is one backslash), strict:
              anything else is an error;
  json        Python's json module, Telegraf's serializer layout;
  prometheus  text exposition format 0.0.4: a strict line checker (HELP and
              TYPE before the samples of a family, the samples of a family
              together, label values escaping only \\\\ \\" \\n, no duplicate
              series) and, when installed, the official client's parser
              (prometheus_client.parser) must agree.

COND: tag.NAME=VALUE, field.NAME=VALUE, tag.NAME^=PREFIX, tag.NAME!  (absent),
      field.NAME>0, field.NAME? (present).  Normalised rows are
      {"tags": {...}, "fields": {...}, "ts": int|None}.
"""
import json
import re
import sys

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


class Bad(Exception):
    pass


def influx_token(line, i, stops):
    """Read an escaped key/tag value up to one of stops; returns (text, i)."""
    out = []
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line) and line[i + 1] in ",= \\":
            out.append(line[i + 1])
            i += 2
            continue
        if c in stops:
            break
        if c == "\\" and i + 1 == len(line):
            raise Bad("trailing backslash")
        out.append(c)
        i += 1
    return "".join(out), i


def parse_influx_line(line):
    meas, i = influx_token(line, 0, ", ")
    if meas != "sip":
        raise Bad("measurement %r" % meas)
    tags = {}
    while i < len(line) and line[i] == ",":
        k, i = influx_token(line, i + 1, "=, ")
        if i >= len(line) or line[i] != "=":
            raise Bad("tag without =")
        v, i = influx_token(line, i + 1, ", =")
        if i < len(line) and line[i] == "=":
            raise Bad("unescaped = in tag value")
        if not k or not v:
            raise Bad("empty tag key or value")
        if k in tags:
            raise Bad("tag %s twice" % k)
        tags[k] = v
    if i >= len(line) or line[i] != " ":
        raise Bad("no field set")
    i += 1
    fields = {}
    while True:
        k, i = influx_token(line, i, "=, ")
        if i >= len(line) or line[i] != "=" or not k:
            raise Bad("bad field key")
        i += 1
        if i < len(line) and line[i] == '"':
            i += 1
            val = []
            while True:
                if i >= len(line):
                    raise Bad("unterminated string")
                c = line[i]
                if c == "\\" and i + 1 < len(line) and line[i + 1] in '"\\':
                    val.append(line[i + 1])
                    i += 2
                    continue
                if c == '"':
                    i += 1
                    break
                val.append(c)
                i += 1
            fields[k] = "".join(val)
        else:
            m = re.compile(r"(-?\d+)i|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(t|T|true|True|TRUE|f|F|false|False|FALSE)").match(line, i)
            if not m:
                raise Bad("bad field value at %d" % i)
            if m.group(1) is not None:
                fields[k] = int(m.group(1))
            elif m.group(2) is not None:
                fields[k] = float(m.group(2))
            else:
                fields[k] = m.group(3).lower().startswith("t")
            i = m.end()
        if i < len(line) and line[i] == ",":
            i += 1
            continue
        break
    ts = None
    if i < len(line):
        if line[i] != " " or not re.fullmatch(r"-?\d+", line[i + 1:]):
            raise Bad("bad timestamp")
        ts = int(line[i + 1:])
    tk = list(tags)
    if tk != sorted(tk):
        raise Bad("tags not sorted by key")
    return {"tags": tags, "fields": fields, "ts": ts}


def parse_influx(text):
    if text and not text.endswith("\n"):
        raise Bad("no final newline")
    return [parse_influx_line(l) for l in text.split("\n") if l != ""]


def parse_json(text):
    rows = []
    for l in text.split("\n"):
        if not l:
            continue
        d = json.loads(l)
        if set(d) != {"fields", "name", "tags", "timestamp"} or d["name"] != "sip":
            raise Bad("not Telegraf's JSON layout: %r" % d)
        for k, v in d["tags"].items():
            if not isinstance(v, str):
                raise Bad("tag %s is not a string" % k)
        rows.append({"tags": d["tags"], "fields": d["fields"], "ts": d["timestamp"]})
    return rows


PROM_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$')


def prom_labels(s):
    labels, i = {}, 0
    while i < len(s):
        m = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="').match(s, i)
        if not m:
            raise Bad("bad label at %r" % s[i:])
        i = m.end()
        val = []
        while True:
            if i >= len(s):
                raise Bad("unterminated label value")
            c = s[i]
            if c == "\\":
                nxt = s[i + 1:i + 2]
                if nxt not in ('\\', '"', 'n'):
                    raise Bad("bad escape \\%s" % nxt)
                val.append("\n" if nxt == "n" else nxt)
                i += 2
                continue
            if c == '"':
                i += 1
                break
            if c == "\n":
                raise Bad("raw newline in label value")
            val.append(c)
            i += 1
        if m.group(1) in labels:
            raise Bad("label %s twice" % m.group(1))
        labels[m.group(1)] = "".join(val)
        if i < len(s):
            if s[i] != ",":
                raise Bad("expected , between labels")
            i += 1
    return labels


def parse_prometheus(text):
    if text and not text.endswith("\n"):
        raise Bad("no final newline")
    typed, helped, done, current = {}, set(), set(), None
    series = {}
    seen = set()
    for line in text.split("\n"):
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not NAME_RE.fullmatch(name):
                    raise Bad("bad metric name %r" % name)
                if name in done or (name in typed and parts[1] == "TYPE") or (name in helped and parts[1] == "HELP"):
                    raise Bad("%s for %s repeated or after its samples" % (parts[1], name))
                if parts[1] == "TYPE":
                    if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
                        raise Bad("bad TYPE line")
                    typed[name] = parts[3]
                else:
                    helped.add(name)
                if current and current != name:
                    done.add(current)
                current = name
            continue
        m = PROM_SAMPLE.match(line)
        if not m:
            raise Bad("bad sample line %r" % line)
        name = m.group(1)
        if name in done:
            raise Bad("samples of %s are not together" % name)
        if current and current != name:
            done.add(current)
        current = name
        if name not in typed:
            raise Bad("sample of %s before its TYPE" % name)
        labels = prom_labels(m.group(3) or "")
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise Bad("duplicate series %r" % (key,))
        seen.add(key)
        float(m.group(4))
        skey = tuple(sorted(labels.items()))
        row = series.setdefault(skey, {"tags": labels, "fields": {}, "ts": None})
        field = name[len("sip_"):] if name.startswith("sip_") else name
        v = float(m.group(4))
        row["fields"][field] = int(v) if field != "response_time" else v
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        text_string_to_metric_families = None
    if text_string_to_metric_families:
        n = 0
        for fam in text_string_to_metric_families(text):
            for smp in fam.samples:
                n += 1
                key = tuple(sorted(smp.labels.items()))
                field = smp.name[len("sip_"):]
                want = series[key]["fields"][field]
                if abs(float(want) - smp.value) > 1e-9:
                    raise Bad("prometheus_client reads %s=%r, we read %r" % (smp.name, smp.value, want))
        if n != len(seen):
            raise Bad("prometheus_client found %d samples, we found %d" % (n, len(seen)))
    rows = list(series.values())
    for r in rows:
        r["fields"]["result_type"] = r["tags"].get("result")
    return rows


def cond_ok(row, cond):
    m = re.fullmatch(r"(tag|field)\.([a-z_]+)(\^?=(.*)|!|>0|\?)", cond, re.S)
    if not m:
        raise SystemExit("bad condition %r" % cond)
    where = row["tags" if m.group(1) == "tag" else "fields"]
    name, op = m.group(2), m.group(3)
    if op == "!":
        return name not in where
    if op == "?":
        return name in where
    if name not in where:
        return False
    if op == ">0":
        return float(where[name]) > 0
    want = m.group(4)
    if op.startswith("^="):
        return str(where[name]).startswith(want)
    return str(where[name]) == want


def main():
    if sys.argv[1] == "parse":
        fmt, path = sys.argv[2], sys.argv[3]
        text = open(path, encoding="utf-8").read()
        try:
            rows = {"influx": parse_influx, "json": parse_json, "prometheus": parse_prometheus}[fmt](text)
        except (Bad, ValueError, KeyError) as e:
            sys.stderr.write("check_judge: %s output violates the format: %s\n" % (fmt, e))
            sys.exit(1)
        for r in rows:
            print(json.dumps(r, sort_keys=True))
        return
    if sys.argv[1] == "expect":
        path, server, conds = sys.argv[2], sys.argv[3], sys.argv[4:]
        rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
        mine = [r for r in rows if r["tags"].get("server") == server]
        if not mine:
            sys.stderr.write("check_judge: no row for server %r\n" % server)
            sys.exit(1)
        for r in mine:
            bad = [c for c in conds if not cond_ok(r, c)]
            if bad:
                sys.stderr.write("check_judge: %s: %s fails for %s\n" % (server, " ".join(bad), json.dumps(r)))
                sys.exit(1)
        return
    if sys.argv[1] == "count":
        path = sys.argv[2]
        print(sum(1 for l in open(path, encoding="utf-8") if l.strip()))
        return
    raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
