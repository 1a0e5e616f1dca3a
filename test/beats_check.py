#!/usr/bin/env python3
"""beats_check.py GOLDEN.json OUTPUT.jsonl: the sip.* header values of every
event in a packetbeat golden file (elastic/beats tests/system/golden) against
test/dissect_pcap's output for the same capture.

Events are matched on (type, Call-ID, CSeq number and method, status).  Not
compared, on purpose: sip.contact.* (packetbeat fills it from To, see
test/data/beats/NOTES.md) and sip.private.* (packetbeat's reading of
P-Associated-URI keeps the angle brackets in scheme and host).  packetbeat's
user_agent.original is the User-Agent header or else Server; allow and
supported are the comma lists (allow lower-cased).
Prints one line per mismatch; exit 1 if any, 0 otherwise."""
import json
import sys

SKIP = ("sip.contact.", "sip.private.")


def split_list(v):
    return [x.strip() for x in v.split(",") if x.strip()]


def uri_fields(prefix, u, out):
    if not u:
        return
    out[prefix + "original"] = u.get("text")
    out[prefix + "scheme"] = u.get("scheme")
    out[prefix + "username"] = u.get("user")
    out[prefix + "host"] = u.get("host")
    out[prefix + "port"] = u.get("port")


def ours(o):
    """Our dissect object as packetbeat-style dotted sip.* keys."""
    f = {"sip.type": o.get("type"), "sip.method": o.get("method"), "sip.code": o.get("status"),
         "sip.status": o.get("reason_phrase"), "sip.call_id": o.get("call_id"),
         "sip.max_forwards": o.get("max_forwards"), "sip.content_type": o.get("content_type"),
         "sip.content_length": o.get("content_length"),
         "sip.user_agent.original": o.get("user_agent") or o.get("server")}
    v = o.get("version", "")
    f["sip.version"] = v[4:] if v.upper().startswith("SIP/") else v
    if "cseq" in o:
        f["sip.cseq.code"] = o["cseq"]["number"]
        f["sip.cseq.method"] = o["cseq"]["method"]
    uri_fields("sip.uri.", o.get("request_uri"), f)
    for side in ("from", "to"):
        na = o.get(side)
        if na:
            f["sip.%s.display_info" % side] = na.get("display")
            f["sip.%s.tag" % side] = na.get("tag")
            uri_fields("sip.%s.uri." % side, na.get("uri"), f)
    f["sip.via.original"] = [h["text"] for h in o.get("via", [])]
    hdrs = {}
    for h in o.get("headers", []):
        hdrs.setdefault((h.get("id") or h["name"]).lower(), []).append(h["value"])
    if "allow" in hdrs:
        f["sip.allow"] = [x.lower() for v in hdrs["allow"] for x in split_list(v)]
    if "supported" in hdrs:
        f["sip.supported"] = [x for v in hdrs["supported"] for x in split_list(v)]
    if "accept" in hdrs:
        f["sip.accept"] = hdrs["accept"][0]
    a = o.get("authorization")
    if a:
        f["sip.auth.scheme"] = a.get("scheme")
        f["sip.auth.realm"] = a.get("realm")
        u = {"text": a.get("uri")}
        from_uri = a.get("uri") or ""
        if ":" in from_uri:
            u["scheme"], rest = from_uri.split(":", 1)
            u["host"] = rest.split("@")[-1].split(";")[0].split(":")[0]
        f["sip.auth.uri.original"] = u.get("text")
        f["sip.auth.uri.scheme"] = u.get("scheme")
        f["sip.auth.uri.host"] = u.get("host")
    s = o.get("sdp")
    if s:
        f["sip.sdp.version"] = s.get("version")
        og = s.get("origin", {})
        f["sip.sdp.owner.username"] = og.get("username")
        f["sip.sdp.owner.session_id"] = og.get("session_id")
        f["sip.sdp.owner.version"] = og.get("session_version")
        f["sip.sdp.owner.ip"] = og.get("address")
        f["sip.sdp.session.name"] = s.get("session_name")
        c = s.get("connection")
        if c:
            f["sip.sdp.connection.address"] = c.get("address")
            f["sip.sdp.connection.info"] = "%s %s %s" % (c["nettype"], c["addrtype"], c["address"])
        f["sip.sdp.body.original"] = o.get("body")
    return f


def norm(v):
    if isinstance(v, list):
        return [str(x) for x in v]
    return None if v is None else str(v)


def main():
    golden = json.load(open(sys.argv[1], encoding="utf-8"))
    objs = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
    objs = [o for o in objs if o.get("result") == "complete"]
    index = {}
    for o in objs:
        key = (o.get("type"), o.get("call_id"), o.get("cseq", {}).get("number"), o.get("cseq", {}).get("method"),
               o.get("status"))
        index.setdefault(key, []).append(o)
    bad = checked = 0
    for n, e in enumerate(golden):
        key = (e.get("sip.type"), e.get("sip.call_id"), e.get("sip.cseq.code"), e.get("sip.cseq.method"),
               e.get("sip.code"))
        if not index.get(key):
            print("FAIL event %d %s: no parsed message" % (n, key))
            bad += 1
            continue
        mine = ours(index[key].pop(0))
        for k, want in e.items():
            if not k.startswith("sip.") or k.startswith(SKIP):
                continue
            checked += 1
            have = mine.get(k, "(not extracted)")
            if norm(have) != norm(want):
                print("FAIL event %d %s: want %r, got %r" % (n, k, want, have))
                bad += 1
    left = sum(len(v) for v in index.values())
    if left:
        print("FAIL %d parsed messages have no golden event" % left)
        bad += 1
    print("%d events, %d values checked, %d mismatches" % (len(golden), checked, bad))
    return 1 if bad else 0


sys.exit(main())
