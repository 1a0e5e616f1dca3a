#!/usr/bin/env python3
"""test/calls_ref.py: the call records of a capture, computed from tshark's
own SIP/SDP dissection -- an independent reference for sipflow's records.

Usage: calls_ref.py [OPTIONS] CAPTURE > CALLS.jsonl

  -d LAYER==PORT,sip    passed to tshark (decode as), repeatable
  -o PREF:VALUE         passed to tshark, repeatable
  --sip-bye-timeout S, --sip-setup-timeout S, --sip-call-timeout S,
  --sip-fail-grace S    sipflow's timers (defaults 5, 120, 3600, 32)
  --sip-no-register     no REGISTER records
  --end-time EPOCH      a live capture: sipflow was stopped at EPOCH (its
                        capture clock followed the wall clock while idle):
                        timers due by then fire before the final flush
  --stats               print the export reasons (sipflow's sip.calls.exports
                        keys) as one JSON object on stderr

Each output line is one record, keyed by nProbe's element names (the fields
of sipflow's default template), plus "_reason" (why it was exported, the
--stats key), "_ms" (the SIP_*_TIME values in milliseconds) and "_frames"
(the frame numbers of its messages).  Strings are
cut at nProbe's maximum lengths, never inside a UTF-8 character.

Where the values come from: tshark (`-T json -x`) finds the SIP messages
(UDP, TCP after reassembly, IP fragments, tunnels), their frame and time,
addresses and ports, the start line, every header (compact forms resolved),
the From/To user part, Q.850 causes, SDP lines and each message's bytes.
This script only applies README "Call records" (the rules of issue 4) to
them.  Its own parsing is limited to: splitting an SDP m= line and
a=rtpmap value into words, the user part where tshark 4.0 names none or
the wrong one (see uri_party), the Q.850 cause tshark files under "other"
(see q850_causes), and the value of a header from its raw line.

What it cannot know, and assumes:
- Retransmissions: a message of the same record repeating an earlier one's
  top Via, To, CSeq and method (request) or status (response).  sipflow
  remembers the last 8 messages only; this remembers all of them.
- Timers run on capture time.  A record whose deadline has passed ends
  before the next message of its Call-ID, so that message starts a new
  record (or is an orphan); other records are checked once per second of
  capture time, at the first packet (of any kind) of each new second.  The
  end of the capture flushes the rest (reason "flush", even when overdue).
- A message that tshark flags as malformed (expert group Malformed, e.g.
  "Content-Length: bad"), or that lacks a Call-ID or a usable CSeq, belongs
  to no call: sipflow counts such messages under sip.malformed and does
  not track them.

- REGISTER records: README defines the fields for the INVITE; a REGISTER
  record (SIP_CALL_STATE REGISTER) reads them with REGISTER for INVITE where
  they make sense: parties and SIP_UAC from the first REGISTER, SIP_UAS from
  the first response that has one, SIP_RESPONSE_CODE the last final
  response, SIP_INVITE_FAILURE_TIME the first failure of the last attempt
  (an auth retry within --sip-fail-grace forgets it); no other time, no
  media, no Q.850 cause.  A 2xx ends it at once.
- Header values are taken as written (no unfolding of obsolete line
  folding, no unescaping).

Python 3 standard library only.
"""
import argparse
import json
import re
import subprocess
import sys

# nProbe's maximum lengths (../shared/interop/elements.tsv); SIP_CALL_STATE
# is 12 there, but the full ntopng states need 16 (templates/elements.def).
MAXLEN = {"SIP_CALL_ID": 96, "SIP_CALLING_PARTY": 96, "SIP_CALLED_PARTY": 96, "SIP_RTP_CODECS": 512,
          "SIP_UAC": 96, "SIP_UAS": 96, "SIP_C_IP": 128, "SIP_CALL_STATE": 16}
TIME_FIELDS = ["SIP_INVITE_TIME", "SIP_TRYING_TIME", "SIP_RINGING_TIME", "SIP_INVITE_OK_TIME",
               "SIP_INVITE_FAILURE_TIME", "SIP_BYE_TIME", "SIP_BYE_OK_TIME", "SIP_CANCEL_TIME",
               "SIP_CANCEL_OK_TIME"]
# RFC 3551 tables 4 and 5: encoding names of the static payload types
STATIC_PT = {0: "PCMU", 3: "GSM", 4: "G723", 5: "DVI4", 6: "DVI4", 7: "LPC", 8: "PCMA", 9: "G722",
             10: "L16", 11: "L16", 12: "QCELP", 13: "CN", 14: "MPA", 15: "G728", 16: "DVI4",
             17: "DVI4", 18: "G729", 25: "CelB", 26: "JPEG", 28: "nv", 31: "H261", 32: "MPV",
             33: "MP2T", 34: "H263"}
USEC = 1000000


# ------------------------------------------------------------------ tshark

def pairs_hook(p):
    return p


def get(obj, key, default=None):
    for k, v in obj:
        if k == key:
            return v
    return default


def every(obj, key):
    return [v for k, v in obj if k == key]


def raw_bytes(obj, key):
    """The bytes of a field from its KEY_raw entry (tshark -x), or None."""
    r = get(obj, key + "_raw")
    if isinstance(r, list) and r and isinstance(r[0], str):
        try:
            return bytes.fromhex(r[0])
        except ValueError:
            return None
    return None


def usec(epoch):
    """'1705305600.000900000' -> integer microseconds, no float rounding."""
    s, _, frac = epoch.partition(".")
    return int(s) * USEC + int((frac + "000000")[:6])


def run_tshark(pcap, extra):
    base = ["tshark", "-n", "-r", pcap, "-o", "tcp.reassemble_out_of_order:TRUE"] + extra
    times = subprocess.run(base + ["-T", "fields", "-e", "frame.time_epoch"], check=True,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().split()
    out = subprocess.run(base + ["-Y", "sip", "-T", "json", "-x"], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    return [usec(t) for t in times], json.loads(out.decode("utf-8", "surrogateescape") or "[]",
                                                object_pairs_hook=pairs_hook)


# ------------------------------------------------------------------ one message

def header_value(hdrs, name):
    """The first NAME header's value: exact bytes from its raw line when tshark has one."""
    raw = raw_bytes(hdrs, "sip." + name)
    if raw is not None and b":" in raw:
        return raw.split(b":", 1)[1].strip(b" \t\r\n").decode("utf-8", "surrogateescape")
    v = get(hdrs, "sip." + name)
    return v if isinstance(v, str) else None


def uri_party(tree, who):
    """User part of a From/To URI, as written: tshark's sip.from.user, less the password
    (tshark 4.0 gives the whole userinfo, "alice:secret"; a user has no unescaped ':'
    (RFC 3261 25.1)).  tshark 4.0 shows no user for a one-character user part
    (sip:a@host) nor for tel: URIs: then it is read from tshark's sip.from.addr, up to the
    '@' (sip:, sips:) or the first ';' (tel:, the number)."""
    if tree is None:
        return None
    addr_tree = get(tree, "sip.%s.addr_tree" % who)
    user = None
    if addr_tree is not None:
        raw = raw_bytes(addr_tree, "sip.%s.user" % who)
        user = raw.decode("utf-8", "surrogateescape") if raw is not None else get(addr_tree, "sip.%s.user" % who)
    addr = get(tree, "sip.%s.addr" % who) or ""
    scheme, _, rest = addr.partition(":")
    if user is None and scheme.lower() in ("sip", "sips"):
        head = re.split(r"[;?]", rest, maxsplit=1)[0]
        if "@" in rest and "@" not in head:
            head = rest                         # user parameters before the '@'
        if "@" in head:
            user = head.rsplit("@", 1)[0]
    if user is None and scheme.lower() == "tel":
        return re.split(r"[;?]", rest, maxsplit=1)[0]
    if user is not None:
        return user.split(":", 1)[0]
    return None


def sdp_of(sip):
    """The SDP of a message from tshark's tree: (c= addresses in order, first audio stream) where
    the stream is (address for it, port, [encoding names]) or None."""
    body = get(sip, "sip.msg_body")
    if body is None:
        return None
    sdp = find_key(body, "sdp")
    if sdp is None:
        return None
    conns, session_c, media = [], None, []     # media: [m= words, c= address or None, rtpmaps]
    for k, v in sdp:
        if k == "sdp.connection_info_tree":
            a = get(v, "sdp.connection_info.address")
            if a is None:
                continue
            conns.append(a)
            if media:
                if media[-1][1] is None:
                    media[-1][1] = a
            else:
                session_c = a
        elif k == "sdp.media":
            media.append([v.split(), None, {}])
        elif k == "sdp.media_attr" and media:
            m = re.match(r"rtpmap:\s*(\d+)\s+([^/\s]+)", v)
            if m and int(m.group(1)) not in media[-1][2]:
                media[-1][2][int(m.group(1))] = m.group(2)
    audio = None
    for words, c, rtpmap in media:
        if words and words[0].lower() == "audio" and len(words) >= 3:
            try:
                port = int(words[1].split("/")[0])
            except ValueError:
                continue
            names = []
            for f in words[3:]:
                if f.isdigit():
                    names.append(rtpmap.get(int(f), STATIC_PT.get(int(f), f)))
                else:
                    names.append(f)
            audio = (c if c is not None else session_c, port, names)
            break
    return conns, audio


def is_obj(v):
    """A JSON object (a list of (key, value) tuples), not an array (a _raw entry)."""
    return isinstance(v, list) and all(isinstance(x, tuple) for x in v)


def find_key(obj, key):
    if is_obj(obj):
        for k, v in obj:
            if k == key:
                return v
            if is_obj(v):
                r = find_key(v, key)
                if r is not None:
                    return r
    return None


def q850_causes(hdrs):
    """Q.850 causes of the Reason headers, in order (tshark's sip.reason_cause_q850)."""
    out = []
    for tree in every(hdrs, "sip.Reason_tree"):
        proto = (get(tree, "sip.reason_protocols") or "").strip().upper()
        # tshark 4.0 compares the protocol untrimmed: "Q.850 ;cause=16" (LWS before the
        # SEMI, RFC 3326 / RFC 3261 25.1) gets its cause as reason_cause_other
        cause = get(tree, "sip.reason_cause_q850") or get(tree, "sip.reason_cause_other")
        if proto == "Q.850" and cause is not None and cause.strip().isdigit():
            out.append(int(cause))
    return out


PI_MALFORMED = "117440512"      # expert group "Malformed" (epan/proto.h PI_MALFORMED)


def tshark_malformed(obj):
    """TRUE when tshark flagged anything in the message as malformed."""
    for k, v in obj:
        if k == "_ws.malformed":
            return True
        if k == "_ws.expert" and is_obj(v) and get(v, "_ws.expert.group") == PI_MALFORMED:
            return True
        if is_obj(v) and tshark_malformed(v):
            return True
    return False


def layer_list(layers, name):
    return [v for k, v in layers if k == name]


def messages(packets):
    """Every SIP message tshark shows, in capture order, as a dict."""
    for pkt in packets:
        layers = get(get(pkt, "_source"), "layers")
        frame = get(layers, "frame")
        t = usec(get(frame, "frame.time_epoch"))
        num = int(get(frame, "frame.number"))
        protos = get(frame, "frame.protocols", "").split(":")
        malformed_frame = "_ws.malformed" in [k for k, _ in layers]
        # innermost IP and transport
        fam = None
        for p in protos:
            if p in ("ip", "ipv6"):
                fam = p
        if fam is None:
            continue
        ipl = layer_list(layers, fam)[-1]
        tr = "tcp" if "tcp" in protos else "udp"
        trl = layer_list(layers, tr)
        if not trl:
            continue
        trl = trl[-1]
        net = dict(ip_version=4 if fam == "ip" else 6,
                   src=get(ipl, "%s.src" % fam), dst=get(ipl, "%s.dst" % fam),
                   sport=int(get(trl, "%s.srcport" % tr)), dport=int(get(trl, "%s.dstport" % tr)),
                   proto=6 if tr == "tcp" else 17)
        sips = [v for k, v in layers if k == "sip"]
        raws = [v for k, v in layers if k == "sip_raw"]
        for i, sip in enumerate(sips):
            m = message(sip, raws[i] if i < len(raws) else None)
            if m is None:
                continue
            m.update(net, t=t, frame=num, malformed=malformed_frame or m["malformed"])
            yield m


def message(sip, raw):
    if not is_obj(sip):
        return None
    rl = get(sip, "sip.Request-Line_tree")
    sl = get(sip, "sip.Status-Line_tree")
    hdrs = get(sip, "sip.msg_hdr_tree")
    if hdrs is None or (rl is None and sl is None):
        return None
    cseq_tree = get(hdrs, "sip.CSeq_tree") or []
    m = dict(method=get(rl, "sip.Method") if rl else None,
             code=int(get(sl, "sip.Status-Code")) if sl and get(sl, "sip.Status-Code") else None,
             call_id=header_value(hdrs, "Call-ID"),
             cseq_num=get(cseq_tree, "sip.CSeq.seq"), cseq_method=get(cseq_tree, "sip.CSeq.method"),
             via=header_value(hdrs, "Via"), to=header_value(hdrs, "To"),
             from_user=uri_party(get(hdrs, "sip.From_tree"), "from"),
             to_user=uri_party(get(hdrs, "sip.To_tree"), "to"),
             ua=header_value(hdrs, "User-Agent"), server=header_value(hdrs, "Server"),
             causes=q850_causes(hdrs), sdp=sdp_of(sip),
             length=len(bytes.fromhex(raw[0])) if isinstance(raw, list) and raw and isinstance(raw[0], str)
             else 0)
    m["malformed"] = (tshark_malformed(sip) or m["call_id"] is None or not str(m["cseq_num"]).isdigit()
                      or m["cseq_method"] is None or (m["method"] is not None and m["method"] != m["cseq_method"]))
    m["cseq_num"] = int(m["cseq_num"]) if str(m["cseq_num"]).isdigit() else 0
    return m


# ------------------------------------------------------------------ records

class Call:
    """What README "Call records" says a record holds, as the messages come."""

    def __init__(self, m, kind):
        self.kind = kind                    # "call" or "register"
        self.m0 = m                         # the first request: flow addresses
        self.first, self.last = m["t"], m["t"]
        self.pkts, self.bytes, self.frames = 0, 0, []
        self.seen = set()                   # retransmission signatures
        self.times = dict.fromkeys(TIME_FIELDS, 0)
        self.cseq = None                    # highest INVITE (REGISTER) CSeq
        self.answered = False
        self.final_fail = 0                 # time of the latest failure (cancel timer)
        self.code, self.cause = 0, None
        self.offer = self.answer = None     # (addr, port, names)
        self.codecs = None
        self.cips = []
        self.calling = self.called = self.uac = self.uas = None
        self.uas_taken = False

    def add_cips(self, sdp):
        if sdp:
            for a in sdp[0]:
                if a not in self.cips:
                    self.cips.append(a)

    def first_time(self, name, t):
        if not self.times[name]:
            self.times[name] = t

    # -- requests
    def request(self, m):
        meth = m["method"]
        if self.kind == "register":
            if meth == "REGISTER":
                if self.cseq is None:
                    self.start(m)
                elif m["cseq_num"] > self.cseq:     # auth retry: the same registration
                    self.cseq = m["cseq_num"]
                    self.times["SIP_INVITE_FAILURE_TIME"] = 0
                    self.code = 0
            return None
        if meth == "INVITE":
            if self.cseq is None:
                self.start(m)
                self.times["SIP_INVITE_TIME"] = m["t"]
            elif m["cseq_num"] > self.cseq:
                self.cseq = m["cseq_num"]
                if not self.answered and self.times["SIP_INVITE_FAILURE_TIME"]:
                    self.times["SIP_INVITE_FAILURE_TIME"] = 0     # a retry: the failure is forgotten
                    self.code = 0
            if self.offer is None and not self.answered and m["sdp"] and m["sdp"][1]:
                self.offer = m["sdp"][1]
        elif meth == "ACK":
            if self.offer is None and self.answered and m["sdp"] and m["sdp"][1]:
                self.offer = m["sdp"][1]            # delayed offer
            if self.times["SIP_CANCEL_TIME"] and self.final_fail and not self.answered:
                return "cancel"
        elif meth in ("BYE", "CANCEL"):
            self.first_time("SIP_BYE_TIME" if meth == "BYE" else "SIP_CANCEL_TIME", m["t"])
            self.take_cause(m)
        return None

    def start(self, m):
        self.cseq = m["cseq_num"]
        self.calling, self.called, self.uac = m["from_user"], m["to_user"], m["ua"]

    def take_cause(self, m):
        if self.cause is None and m["causes"]:
            self.cause = m["causes"][0]

    # -- responses
    def response(self, m):
        code, meth = m["code"], m["cseq_method"]
        if self.kind == "register":
            # README defines the INVITE's fields; a REGISTER record reads them the same way
            # with REGISTER for INVITE (UAS: the first response that has one)
            if meth != "REGISTER":
                return None
            if not self.uas_taken and (m["server"] or m["ua"]):
                self.uas, self.uas_taken = m["server"] or m["ua"], True
            if code < 200:
                return None
            self.code = code
            if code < 300:
                return "register"
            self.first_time("SIP_INVITE_FAILURE_TIME", m["t"])
            return None
        if meth == "INVITE":
            if not self.uas_taken and (m["server"] or m["ua"]):
                self.uas, self.uas_taken = m["server"] or m["ua"], True
            if self.answer is None and m["sdp"] and m["sdp"][1]:
                self.answer = m["sdp"][1]
            if code == 100:
                self.first_time("SIP_TRYING_TIME", m["t"])
            elif code in (180, 183):
                self.first_time("SIP_RINGING_TIME", m["t"])
            elif 200 <= code < 300:
                if not self.answered:
                    self.code = code
                self.first_time("SIP_INVITE_OK_TIME", m["t"])
                self.answered = True
            elif code >= 300 and not self.answered:
                self.first_time("SIP_INVITE_FAILURE_TIME", m["t"])
                self.code = code
                self.final_fail = m["t"]
                self.take_cause(m)
        elif meth == "BYE" and 200 <= code < 300:
            self.first_time("SIP_BYE_OK_TIME", m["t"])
            return "bye_ok"
        elif meth == "CANCEL" and 200 <= code < 300:
            self.first_time("SIP_CANCEL_OK_TIME", m["t"])
        return None

    # -- timers (README "A record is exported when")
    def deadline(self, cfg):
        tm = self.times
        if self.kind == "register":
            if tm["SIP_INVITE_FAILURE_TIME"]:
                return tm["SIP_INVITE_FAILURE_TIME"] + cfg.grace, "register"
            return self.last + cfg.setup, "register_timeout"
        if tm["SIP_BYE_TIME"]:
            return tm["SIP_BYE_TIME"] + cfg.bye, "bye_timeout"
        if tm["SIP_CANCEL_TIME"] and not self.answered:
            return (self.final_fail or tm["SIP_CANCEL_TIME"]) + cfg.bye, "cancel_timeout"
        if tm["SIP_INVITE_FAILURE_TIME"] and not self.answered:
            return tm["SIP_INVITE_FAILURE_TIME"] + cfg.grace, "failure"
        if self.answered:
            return self.last + cfg.call, "call_timeout"
        return self.last + cfg.setup, "setup_timeout"

    def state(self):
        tm = self.times
        if self.kind == "register":
            return "REGISTER"
        if tm["SIP_BYE_TIME"] or tm["SIP_BYE_OK_TIME"]:
            return "CALL_COMPLETED"
        if tm["SIP_CANCEL_TIME"] and not self.answered:
            return "CALL_CANCELED"
        if self.answered:
            return "CALL_IN_PROGRESS"
        if tm["SIP_INVITE_FAILURE_TIME"]:
            return "CALL_ERROR"
        return "CALL_STARTED"

    def record(self, reason):
        m0 = self.m0
        v6 = m0["ip_version"] == 6
        r = {("IPV6_SRC_ADDR" if v6 else "IPV4_SRC_ADDR"): m0["src"],
             ("IPV6_DST_ADDR" if v6 else "IPV4_DST_ADDR"): m0["dst"],
             "L4_SRC_PORT": m0["sport"], "L4_DST_PORT": m0["dport"], "PROTOCOL": m0["proto"],
             "FLOW_START_MILLISECONDS": self.first // 1000, "FLOW_END_MILLISECONDS": self.last // 1000,
             "IN_PKTS": self.pkts, "IN_BYTES": self.bytes,
             "SIP_CALL_ID": cut(m0["call_id"], "SIP_CALL_ID"),
             "SIP_CALLING_PARTY": cut(self.calling, "SIP_CALLING_PARTY"),
             "SIP_CALLED_PARTY": cut(self.called, "SIP_CALLED_PARTY")}
        media = self.answer or self.offer
        r["SIP_RTP_CODECS"] = cut(";".join(media[2]) if media else "", "SIP_RTP_CODECS")
        for f in TIME_FIELDS:
            r[f] = self.times[f] // USEC
        v4 = lambda a: a if a and re.match(r"^\d+\.\d+\.\d+\.\d+$", a) else "0.0.0.0"
        r["SIP_RTP_IPV4_SRC_ADDR"] = v4(self.offer[0]) if self.offer else "0.0.0.0"
        r["SIP_RTP_L4_SRC_PORT"] = self.offer[1] if self.offer else 0
        r["SIP_RTP_IPV4_DST_ADDR"] = v4(self.answer[0]) if self.answer else "0.0.0.0"
        r["SIP_RTP_L4_DST_PORT"] = self.answer[1] if self.answer else 0
        r["SIP_RESPONSE_CODE"] = self.code
        r["SIP_REASON_CAUSE"] = self.cause or 0
        r["SIP_UAC"] = cut(self.uac, "SIP_UAC")
        r["SIP_UAS"] = cut(self.uas, "SIP_UAS")
        cips = ""
        for a in self.cips:                 # whole addresses only, in order, within 128 bytes
            n = cips + ("," if cips else "") + a
            if len(n.encode("utf-8", "surrogateescape")) > MAXLEN["SIP_C_IP"]:
                break
            cips = n
        r["SIP_C_IP"] = cips
        r["SIP_CALL_STATE"] = cut(self.state(), "SIP_CALL_STATE")
        r["_reason"] = reason
        r["_ms"] = {f: self.times[f] // 1000 for f in TIME_FIELDS}
        r["_frames"] = self.frames
        return r


def cut(s, field):
    """At most nProbe's maximum bytes, never inside a UTF-8 character."""
    if s is None:
        return ""
    b = s.encode("utf-8", "surrogateescape")
    n = MAXLEN[field]
    if len(b) <= n:
        return s
    b = b[:n]
    while b and (b[-1] & 0xC0) == 0x80:       # continuation bytes of a cut character
        b = b[:-1]
    if b and b[-1] >= 0xC0:                   # the lead byte of a cut character
        b = b[:-1]
    return b.decode("utf-8", "surrogateescape")


def signature(m):
    return (m["via"], m["to"], m["cseq_num"], m["cseq_method"], m["method"], m["code"])


class Reference:
    def __init__(self, cfg):
        self.cfg = cfg
        self.open = {}                      # Call-ID (first 256 bytes) -> Call
        self.out = []
        self.reasons = {}
        self.next_tick = 0
        self.orphans = 0

    def export(self, key, reason):
        c = self.open.pop(key)
        self.out.append(c.record(reason))
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def tick(self, now):
        """The per-second timer check, at the first packet of each new second."""
        if now < self.next_tick:
            return
        for key in [k for k, c in self.open.items() if c.deadline(self.cfg)[0] <= now]:
            self.export(key, self.open[key].deadline(self.cfg)[1])
        self.next_tick = (now // USEC + 1) * USEC

    def message(self, m):
        key = m["call_id"][:256]
        c = self.open.get(key)
        if m["method"] == "REGISTER" and self.cfg.no_register:
            return
        if c is not None and c.deadline(self.cfg)[0] <= m["t"]:
            self.export(key, c.deadline(self.cfg)[1])     # its timer is due: a new record
            c = None
        if c is not None and m["method"] == "INVITE" and c.kind == "register":
            self.export(key, "replaced")
            c = None
        if c is None:
            if m["method"] in ("INVITE", "REGISTER"):
                c = self.open[key] = Call(m, "call" if m["method"] == "INVITE" else "register")
            else:
                self.orphans += 1
                return
        c.pkts += 1
        c.bytes += m["length"]
        c.frames.append(m["frame"])
        sig = signature(m)
        if sig in c.seen:
            return                          # a retransmission: counted, nothing else
        c.seen.add(sig)
        c.last = max(c.last, m["t"])
        if c.kind == "call":
            c.add_cips(m["sdp"])            # every SDP body of the call, whatever the method
        why = c.request(m) if m["method"] else c.response(m)
        if why:
            self.export(key, why)

    def run(self, frame_times, msgs, end=None):
        by_frame = {}
        for m in msgs:
            by_frame.setdefault(m["frame"], []).append(m)
        now = 0
        for i, t in enumerate(frame_times):
            now = max(now, t)
            self.tick(now)
            for m in by_frame.get(i + 1, []):
                if not m["malformed"]:
                    self.message(m)
        if end is not None and end > now:
            self.next_tick = 0
            self.tick(end)
        for key in list(self.open):
            self.export(key, "flush")
        return self.out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("capture")
    ap.add_argument("-d", action="append", default=[])
    ap.add_argument("-o", action="append", default=[])
    ap.add_argument("--sip-bye-timeout", type=float, default=5)
    ap.add_argument("--sip-setup-timeout", type=float, default=120)
    ap.add_argument("--sip-call-timeout", type=float, default=3600)
    ap.add_argument("--sip-fail-grace", type=float, default=32)
    ap.add_argument("--sip-no-register", action="store_true")
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--end-time", type=float)
    a = ap.parse_args()
    cfg = argparse.Namespace(bye=int(a.sip_bye_timeout * USEC), setup=int(a.sip_setup_timeout * USEC),
                             call=int(a.sip_call_timeout * USEC), grace=int(a.sip_fail_grace * USEC),
                             no_register=a.sip_no_register)
    extra = []
    for d in a.d:
        extra += ["-d", d]
    for o in a.o:
        extra += ["-o", o]
    times, packets = run_tshark(a.capture, extra)
    ref = Reference(cfg)
    recs = ref.run(times, list(messages(packets)), int(a.end_time * USEC) if a.end_time else None)
    for r in recs:
        sys.stdout.write(json.dumps(r, ensure_ascii=False, sort_keys=False).encode("utf-8", "surrogateescape")
                         .decode("utf-8", "replace") + "\n")
    if a.stats:
        sys.stderr.write(json.dumps(dict(sorted(ref.reasons.items()), orphan_messages=ref.orphans)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
