#!/usr/bin/env python3
"""test/generator_records.py: check sipgen's expected call records against
an independent decoder.

Usage: generator_records.py TSHARK_JSON CALLS_JSONL

TSHARK_JSON is the output of
    tshark -r FILE.pcap -T json --no-duplicate-keys -Y sip
and CALLS_JSONL is sipgen's FILE.pcap.calls.jsonl.  Every call record is
derived here from tshark's dissection alone, by the field rules of issue 4
("Call tracking": SIP_* semantics), and compared field by field with what
sipgen says a correct probe must export.  Prints each difference; exits 1
if there is any, 0 otherwise.
"""
import json
import re
import sys

# RFC 3551 table 4: encoding names of the static audio payload types
STATIC_PT = {0: "PCMU", 3: "GSM", 4: "G723", 5: "DVI4", 6: "DVI4", 7: "LPC", 8: "PCMA", 9: "G722",
             10: "L16", 11: "L16", 12: "QCELP", 13: "CN", 14: "MPA", 15: "G728", 16: "DVI4",
             17: "DVI4", 18: "G729"}
TIME_FIELDS = ["SIP_INVITE_TIME", "SIP_TRYING_TIME", "SIP_RINGING_TIME", "SIP_INVITE_OK_TIME",
               "SIP_INVITE_FAILURE_TIME", "SIP_BYE_TIME", "SIP_BYE_OK_TIME", "SIP_CANCEL_TIME",
               "SIP_CANCEL_OK_TIME"]


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def usec(epoch):
    """'1705305600.000900000' -> integer microseconds, no float rounding."""
    s, _, frac = epoch.partition(".")
    return int(s) * 1000000 + int((frac + "000000")[:6])


def find(tree, key):
    """First value of key anywhere below tree (depth first, in order)."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        for v in tree.values():
            r = find(v, key)
            if r is not None:
                return r
    elif isinstance(tree, list):
        for v in tree:
            r = find(v, key)
            if r is not None:
                return r
    return None


def sdp_of(sip):
    """(c= addresses in order, audio port, audio encoding names) of a SIP message's SDP, or None."""
    sdp = find(sip.get("sip.msg_body", {}), "sdp")
    if sdp is None:
        return None
    conns = [c.split()[-1] for c in as_list(sdp.get("sdp.connection_info"))]
    medias = as_list(sdp.get("sdp.media"))
    attrs = as_list(sdp.get("sdp.media_attr"))
    audio = [m for m in medias if m.startswith("audio ")]
    if not audio:
        return conns, 0, []
    f = audio[0].split()
    port, pts = int(f[1]), [int(x) for x in f[3:]]
    rtpmap = {}
    for a in attrs:
        m = re.match(r"rtpmap:(\d+) ([^/]+)/", a)
        if m and int(m.group(1)) not in rtpmap:
            rtpmap[int(m.group(1))] = m.group(2)
    names = [rtpmap.get(pt, STATIC_PT.get(pt, str(pt))) for pt in pts]
    return conns, port, names


def messages(packets):
    """Every SIP message, in capture order: (time_us, frame layers, sip tree)."""
    for p in packets:
        layers = p["_source"]["layers"]
        t = usec(layers["frame"]["frame.time_epoch"])
        for sip in as_list(layers.get("sip")):
            if isinstance(sip, dict):
                yield t, layers, sip


def message_bytes(sip):
    """Length of the message on the wire: start line + CRLF + headers + CRLF CRLF + body."""
    start = sip.get("sip.Request-Line") or sip.get("sip.Status-Line")
    hdr = sip.get("sip.msg_hdr", "")
    head = hdr.split("\r\n\r\n", 1)[0] + "\r\n\r\n"
    clen = find(sip.get("sip.msg_hdr_tree", {}), "sip.Content-Length")
    if clen is None:
        clen = find(sip.get("sip.msg_hdr_tree", {}), "sip.l")
    return len(start.encode()) + 2 + len(head.encode()) + int(clen or 0)


def derive(packets):
    calls = {}
    for t, layers, sip in messages(packets):
        h = sip.get("sip.msg_hdr_tree", {})
        cid = h.get("sip.Call-ID") or h.get("sip.i")
        if cid is None:
            continue
        c = calls.setdefault(cid, {"msgs": []})
        rl = sip.get("sip.Request-Line_tree", {})
        sl = sip.get("sip.Status-Line_tree", {})
        cseq = find(h, "sip.CSeq.method")
        reason = find(h, "sip.Reason")
        c["msgs"].append({
            "t": t, "layers": layers, "method": rl.get("sip.Method"),
            "code": int(sl["sip.Status-Code"]) if "sip.Status-Code" in sl else None,
            "cseq": cseq, "from": find(h, "sip.from.user"), "to": find(h, "sip.to.user"),
            "ua": find(h, "sip.User-Agent"), "server": find(h, "sip.Server"),
            "reason": reason, "sdp": sdp_of(sip), "bytes": message_bytes(sip)})
    out = {}
    for cid, c in calls.items():
        ms = c["msgs"]
        inv = next(m for m in ms if m["method"] == "INVITE")
        rsp = [m for m in ms if m["code"] is not None and m["cseq"] == "INVITE"]
        first = lambda pred: next((m["t"] for m in ms if pred(m)), 0)
        r = {"SIP_CALL_ID": cid, "SIP_CALLING_PARTY": inv["from"], "SIP_CALLED_PARTY": inv["to"]}
        lay = inv["layers"]
        ipk = "ipv6" if "ipv6" in lay else "ip"
        tr = "tcp" if "tcp" in lay else "udp"
        sfx = "" if ipk == "ip" else "v6"
        r["IPV6_SRC_ADDR" if sfx else "IPV4_SRC_ADDR"] = lay[ipk]["%s.src" % ipk]
        r["IPV6_DST_ADDR" if sfx else "IPV4_DST_ADDR"] = lay[ipk]["%s.dst" % ipk]
        r["L4_SRC_PORT"] = int(lay[tr]["%s.srcport" % tr])
        r["L4_DST_PORT"] = int(lay[tr]["%s.dstport" % tr])
        r["PROTOCOL"] = 6 if tr == "tcp" else 17
        r["FLOW_START_MILLISECONDS"] = min(m["t"] for m in ms) // 1000
        r["FLOW_END_MILLISECONDS"] = max(m["t"] for m in ms) // 1000
        r["IN_PKTS"] = len(ms)
        r["IN_BYTES"] = sum(m["bytes"] for m in ms)
        times = {
            "SIP_INVITE_TIME": inv["t"],
            "SIP_TRYING_TIME": first(lambda m: m in rsp and m["code"] == 100),
            "SIP_RINGING_TIME": first(lambda m: m in rsp and m["code"] in (180, 183)),
            "SIP_INVITE_OK_TIME": first(lambda m: m in rsp and 200 <= m["code"] < 300),
            "SIP_INVITE_FAILURE_TIME": first(lambda m: m in rsp and m["code"] >= 300),
            "SIP_BYE_TIME": first(lambda m: m["method"] == "BYE"),
            "SIP_BYE_OK_TIME": first(lambda m: m["code"] and 200 <= m["code"] < 300 and m["cseq"] == "BYE"),
            "SIP_CANCEL_TIME": first(lambda m: m["method"] == "CANCEL"),
            "SIP_CANCEL_OK_TIME": first(lambda m: m["code"] and 200 <= m["code"] < 300 and m["cseq"] == "CANCEL"),
        }
        for k in TIME_FIELDS:
            r[k] = times[k] // 1000000
        finals = [m["code"] for m in rsp if m["code"] >= 200]
        r["SIP_RESPONSE_CODE"] = finals[-1] if finals else 0
        cause = 0
        for m in ms:
            if m["reason"]:
                q = re.search(r"Q\.850\s*;\s*cause\s*=\s*(\d+)", m["reason"])
                cause = int(q.group(1)) if q else 0
                break
        r["SIP_REASON_CAUSE"] = cause
        offer = inv["sdp"]
        answer = next((m["sdp"] for m in rsp if m["sdp"]), None)
        v4 = lambda a: a if a and ":" not in a else "0.0.0.0"
        r["SIP_RTP_IPV4_SRC_ADDR"] = v4(offer[0][0])
        r["SIP_RTP_L4_SRC_PORT"] = offer[1]
        r["SIP_RTP_IPV4_DST_ADDR"] = v4(answer[0][0]) if answer else "0.0.0.0"
        r["SIP_RTP_L4_DST_PORT"] = answer[1] if answer else 0
        r["SIP_RTP_CODECS"] = ";".join((answer or offer)[2])
        r["SIP_UAC"] = inv["ua"]
        r0 = rsp[0] if rsp else None
        r["SIP_UAS"] = (r0["server"] or r0["ua"]) if r0 else ""
        cips = []
        for m in ms:
            for a in (m["sdp"][0] if m["sdp"] else []):
                if a not in cips:
                    cips.append(a)
        r["SIP_C_IP"] = ",".join(cips)
        if times["SIP_BYE_TIME"]:
            r["SIP_CALL_STATE"] = "CALL_COMPLETED"
        elif times["SIP_CANCEL_TIME"]:
            r["SIP_CALL_STATE"] = "CALL_CANCELED"
        elif times["SIP_INVITE_FAILURE_TIME"]:
            r["SIP_CALL_STATE"] = "CALL_ERROR"
        elif times["SIP_INVITE_OK_TIME"]:
            r["SIP_CALL_STATE"] = "CALL_IN_PROGRESS"
        else:
            r["SIP_CALL_STATE"] = "CALL_STARTED"
        r["ms"] = {k: times[k] // 1000 for k in TIME_FIELDS}
        out[cid] = r
    return out


def main():
    packets = json.load(open(sys.argv[1], encoding="utf-8"))
    derived = derive(packets)
    bad = 0
    seen = 0
    for line in open(sys.argv[2], encoding="utf-8"):
        exp = json.loads(line)
        seen += 1
        got = derived.pop(exp["SIP_CALL_ID"], None)
        if got is None:
            print("call %d (%s): not seen by tshark" % (exp["call"], exp["SIP_CALL_ID"]))
            bad += 1
            continue
        for k, v in got.items():
            if exp.get(k) != v:
                print("call %d %s: sipgen says %r, tshark gives %r" % (exp["call"], k, exp.get(k), v))
                bad += 1
    for cid in derived:
        print("Call-ID %s: seen by tshark, missing from the records" % cid)
        bad += 1
    print("%d records compared, %d differences" % (seen, bad))
    return 1 if bad or not seen else 0


if __name__ == "__main__":
    sys.exit(main())
