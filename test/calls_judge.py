#!/usr/bin/env python3
"""test/calls_judge.py: compare sipflow's call records, as an independent
decoder shows them, with test/calls_ref.py's (tshark's) records.

Usage: calls_judge.py [OPTIONS] EXPECTED.jsonl KIND:FILE

EXPECTED is calls_ref.py's output (or, with --expected-sipgen, bench/sipgen's
FILE.pcap.calls.jsonl).  KIND:FILE is what sipflow exported, decoded by:
  ipfix:OUT.ipfix     tshark (`tshark -r OUT.ipfix -T json -x`, run here)
  tshark-json:F.json  the same, already decoded (a capture of the IPFIX stream)
  json:OUT.jsonl      sipflow --json (times in milliseconds)
  nfacctd:OUT.json    nfacctd's print plugin, JSON lines (aggregate keys
                      named by test/export_elements pmacct)
  csv:OUT.csv         ipfix2csv (python3-ipfix) with our element table
  sipgen:F.jsonl      bench/sipgen's expectations (to compare two references)

Options:
  --except CALL:FIELD[:VALUE]  a known, written-down difference: FIELD of the
                      calls whose Call-ID starts with CALL ("*": every call) is
                      not compared (or must equal VALUE); see the test scripts
  --fields F,F...     compare only these fields (collectors configured with a
                      subset)
  --stats FILE        sipflow's --stats: its sip.calls.exports must equal the
                      export reasons of the expected records
  --label NAME        prefix for the messages
Records are matched by Call-ID and flow start.  Every field of every record
is compared; each difference is printed.  Exit 0 when all match, 1 if not.
"""
import argparse
import csv
import datetime
import ipaddress
import json
import subprocess
import sys

TIME_FIELDS = ["SIP_INVITE_TIME", "SIP_TRYING_TIME", "SIP_RINGING_TIME", "SIP_INVITE_OK_TIME",
               "SIP_INVITE_FAILURE_TIME", "SIP_BYE_TIME", "SIP_BYE_OK_TIME", "SIP_CANCEL_TIME",
               "SIP_CANCEL_OK_TIME"]
STRINGS = ["SIP_CALL_ID", "SIP_CALLING_PARTY", "SIP_CALLED_PARTY", "SIP_RTP_CODECS", "SIP_UAC", "SIP_UAS",
           "SIP_C_IP", "SIP_CALL_STATE"]
ADDRS = ["IPV4_SRC_ADDR", "IPV4_DST_ADDR", "IPV6_SRC_ADDR", "IPV6_DST_ADDR", "SIP_RTP_IPV4_SRC_ADDR",
         "SIP_RTP_IPV4_DST_ADDR"]


def norm_addr(a):
    return str(ipaddress.ip_address(a)) if a not in (None, "") else a


def s(b):
    return b.decode("utf-8", "surrogateescape") if isinstance(b, bytes) else b


# ------------------------------------------------------------------ tshark (cflow)

def is_obj(v):
    return isinstance(v, list) and all(isinstance(x, tuple) for x in v)


def get(obj, key):
    for k, v in obj:
        if k == key:
            return v
    return None


# cflow field -> (nProbe name, kind)
CFLOW = {"cflow.srcaddr": ("IPV4_SRC_ADDR", "ip"), "cflow.dstaddr": ("IPV4_DST_ADDR", "ip"),
         "cflow.srcaddrv6": ("IPV6_SRC_ADDR", "ip"), "cflow.dstaddrv6": ("IPV6_DST_ADDR", "ip"),
         "cflow.srcport": ("L4_SRC_PORT", "int"), "cflow.dstport": ("L4_DST_PORT", "int"),
         "cflow.protocol": ("PROTOCOL", "int"), "cflow.abstimestart": ("FLOW_START_MILLISECONDS", "int"),
         "cflow.abstimeend": ("FLOW_END_MILLISECONDS", "int"), "cflow.packets": ("IN_PKTS", "int"),
         "cflow.octets": ("IN_BYTES", "int"), "cflow.pie.ntop.sip_ok_time": ("SIP_INVITE_OK_TIME", "int")}
for _n in ["SIP_CALL_ID", "SIP_CALLING_PARTY", "SIP_CALLED_PARTY", "SIP_RTP_CODECS", "SIP_C_IP", "SIP_CALL_STATE"]:
    CFLOW["cflow.pie.ntop." + _n.lower()] = (_n, "str")
for _n in TIME_FIELDS + ["SIP_RTP_L4_SRC_PORT", "SIP_RTP_L4_DST_PORT", "SIP_RESPONSE_CODE", "SIP_REASON_CAUSE"]:
    CFLOW.setdefault("cflow.pie.ntop." + _n.lower(), (_n, "int"))
for _n in ["SIP_RTP_IPV4_SRC_ADDR", "SIP_RTP_IPV4_DST_ADDR"]:
    CFLOW["cflow.pie.ntop." + _n.lower()] = (_n, "ip")


def flow_record(flow, od):
    """One tshark 'Flow N' object -> record.  Values come from each field's raw bytes
    (exact: no display formatting).  SIP_UAC and SIP_UAS (ntop 316, 317) have no name in
    tshark 4.0: they are the unnamed enterprise entries, SIP_UAC being the one whose length
    byte directly follows SIP_REASON_CAUSE (the default template's order)."""
    rec, unnamed, reason_end = {"_od": od}, [], None
    items = []
    for k, v in flow:
        if k == "cflow.timedelta_tree":
            items += list(v)
        else:
            items.append((k, v))
    for k, v in items:
        if not k.endswith("_raw") or not isinstance(v, list):
            continue
        name = k[:-4]
        data = bytes.fromhex(v[0])
        if name == "cflow.enterprise_private_entry":
            unnamed.append((v[1], data))
            continue
        if name not in CFLOW:
            continue
        field, kind = CFLOW[name]
        if kind == "int":
            rec[field] = int.from_bytes(data, "big")
        elif kind == "ip":
            rec[field] = str(ipaddress.ip_address(data))
        else:
            rec[field] = s(data)
        if field == "SIP_REASON_CAUSE":
            reason_end = v[1] + v[2]
    rec["SIP_UAC"] = rec["SIP_UAS"] = ""
    for pos, data in unnamed:
        # the value follows its 1-byte length (strings under 255 bytes)
        if reason_end is not None and pos == reason_end + 1:
            rec["SIP_UAC"] = s(data)
        else:
            rec["SIP_UAS"] = s(data)
    for f in STRINGS:
        rec.setdefault(f, "")           # tshark shows no item for an empty string
    return rec


def from_tshark_doc(doc):
    out = []
    for pkt in doc:
        layers = get(get(pkt, "_source"), "layers")
        for k, cflow in layers:
            if k != "cflow":
                continue
            od = int(get(cflow, "cflow.od_id") or 0)
            for k2, st in cflow:
                if k2.startswith("Set ") and is_obj(st):
                    for k3, fl in st:
                        if k3.startswith("Flow ") and is_obj(fl):
                            out.append(flow_record(fl, od))
    return out


def from_ipfix(path):
    doc = subprocess.run(["tshark", "-n", "-r", path, "-T", "json", "-x"], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    return from_tshark_doc(json.loads(doc.decode("utf-8", "surrogateescape") or "[]",
                                      object_pairs_hook=lambda p: p))


def from_tshark_json(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return from_tshark_doc(json.load(f, object_pairs_hook=lambda p: p))


# ------------------------------------------------------------------ other decoders

def from_json(path):
    """sipflow --json: the SIP times are milliseconds, but whole seconds (the IPFIX values
        times 1000): only the seconds are compared."""
    out = []
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        if not line.strip():
            continue
        r = json.loads(line)
        for f in TIME_FIELDS:
            r[f] = r[f] // 1000
        out.append(r)
    return out


def from_sipgen(path):
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if "ms" in r:
            r["_ms"] = r.pop("ms")
        out.append(r)
    return out


def from_nfacctd(path):
    """nfacctd print plugin JSON: standard keys, custom primitives in lower case, custom
    integers as strings."""
    out = []
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        if not line.strip():
            continue
        g = json.loads(line)
        r = {}
        for k, v in g.items():
            if k.startswith("sip_"):
                name = k.upper()
                r[name] = v if name in STRINGS or name in ADDRS else int(v)
        if "ip_src" in g:
            v6 = ":" in g["ip_src"]
            r["IPV6_SRC_ADDR" if v6 else "IPV4_SRC_ADDR"] = g["ip_src"]
            r["IPV6_DST_ADDR" if v6 else "IPV4_DST_ADDR"] = g["ip_dst"]
        for a, b in (("port_src", "L4_SRC_PORT"), ("port_dst", "L4_DST_PORT"), ("packets", "IN_PKTS"),
                     ("bytes", "IN_BYTES")):
            if a in g:
                r[b] = int(g[a])
        if "ip_proto" in g:
            r["PROTOCOL"] = {"udp": 17, "tcp": 6}.get(g["ip_proto"], g["ip_proto"])
        for a, b in (("timestamp_start", "FLOW_START_MILLISECONDS"), ("timestamp_end", "FLOW_END_MILLISECONDS")):
            if a in g:
                t = datetime.datetime.strptime(g[a], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
                r[b] = int(t.timestamp()) * 1000 + t.microsecond // 1000
        out.append(r)
    return out


CSV_IANA = {"sourceIPv4Address": "IPV4_SRC_ADDR", "destinationIPv4Address": "IPV4_DST_ADDR",
            "sourceIPv6Address": "IPV6_SRC_ADDR", "destinationIPv6Address": "IPV6_DST_ADDR",
            "sourceTransportPort": "L4_SRC_PORT", "destinationTransportPort": "L4_DST_PORT",
            "protocolIdentifier": "PROTOCOL", "flowStartMilliseconds": "FLOW_START_MILLISECONDS",
            "flowEndMilliseconds": "FLOW_END_MILLISECONDS", "packetDeltaCount": "IN_PKTS",
            "octetDeltaCount": "IN_BYTES"}


def csv_time(v, ms):
    if v in ("", None):
        return 0
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in v else "%Y-%m-%d %H:%M:%S"
    t = datetime.datetime.strptime(v, fmt).replace(tzinfo=datetime.timezone.utc)
    secs = int(t.timestamp())
    return secs * 1000 + t.microsecond // 1000 if ms else secs


def from_csv(path):
    """ipfix2csv: dateTimeSeconds as 'Y-m-d H:M:S' (UTC), milliseconds with '.mmm'."""
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = list(csv.reader(f))
    if not rows:
        return []
    header = [CSV_IANA.get(h, h) for h in rows[0]]
    out = []
    for row in rows[1:]:
        if [CSV_IANA.get(h, h) for h in row] == header:
            continue                    # one header per TCP connection
        r = {}
        for n, v in zip(header, row):
            if n in ("FLOW_START_MILLISECONDS", "FLOW_END_MILLISECONDS"):
                r[n] = csv_time(v, True)
            elif n in TIME_FIELDS:
                r[n] = csv_time(v, False)
            elif n in STRINGS or n in ADDRS:
                r[n] = v
            else:
                r[n] = int(v) if v != "" else 0
        out.append(r)
    return out


READERS = {"ipfix": from_ipfix, "tshark-json": from_tshark_json, "json": from_json, "nfacctd": from_nfacctd,
           "csv": from_csv, "sipgen": from_sipgen}


# ------------------------------------------------------------------ comparison

def load_expected(path, sipgen):
    if sipgen:
        return from_sipgen(path)
    return [json.loads(line) for line in open(path, encoding="utf-8", errors="surrogateescape") if line.strip()]


def canon(field, v):
    if field in ADDRS and isinstance(v, str) and v:
        return norm_addr(v)
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("expected")
    ap.add_argument("got")
    ap.add_argument("--expected-sipgen", action="store_true")
    ap.add_argument("--except", dest="exc", action="append", default=[])
    ap.add_argument("--fields")
    ap.add_argument("--stats")
    ap.add_argument("--label", default="")
    ap.add_argument("--got-name", default="sipflow", help="what produced KIND:FILE, for the messages")
    ap.add_argument("--od", type=int, help="only the records of this observation domain (ipfix)")
    a = ap.parse_args()
    kind, _, path = a.got.partition(":")
    want = load_expected(a.expected, a.expected_sipgen)
    got = READERS[kind](path)
    if a.od is not None:
        got = [r for r in got if r.get("_od") == a.od]
    exc = []
    for e in a.exc:
        parts = e.split(":", 2)
        exc.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    fields = a.fields.split(",") if a.fields else None
    label = (a.label + ": ") if a.label else ""
    gn = a.got_name
    errors, used = [], set()

    def excused(cid, field, value):
        for c, f, v in exc:
            if f == field and (c == "*" or cid.startswith(c)):
                if v is None or str(value) == v:
                    used.add((c, f, v))
                    return True
        return False

    # match: same Call-ID, then the nearest flow start (records of one Call-ID never overlap)
    pool = {}
    for g in got:
        pool.setdefault(g.get("SIP_CALL_ID"), []).append(g)
    n = 0
    for w in want:
        cid = w["SIP_CALL_ID"]
        cands = pool.get(cid, [])
        if not cands:
            errors.append("%s (start %s): no record from %s" % (cid, w.get("FLOW_START_MILLISECONDS"), gn))
            continue
        ws = w.get("FLOW_START_MILLISECONDS")
        g = min(cands, key=lambda c: abs((c.get("FLOW_START_MILLISECONDS") or 0) - (ws or 0)))
        cands.remove(g)
        n += 1
        who = "%s (start %s)" % (cid[:60], ws)
        for f, v in w.items():
            if f.startswith("_") or (fields and f not in fields) or f in ("call", "kind", "transport",
                                                                          "ip_version", "vlan", "fragmented",
                                                                          "compact", "inbound", "early_media",
                                                                          "rtp_src_addr", "rtp_dst_addr"):
                continue
            gv = canon(f, g.get(f))
            v = canon(f, v)
            if gv != v and not excused(cid, f, gv):
                errors.append("%s %s: %s %r, expected %r" % (who, f, gn, gv, v))
        if "_ms" in g and g["_ms"] and w.get("_ms"):
            for f, v in w["_ms"].items():
                if g["_ms"].get(f) != v and not excused(cid, f + "_MS", g["_ms"].get(f)):
                    errors.append("%s %s (ms): %s %r, expected %r" % (who, f, gn, g["_ms"].get(f), v))
    for cid, rest in pool.items():
        for g in rest:
            if not excused(cid or "", "RECORD", None):
                errors.append("%s (start %s): a record the reference does not have"
                              % (cid, g.get("FLOW_START_MILLISECONDS")))
    if a.stats:
        st = json.load(open(a.stats))
        sip = st.get("sip") or st.get("plugins", {}).get("sip", {})
        exports = sip["calls"]["exports"]
        reasons = {}
        for w in want:
            reasons[w.get("_reason")] = reasons.get(w.get("_reason"), 0) + 1
        for r in sorted(set(exports) | set(k for k in reasons if k)):
            if exports.get(r, 0) != reasons.get(r, 0) and not excused("*", "EXPORT_" + r, exports.get(r, 0)):
                errors.append("exports.%s: sipflow %d, expected %d" % (r, exports.get(r, 0), reasons.get(r, 0)))
    for c, f, v in exc:
        if (c, f, v) not in used:
            errors.append("exception %s:%s%s did not occur: remove it" % (c, f, ":" + v if v else ""))
    for e in errors[:80]:
        print(label + e)
    if len(errors) > 80:
        print(label + "... and %d more" % (len(errors) - 80))
    print("%s%d expected records, %d from %s, %d matched, %d differences"
          % (label, len(want), len(got), gn, n, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
