#!/usr/bin/env python3
"""events_compare.py YML [GOLDEN.json PCAP EVENTS.jsonl]...: sipflow's
--events output against Elastic packetbeat's golden files.

YML is packetbeat's golden-tests.yml: it says which capture goes with which
golden file and with which options (every SIP case runs with packetbeat's
defaults, parse_authorization, parse_body and keep_original all on: the
test runs sipflow with --events-auth --events-body --events-original).

Our events are nested; they are flattened to dotted keys the way
packetbeat's test harness does (libbeat tests BaseTest.flatten_object:
objects become dotted keys, arrays stay arrays) and matched with the golden
events without regard to order (like upstream's test_0099_golden_files.py),
on (sip.type, call_id, cseq, code, source).  Then every key of both sides
is compared, except:

  left out (EXCLUDED below, with the reason): keys upstream's harness
  drops itself (clean_keys) and the keys that name the producer;

  RFC deviations (DEVIATIONS below): fields where packetbeat contradicts
  the RFC and sipflow follows the RFC.  Their expected values are computed
  here from the message text in the golden's event.original, independently
  of sipflow's code, and must match too.

Prints the agreement (matched / compared) and exits 1 unless it is 100%.
"""
import base64
import hashlib
import json
import re
import socket
import struct
import sys

# key (or prefix ending in '.') -> why it is not compared with packetbeat
EXCLUDED = {
    "@metadata.beat": "names the producer: packetbeat vs sipflow",
    "@metadata.version": "the producer's version (upstream drops it too)",
    "@timestamp": "upstream drops it (packetbeat did not use pcap times); checked against the pcap below",
    "event.start": "upstream drops it; checked against the pcap below",
    "event.end": "upstream drops it; checked against the pcap below",
    "sip.timestamp": "not in packetbeat's output (sipflow's ordering field); checked against @timestamp below",
    "network.direction": "upstream drops it (depends on the capturing host's addresses); sipflow does not write it",
    "agent.": "upstream drops it (describes the running beat); sipflow does not write it",
    "ecs.version": "upstream drops it; sipflow does not write it",
    "host.": "upstream drops host.name (the capturing host); sipflow does not write it",
}

# field (prefix) -> the RFC reading sipflow follows instead of packetbeat's
DEVIATIONS = {
    "sip.contact.": "RFC 3261 20.10: from the first Contact value (packetbeat copies To)",
    "sip.private.": "RFC 7315 4.1: P-Associated-URI is a name-addr, the URI is inside <> "
                    "(packetbeat keeps '<' in scheme and '>' in host)",
    "related.hosts": "follows the two above: Contact and P-Associated-URI hosts",
    "related.user": "follows the two above: Contact and P-Associated-URI users",
    "network.iana_number": "IANA protocol numbers: TCP is 6 (packetbeat writes 17 for TCP too)",
    "event.original": "digest nonce, cnonce, response and opaque are never written: replaced by \"...\"",
}


def flatten(obj, prefix=""):
    out = {}
    for k, v in obj.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def excluded(key):
    return any(key == k or (k.endswith(".") and key.startswith(k)) for k in EXCLUDED)


def deviation(key):
    for k in DEVIATIONS:
        if key == k or (k.endswith(".") and key.startswith(k)):
            return k
    return None


# ---- the RFC reading, from the message text ----

def headers(original):
    head = original.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")[1:]
    out = []
    for line in lines:
        if line[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            out.append((name.strip().lower(), value.strip()))
    return out


def first_header(original, names):
    for n, v in headers(original):
        if n in names:
            return v
    return None


def split_uri(text):
    """sip:user@host:port;params -> dict of packetbeat's uri.* keys (RFC 3261 19.1.1)."""
    f = {"uri.original": text}
    scheme, rest = text.split(":", 1)
    f["uri.scheme"] = scheme
    params = {}
    if ";" in rest:
        rest, p = rest.split(";", 1)
        for kv in p.split(";"):
            k, _, v = kv.partition("=")
            params[k.strip().lower()] = v
    if "@" in rest:
        user, rest = rest.rsplit("@", 1)
        if user not in ("", "-"):
            f["uri.username"] = user
    m = re.match(r"^(\[[^\]]+\]|[^:]+)(?::(\d+))?$", rest)
    f["uri.host"] = m.group(1)
    if m.group(2) and int(m.group(2)):
        f["uri.port"] = int(m.group(2))
    return f, params


def name_addr(value):
    """'"Display" <uri>;a=b' / 'uri;a=b' -> (display, uri, header params)."""
    m = re.match(r'^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^>]*)>(.*)$', value)
    if m:
        display = m.group(1) if m.group(1) is not None else m.group(2).strip()
        uri, rest = m.group(3).strip(), m.group(4)
    else:
        uri, _, rest = value.partition(";")
        uri, rest, display = uri.strip(), ";" + rest, None
    params = {}
    for kv in rest.split(";"):
        if kv.strip():
            k, _, v = kv.partition("=")
            params[k.strip().lower()] = v.strip()
    return display or None, uri, params


def rfc_contact(original):
    v = first_header(original, ("contact", "m"))
    if v is None:
        return {}
    display, uri, hp = name_addr(v.split(",")[0] if "<" not in v else v)
    f, up = split_uri(uri)
    out = {"sip.contact." + k: x for k, x in f.items()}
    if display:
        out["sip.contact.display_info"] = display
    if "tag" in hp:
        out["sip.contact.tag"] = hp["tag"]
    if "expires" in hp:
        out["sip.contact.expires"] = int(hp["expires"])
    if "q" in hp:
        out["sip.contact.q"] = float(hp["q"])
    if "transport" in up:
        out["sip.contact.transport"] = up["transport"].lower()
    if "line" in up:
        out["sip.contact.line"] = up["line"]
    return out


def rfc_private(original):
    v = first_header(original, ("p-associated-uri",))
    if v is None:
        return {}
    _, uri, _ = name_addr(v)
    f, _ = split_uri(uri)
    return {"sip.private." + k: x for k, x in f.items()}


def redact(original):
    return re.sub(r'\b(nonce|cnonce|response|opaque)=("[^"]*"|[^,\s]*)', r'\1="..."', original)


def rfc_expected(golden):
    """The golden event with the deviation fields as the RFC reads them."""
    exp = dict(golden)
    orig = golden["event.original"]
    for k in [k for k in exp if k.startswith(("sip.contact.", "sip.private."))]:
        del exp[k]
    contact, private = rfc_contact(orig), rfc_private(orig)
    exp.update(contact)
    exp.update(private)
    # related.*: packetbeat's values minus what only its misreadings added,
    # plus the users and hosts of the RFC readings
    for rel, part in (("related.hosts", "uri.host"), ("related.user", "uri.username")):
        vals = list(golden.get(rel, []))
        bad = golden.get("sip.private." + part)
        if bad is not None and bad != private.get("sip.private." + part):
            vals = [x for x in vals if x != bad]
        for src in (private.get("sip.private." + part), contact.get("sip.contact." + part)):
            if src is not None and src not in vals:
                vals.append(src)
        if vals:
            exp[rel] = vals
    if golden.get("network.transport") == "tcp":
        exp["network.iana_number"] = "6"
    exp["event.original"] = redact(orig)
    return exp


def community_id(e):
    """Community ID v1 (corelight/community-id-spec), computed here."""
    fam = socket.AF_INET6 if ":" in e["source.ip"] else socket.AF_INET
    s, d = socket.inet_pton(fam, e["source.ip"]), socket.inet_pton(fam, e["destination.ip"])
    sp, dp = e["source.port"], e["destination.port"]
    if (s, sp) > (d, dp):
        s, d, sp, dp = d, s, dp, sp
    proto = 6 if e["network.transport"] == "tcp" else 17
    h = hashlib.sha1(struct.pack("!H", 0) + s + d + struct.pack("!BBHH", proto, 0, sp, dp)).digest()
    return "1:" + base64.b64encode(h).decode()


# ---- pcap times ----

def pcap_times(path):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    order, nano = {0xa1b2c3d4: ("<", False), 0xa1b23c4d: ("<", True),
                   0xd4c3b2a1: (">", False), 0x4d3cb2a1: (">", True)}[magic]
    off, times = 24, set()
    while off + 16 <= len(d):
        sec, frac, incl, _ = struct.unpack(order + "IIII", d[off:off + 16])
        times.add(sec * 1000000 + (frac // 1000 if nano else frac))
        off += 16 + incl
    return times


def iso_usec(text):
    m = re.match(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})Z$", text)
    if not m:
        return None
    import calendar
    y, mo, da, h, mi, s, us = map(int, m.groups())
    return calendar.timegm((y, mo, da, h, mi, s)) * 1000000 + us


def key_of(e):
    return (e.get("sip.type"), e.get("sip.call_id"), e.get("sip.cseq.code"), e.get("sip.cseq.method"),
            e.get("sip.code"), e.get("source.ip"), e.get("source.port"))


def main():
    args = sys.argv[2:]
    if not args or len(args) % 3:
        print(__doc__)
        return 2
    yml = open(sys.argv[1], encoding="utf-8").read()
    matched = compared = dev_ok = dev_n = 0
    bad = 0
    dev_fields = {}
    for gpath, pcap, epath in zip(args[0::3], args[1::3], args[2::3]):
        name = pcap.rsplit("/", 1)[-1]
        if "pcaps/" + name not in yml:
            print("FAIL %s: not a case of golden-tests.yml" % name)
            bad += 1
        golden = json.load(open(gpath, encoding="utf-8"))
        ours = [flatten(json.loads(line)) for line in open(epath, encoding="utf-8")]
        if len(ours) != len(golden):
            print("FAIL %s: %d events, packetbeat has %d" % (name, len(ours), len(golden)))
            bad += 1
        times = pcap_times(pcap)
        last = 0
        for n, o in enumerate(ours):
            t = iso_usec(o.get("@timestamp", ""))
            if t not in times or o.get("event.start") != o["@timestamp"] or o.get("event.end") != o["@timestamp"]:
                print("FAIL %s event %d: @timestamp/event.start/end %r is not a packet time of the capture"
                      % (name, n, o.get("@timestamp")))
                bad += 1
            ts = o.get("sip.timestamp", 0)
            if ts // 1000 != t or ts <= last:
                print("FAIL %s event %d: sip.timestamp %r does not follow @timestamp in order" % (name, n, ts))
                bad += 1
            last = ts
            if o.get("network.community_id") != community_id(o):
                print("FAIL %s event %d: community_id %r, computed %r" % (name, n, o.get("network.community_id"),
                                                                         community_id(o)))
                bad += 1
        pool = {}
        for o in ours:
            pool.setdefault(key_of(o), []).append(o)
        for n, g in enumerate(golden):
            cand = pool.get(key_of(g))
            if not cand:
                print("FAIL %s golden event %d %s: no such event" % (name, n, key_of(g)))
                bad += 1
                continue
            o = cand.pop(0)
            exp = rfc_expected(g)
            for k in sorted(set(exp) | set(o)):
                if excluded(k):
                    continue
                want, have = exp.get(k, "(absent)"), o.get(k, "(absent)")
                dev = deviation(k)
                if dev and (g.get(k, "(absent)") != want or k not in g):
                    # packetbeat's value differs from the RFC reading: judged by the RFC
                    dev_n += 1
                    dev_fields[dev] = dev_fields.get(dev, 0) + 1
                    same = (sorted(want) == sorted(have)) if isinstance(want, list) and isinstance(have, list) \
                        else want == have
                    if same:
                        dev_ok += 1
                    else:
                        print("FAIL %s event %d %s (RFC reading): want %r, got %r" % (name, n, k, want, have))
                        bad += 1
                    continue
                compared += 1
                if want == have:
                    matched += 1
                else:
                    print("FAIL %s event %d %s: packetbeat %r, sipflow %r" % (name, n, k, want, have))
                    bad += 1
    pct = 100.0 * matched / compared if compared else 0.0
    print("packetbeat parity: %d/%d fields = %.2f%% (fields matched / fields compared)" % (matched, compared, pct))
    print("left out of the comparison:")
    for k, why in EXCLUDED.items():
        print("  %-20s %s" % (k + ("*" if k.endswith(".") else ""), why))
    print("RFC deviations, %d/%d fields equal to the RFC reading of the message:" % (dev_ok, dev_n))
    for k, why in DEVIATIONS.items():
        print("  %-20s %3d fields  %s" % (k + ("*" if k.endswith(".") else ""), dev_fields.get(k, 0), why))
    if compared == 0 or matched != compared or dev_ok != dev_n:
        bad += 1
    return 1 if bad else 0


sys.exit(main())
