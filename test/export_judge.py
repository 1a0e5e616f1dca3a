#!/usr/bin/env python3
"""export_judge: compare what independent decoders made of export_gen's
records with the values export_gen was given.

The expected records below are typed here by hand (the same values as in
test/export_gen.c, written independently), and so are the element ids and
lengths (IANA registry; ntop's from ../shared/interop/elements.tsv).  Nothing
is taken from sipflow's output or tables.

  export_judge.py tshark   FILE.json SET [--domain N]   tshark -T json of an IPFIX file/capture
  export_judge.py csv      FILE.csv  SET                 ipfix2csv output (see CSV_COLUMNS)
  export_judge.py nfacctd  FILE.json SET                 nfacctd print plugin (json lines)
  export_judge.py dump     DIR SET [--sep S] [--interval S] [--flat]
SET: fixed | gen:N[:START[:STEP]] | gen:FROM-TO  (the records export_gen --set gen wrote)
Exit 0 when everything matches; each difference is printed.
"""
import argparse
import csv
import datetime
import json
import os
import sys

T0 = 1700000000

# ---- the records (see export_gen.c write_fixed) ----
A = dict(ip=4, IPV4_SRC_ADDR="192.0.2.10", IPV4_DST_ADDR="198.51.100.20", L4_SRC_PORT=5060,
         L4_DST_PORT=5070, PROTOCOL=17, FLOW_START_MILLISECONDS=1700000000123,
         FLOW_END_MILLISECONDS=1700000042456, IN_PKTS=7, IN_BYTES=4242,
         SIP_CALL_ID="a84b4c76e66710@pc33.example.com", SIP_CALLING_PARTY="alice", SIP_CALLED_PARTY="bob",
         SIP_RTP_CODECS="PCMA;telephone-event", SIP_INVITE_TIME=1700000000, SIP_TRYING_TIME=1700000001,
         SIP_RINGING_TIME=1700000002, SIP_INVITE_OK_TIME=1700000005, SIP_BYE_TIME=1700000040,
         SIP_BYE_OK_TIME=1700000042, SIP_RTP_IPV4_SRC_ADDR="192.0.2.10", SIP_RTP_L4_SRC_PORT=49170,
         SIP_RTP_IPV4_DST_ADDR="198.51.100.20", SIP_RTP_L4_DST_PORT=3456, SIP_RESPONSE_CODE=200,
         SIP_REASON_CAUSE=16, SIP_UAC="Linphone/5.2.0 (belle-sip/5.2.0)", SIP_UAS="Asterisk PBX 18.10.0",
         SIP_C_IP="192.0.2.10,198.51.100.20", SIP_CALL_STATE="CALL_STARTED")
# B: what was put in was longer than the maximum; these are the cut values
B = dict(ip=6, IPV6_SRC_ADDR="2001:db8::1", IPV6_DST_ADDR="2001:db8::ab:2", L4_SRC_PORT=5061, L4_DST_PORT=5060,
         PROTOCOL=6, FLOW_START_MILLISECONDS=1700000001000, FLOW_END_MILLISECONDS=1700000001500, IN_PKTS=3,
         IN_BYTES=1500,
         SIP_CALL_ID="0123456789" * 9 + "012345",          # 150 digits cut at 96
         SIP_CALLING_PARTY="J\u00fcrgen", SIP_CALLED_PARTY="\u65e5\u672c\u8a9e",
         SIP_UAC="a" * 95,                                 # 95 a + e-acute + "tail": the cut falls inside e-acute
         SIP_UAS="\u00dcn\u00efc\u00f6d\u00e9 UA \u2713",
         SIP_RTP_CODECS="PCMU;" * 102 + "PC",              # 600 bytes cut at 512
         SIP_C_IP="2001:db8::1,2001:db8::ab:2", SIP_CALL_STATE="REGISTER", SIP_INVITE_TIME=1700000001,
         SIP_CANCEL_TIME=1700000001, SIP_CANCEL_OK_TIME=1700000001, SIP_RESPONSE_CODE=487, SIP_REASON_CAUSE=0)
C = dict(ip=4, IPV4_SRC_ADDR="10.0.0.1", IPV4_DST_ADDR="10.0.0.2", L4_SRC_PORT=5060, L4_DST_PORT=5060,
         PROTOCOL=17, SIP_CALL_ID="sep|call\\id", SIP_CALLING_PARTY="a|b", SIP_CALLED_PARTY="line1\nline2",
         SIP_UAC="cr\rlf\r\nend", SIP_UAS="back\\slash|pipe", SIP_CALL_STATE="CALL_ERROR", SIP_RESPONSE_CODE=486)
D = dict(ip=4)
FIXED = [A, B, C, D]
FIXED_TIMES = [T0, T0 + 1, T0 + 2, T0 + 3]      # capture time of each export


def gen_records(spec):
    """gen:N[:START[:STEP]] or gen:FROM-TO (export_gen --set gen)."""
    parts = spec.split(":")[1:]
    start = int(parts[1]) if len(parts) > 1 else T0
    step = float(parts[2]) if len(parts) > 2 else 1.0
    if "-" in parts[0]:
        lo, hi = (int(x) for x in parts[0].split("-"))
    else:
        lo, hi = 0, int(parts[0])
    out, times = [], []
    for i in range(lo, hi):
        t = start + i * step
        out.append(dict(ip=4, IPV4_SRC_ADDR="192.0.2.1", IPV4_DST_ADDR="192.0.2.2", L4_SRC_PORT=5060,
                        L4_DST_PORT=5060, PROTOCOL=17, SIP_CALL_ID="gen-%06d" % i, SIP_CALL_STATE="REGISTER",
                        SIP_INVITE_TIME=int(t), SIP_RESPONSE_CODE=200))
        times.append(t)
    return out, times


def records(spec):
    if spec == "fixed":
        return FIXED, FIXED_TIMES
    if spec.startswith("gen:"):
        return gen_records(spec)
    sys.exit("unknown record set " + spec)


# ---- the elements: IANA numbers, ntop's from elements.tsv ----
# name: (pen, id, kind, wire length; 65535 = variable)
E = {
    "IPV4_SRC_ADDR": (0, 8, "ipv4", 4), "IPV4_DST_ADDR": (0, 12, "ipv4", 4),
    "IPV6_SRC_ADDR": (0, 27, "ipv6", 16), "IPV6_DST_ADDR": (0, 28, "ipv6", 16),
    "L4_SRC_PORT": (0, 7, "uint", 2), "L4_DST_PORT": (0, 11, "uint", 2), "PROTOCOL": (0, 4, "uint", 1),
    "FLOW_START_MILLISECONDS": (0, 152, "msecs", 8), "FLOW_END_MILLISECONDS": (0, 153, "msecs", 8),
    "IN_PKTS": (0, 2, "uint", 8), "IN_BYTES": (0, 1, "uint", 8),
    "SIP_CALL_ID": (35632, 130, "string", 65535), "SIP_CALLING_PARTY": (35632, 131, "string", 65535),
    "SIP_CALLED_PARTY": (35632, 132, "string", 65535), "SIP_RTP_CODECS": (35632, 133, "string", 65535),
    "SIP_INVITE_TIME": (35632, 134, "secs", 4), "SIP_TRYING_TIME": (35632, 135, "secs", 4),
    "SIP_RINGING_TIME": (35632, 136, "secs", 4), "SIP_INVITE_OK_TIME": (35632, 137, "secs", 4),
    "SIP_INVITE_FAILURE_TIME": (35632, 138, "secs", 4), "SIP_BYE_TIME": (35632, 139, "secs", 4),
    "SIP_BYE_OK_TIME": (35632, 140, "secs", 4), "SIP_CANCEL_TIME": (35632, 141, "secs", 4),
    "SIP_CANCEL_OK_TIME": (35632, 142, "secs", 4), "SIP_RTP_IPV4_SRC_ADDR": (35632, 143, "ipv4", 4),
    "SIP_RTP_L4_SRC_PORT": (35632, 144, "uint", 2), "SIP_RTP_IPV4_DST_ADDR": (35632, 145, "ipv4", 4),
    "SIP_RTP_L4_DST_PORT": (35632, 146, "uint", 2), "SIP_RESPONSE_CODE": (35632, 147, "uint", 4),
    "SIP_REASON_CAUSE": (35632, 148, "uint", 4), "SIP_UAC": (35632, 316, "string", 65535),
    "SIP_UAS": (35632, 317, "string", 65535), "SIP_C_IP": (35632, 362, "string", 65535),
    "SIP_CALL_STATE": (35632, 363, "string", 65535),
}
# templates/templates.def's default template, as nProbe field names
DEFAULT_TEMPLATE = """IPV4_SRC_ADDR IPV4_DST_ADDR IPV6_SRC_ADDR IPV6_DST_ADDR L4_SRC_PORT L4_DST_PORT PROTOCOL
FLOW_START_MILLISECONDS FLOW_END_MILLISECONDS IN_PKTS IN_BYTES SIP_CALL_ID SIP_CALLING_PARTY SIP_CALLED_PARTY
SIP_RTP_CODECS SIP_INVITE_TIME SIP_TRYING_TIME SIP_RINGING_TIME SIP_INVITE_OK_TIME SIP_INVITE_FAILURE_TIME
SIP_BYE_TIME SIP_BYE_OK_TIME SIP_CANCEL_TIME SIP_CANCEL_OK_TIME SIP_RTP_IPV4_SRC_ADDR SIP_RTP_L4_SRC_PORT
SIP_RTP_IPV4_DST_ADDR SIP_RTP_L4_DST_PORT SIP_RESPONSE_CODE SIP_REASON_CAUSE SIP_UAC SIP_UAS SIP_C_IP
SIP_CALL_STATE""".split()
SIP_FIELDS = [n for n in DEFAULT_TEMPLATE if n.startswith("SIP_")]


TEMPLATE = DEFAULT_TEMPLATE     # --template changes it


def family_fields(ip):
    """The template for one family: the other family's flow addresses left out."""
    drop = ("IPV6_SRC_ADDR", "IPV6_DST_ADDR") if ip == 4 else ("IPV4_SRC_ADDR", "IPV4_DST_ADDR")
    return [n for n in TEMPLATE if n not in drop]


def value(rec, name):
    kind = E[name][2]
    default = {"ipv4": "0.0.0.0", "ipv6": "::", "string": ""}.get(kind, 0)
    return rec.get(name, default)


errors = []


def check(what, got, want):
    if got != want:
        errors.append("%s: got %r, want %r" % (what, got, want))


def finish(label, n):
    for e in errors[:60]:
        print("  " + e)
    if len(errors) > 60:
        print("  ... and %d more" % (len(errors) - 60))
    if errors:
        print("%s: %d differences" % (label, len(errors)))
        sys.exit(1)
    print("%s: all %d records match" % (label, n))


# ---- tshark -T json ----
TSHARK = {
    "IPV4_SRC_ADDR": "cflow.srcaddr", "IPV4_DST_ADDR": "cflow.dstaddr", "IPV6_SRC_ADDR": "cflow.srcaddrv6",
    "IPV6_DST_ADDR": "cflow.dstaddrv6", "L4_SRC_PORT": "cflow.srcport", "L4_DST_PORT": "cflow.dstport",
    "PROTOCOL": "cflow.protocol", "FLOW_START_MILLISECONDS": "cflow.abstimestart",
    "FLOW_END_MILLISECONDS": "cflow.abstimeend", "IN_PKTS": "cflow.packets", "IN_BYTES": "cflow.octets",
    "SIP_INVITE_OK_TIME": "cflow.pie.ntop.sip_ok_time",
    # 316/317 have no name in tshark 4.0: compared as raw bytes, in template order
    "SIP_UAC": "cflow.enterprise_private_entry", "SIP_UAS": "cflow.enterprise_private_entry",
}


def tshark_name(n):
    return TSHARK.get(n, "cflow.pie.ntop." + n.lower())


def tshark_time(secs, frac_ns=0):
    t = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
    return "%s %2d, %d %s.%09d UTC" % (t.strftime("%b"), t.day, t.year, t.strftime("%H:%M:%S"), frac_ns)


def tshark_value(name, v):
    kind = E[name][2]
    if kind == "secs":
        return tshark_time(v)
    if kind == "msecs":
        return tshark_time(v // 1000, (v % 1000) * 1000000)
    if kind == "uint":
        return str(v)
    if kind == "string":
        if name in ("SIP_UAC", "SIP_UAS"):
            return ":".join("%02x" % b for b in v.encode())
        # tshark shows each byte that is not ASCII as U+FFFD
        return "".join(c if ord(c) < 128 else "\ufffd" * len(c.encode()) for c in v)
    return v


def pairs(obj, key):
    return [v for k, v in obj if k == key]


def one(obj, key):
    vs = pairs(obj, key)
    return vs[0] if vs else None


def find(obj, key):
    """First value of key anywhere below obj (a list of pairs)."""
    for k, v in obj:
        if k == key:
            return v
        if isinstance(v, list):
            r = find(v, key)
            if r is not None:
                return r
    return None


def flatten_flow(flow):
    out = {}
    for k, v in flow:
        if isinstance(v, list):
            if k == "cflow.timedelta_tree":
                for k2, v2 in v:
                    out.setdefault(k2, []).append(v2)
            elif k.endswith("_tree"):
                for k2, v2 in v:
                    out.setdefault(k + "/" + k2, []).append(v2)
            continue
        out.setdefault(k, []).append(v)
    return out


def judge_tshark(path, spec, domain):
    recs, _ = records(spec)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f, object_pairs_hook=lambda p: p)
    flows, templates, seq_total, nmsg = [], {}, 0, 0
    for pkt in doc:
        cflow = find(one(pkt, "_source"), "cflow")
        if cflow is None:
            continue
        nmsg += 1
        check("message %d version" % nmsg, one(cflow, "cflow.version"), "10")
        check("message %d sequence number" % nmsg, int(one(cflow, "cflow.sequence")), seq_total)
        check("message %d observation domain" % nmsg, int(one(cflow, "cflow.od_id")), domain)
        for k, s in cflow:
            if not k.startswith("Set "):
                continue
            for k2, v2 in s:
                if k2.startswith("Template ("):
                    tid = int(one(v2, "cflow.template_id"))
                    fields = []
                    for k3, f in v2:
                        if k3.startswith("Field ("):
                            pen = int(one(f, "cflow.template_ipfix_field_pen") or 0)
                            fid = one(f, "cflow.template_ipfix_field_type") or one(f, "cflow.template_ntop_field_type")
                            fields.append((pen, int(fid), int(one(f, "cflow.template_field_length"))))
                    templates[tid] = fields
                elif k2.startswith("Flow "):
                    flows.append(flatten_flow(v2))
                    seq_total += 1
    # the templates: -T order, one per family, nProbe's ids and lengths (times: 4 bytes)
    want_tpl = {4: [E[n][0:2] + (E[n][3],) for n in family_fields(4)],
                6: [E[n][0:2] + (E[n][3],) for n in family_fields(6)]}
    want = sorted(want_tpl.values()) if want_tpl[4] != want_tpl[6] else [want_tpl[4]]   # one when alike
    check("templates", sorted(templates.values()), want)
    check("number of records", len(flows), len(recs))
    for i, (fl, rec) in enumerate(zip(flows, recs)):
        who = "record %d (%s)" % (i, rec.get("SIP_CALL_ID", "-"))
        private = []
        for n in family_fields(rec["ip"]):
            v = value(rec, n)
            if n in ("SIP_UAC", "SIP_UAS"):
                if v:
                    private.append(tshark_value(n, v))
                continue
            key = tshark_name(n)
            got = fl.get(key)
            if E[n][2] == "string" and v == "":
                check(who + " " + n, got, None)     # tshark shows no item for an empty string
                continue
            check(who + " " + n, got[0] if got else None, tshark_value(n, v))
            if E[n][2] == "string":     # 1-byte length below 255, else 255 + 2 bytes (RFC 7011 7.)
                nb = len(v.encode())
                lens = fl.get(key + "_tree/cflow.string_len_short", []) + fl.get(key + "_tree/cflow.string_len_long", [])
                check(who + " " + n + " length", lens, [str(nb)] if nb < 255 else ["255", str(nb)])
        check(who + " SIP_UAC/SIP_UAS bytes", fl.get("cflow.enterprise_private_entry", []), private)
    finish("tshark", len(recs))


# ---- ipfix2csv ----
CSV_COLUMNS = ["flowStartMilliseconds", "flowEndMilliseconds", "packetDeltaCount", "octetDeltaCount",
               "sourceTransportPort", "destinationTransportPort", "protocolIdentifier"] + SIP_FIELDS
IANA_NAME = {"FLOW_START_MILLISECONDS": "flowStartMilliseconds", "FLOW_END_MILLISECONDS": "flowEndMilliseconds",
             "IN_PKTS": "packetDeltaCount", "IN_BYTES": "octetDeltaCount", "L4_SRC_PORT": "sourceTransportPort",
             "L4_DST_PORT": "destinationTransportPort", "PROTOCOL": "protocolIdentifier"}


def csv_value(name, v):
    kind = E[name][2]
    if kind == "secs":
        return datetime.datetime.fromtimestamp(v, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "msecs":
        t = datetime.datetime.fromtimestamp(v // 1000, datetime.timezone.utc)
        return t.strftime("%Y-%m-%d %H:%M:%S") + ".%03d" % (v % 1000)
    return str(v)


def judge_csv(path, spec):
    recs, _ = records(spec)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    inv = {v: k for k, v in IANA_NAME.items()}
    header = rows[0] if rows else []
    names = [inv.get(h, h) for h in header]
    rows = [r for r in rows[1:] if r != header]     # one header per TCP connection
    check("number of records", len(rows), len(recs))
    for i, (row, rec) in enumerate(zip(rows, recs)):
        for n, got in zip(names, row):
            check("record %d %s" % (i, n), got, csv_value(n, value(rec, n)))
    finish("ipfix2csv", len(recs))


# ---- nfacctd print plugin, json ----
def judge_nfacctd(path, spec, prims):
    recs, _ = records(spec)
    got = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                got.append(json.loads(line))
    by_id = {}
    for g in got:
        by_id.setdefault(g.get("sip_call_id"), []).append(g)
    check("number of records", len(got), len(recs))
    for rec in recs:
        cid = value(rec, "SIP_CALL_ID")
        gs = by_id.get(cid, [])
        if len(gs) != 1:
            errors.append("record %r: %d lines" % (cid, len(gs)))
            continue
        g = gs[0]
        fam = "IPV4" if rec["ip"] == 4 else "IPV6"
        check(cid + " ip_src", g.get("ip_src"), value(rec, fam + "_SRC_ADDR"))
        check(cid + " ip_dst", g.get("ip_dst"), value(rec, fam + "_DST_ADDR"))
        check(cid + " port_src", g.get("port_src"), value(rec, "L4_SRC_PORT"))
        check(cid + " port_dst", g.get("port_dst"), value(rec, "L4_DST_PORT"))
        proto = value(rec, "PROTOCOL")
        check(cid + " ip_proto", g.get("ip_proto"), {17: "udp", 6: "tcp"}.get(proto, str(proto)))
        check(cid + " packets", g.get("packets"), value(rec, "IN_PKTS"))
        check(cid + " bytes", g.get("bytes"), value(rec, "IN_BYTES"))
        for n in prims:
            v = value(rec, n)
            # nfacctd prints custom integers as JSON strings
            want = str(v) if E[n][2] in ("uint", "secs") else v
            check(cid + " " + n, g.get(n.lower()), want)
    finish("nfacctd", len(recs))


# ---- text dumps ----
def dump_escape(s, sep):
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c in sep:
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def dump_value(rec, n):
    kind = E[n][2]
    fam = {"IPV4_SRC_ADDR": 4, "IPV4_DST_ADDR": 4, "IPV6_SRC_ADDR": 6, "IPV6_DST_ADDR": 6}.get(n)
    if fam and fam != rec["ip"]:
        return ""
    return str(value(rec, n))


def dump_split(line, sep):
    """Split on separators not preceded by a backslash escape, then unescape."""
    fields, cur, i = [], [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            cur.append(line[i:i + 2])
            i += 2
        elif line.startswith(sep, i):
            fields.append("".join(cur))
            cur = []
            i += len(sep)
        else:
            cur.append(line[i])
            i += 1
    fields.append("".join(cur))
    return fields


def dump_path(t, interval, flat):
    start = int(t) - int(t) % interval
    d = datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
    last = "%02d" % d.minute if interval % 60 == 0 else "%02d_%02d" % (d.minute, d.second)
    parts = ["%04d" % d.year, "%02d" % d.month, "%02d" % d.day, "%02d" % d.hour, last]
    return ("_".join(parts) if flat else "/".join(parts)) + ".flows"


def judge_dump(root, spec, sep, interval, flat):
    recs, times = records(spec)
    want = {}
    for rec, t in zip(recs, times):
        want.setdefault(dump_path(t, interval, flat), []).append(rec)
    found = {}
    for d, _, files in os.walk(root):
        for fn in files:
            rel = os.path.relpath(os.path.join(d, fn), root)
            if fn.startswith(".") or not fn.endswith(".flows"):
                errors.append("unexpected file %s (a temporary file left behind?)" % rel)
                continue
            found[rel] = os.path.join(d, fn)
    check("dump files", sorted(found), sorted(want))
    header = sep.join(TEMPLATE)
    for rel in sorted(set(found) & set(want)):
        with open(found[rel], "rb") as f:
            data = f.read().decode("utf-8")
        check(rel + " ends with a newline", data.endswith("\n"), True)
        lines = data.split("\n")[:-1]
        check(rel + " header", lines[0] if lines else None, header)
        body = lines[1:]
        check(rel + " lines", len(body), len(want[rel]))
        for j, (line, rec) in enumerate(zip(body, want[rel])):
            cols = dump_split(line, sep)
            check("%s line %d columns" % (rel, j + 2), len(cols), len(TEMPLATE))
            for n, got in zip(TEMPLATE, cols):
                check("%s line %d %s" % (rel, j + 2, n), got, dump_escape(dump_value(rec, n), sep))
    finish("dump", len(recs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("judge", choices=["tshark", "csv", "nfacctd", "dump"])
    ap.add_argument("path")
    ap.add_argument("set")
    ap.add_argument("--domain", type=int, default=0)
    ap.add_argument("--sep", default="|")
    ap.add_argument("--interval", type=int, default=60)
    ap.add_argument("--flat", action="store_true")
    ap.add_argument("--prims", default="")
    ap.add_argument("--template", default="", help="the -T fields, space-separated, without %%")
    a = ap.parse_args()
    if a.template:
        global TEMPLATE
        TEMPLATE = a.template.split()
    if a.judge == "tshark":
        judge_tshark(a.path, a.set, a.domain)
    elif a.judge == "csv":
        judge_csv(a.path, a.set)
    elif a.judge == "nfacctd":
        judge_nfacctd(a.path, a.set, [p.upper() for p in a.prims.split(",") if p])
    else:
        judge_dump(a.path, a.set, a.sep, a.interval, a.flat)


if __name__ == "__main__":
    main()
