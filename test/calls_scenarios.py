#!/usr/bin/env python3
"""test/calls_scenarios.py: write a capture of hand-written SIP dialogs that
exercise every rule of README "Call records", for the golden tests.

Usage: calls_scenarios.py OUT.pcap            write the capture
       calls_scenarios.py --check REF.jsonl   check test/calls_ref.py's records
                                              of that capture against the facts
                                              typed below (EXPECT)

The capture is input only: the expected values of every field come from
test/calls_ref.py (tshark's dissection of this file).  EXPECT holds a few facts
per dialog, typed by hand from README "Call records" and RFC 3261, that check
the reference itself: when calls_ref.py and this table disagree, the reference
is wrong (or the README changed).

Each dialog has its own Call-ID and starts 200 s after the previous one, so
their timers do not interact; the packets of the next dialog drive the timers
(bye, cancel, failure grace) of the previous one.  Python 3 standard library.
"""
import struct
import sys

T0 = 1700000000
STEP = 200              # seconds between two dialogs

# ---------------------------------------------------------------- pcap writer


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


class Capture:
    def __init__(self):
        self.frames = []            # (ts, frame bytes)
        self.tcp = {}               # (src, sport, dst, dport) -> next seq
        self.ipid = 1000
        self.gre = None             # (outer src, outer dst) to wrap packets in GRE

    def _ip(self, src, dst, proto, l4):
        if ":" in src:
            hdr = struct.pack("!IHBB", 6 << 28, len(l4), proto, 64) + ip6(src) + ip6(dst)
            return b"\x86\xdd", hdr + l4
        self.ipid += 1
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), self.ipid, 0, 64, proto, 0, ip4(src), ip4(dst))
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        return b"\x08\x00", hdr + l4

    def _pseudo(self, src, dst, proto, length):
        if ":" in src:
            return ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, proto)
        return ip4(src) + ip4(dst) + struct.pack("!xBH", proto, length)

    def _frame(self, ts, src, dst, proto, l4):
        etype, ip = self._ip(src, dst, proto, l4)
        if self.gre:                # a remote mirror: the packet inside GRE between two sensors
            gre = struct.pack("!HH", 0, 0x86DD if etype == b"\x86\xdd" else 0x0800) + ip
            etype, ip = self._ip(self.gre[0], self.gre[1], 47, gre)
        self.frames.append((ts, b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + etype + ip))

    def udp(self, ts, src, sport, dst, dport, payload):
        l4 = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        c = csum(self._pseudo(src, dst, 17, len(l4)) + l4) or 0xFFFF
        self._frame(ts, src, dst, 17, l4[:6] + struct.pack("!H", c) + l4[8:])

    def _tcp(self, ts, src, sport, dst, dport, flags, payload=b""):
        key = (src, sport, dst, dport)
        seq = self.tcp.get(key, 1000)
        ack = self.tcp.get((dst, dport, src, sport), 0)
        l4 = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
        c = csum(self._pseudo(src, dst, 6, len(l4)) + l4)
        self._frame(ts, src, dst, 6, l4[:16] + struct.pack("!H", c) + l4[18:])
        self.tcp[key] = seq + len(payload) + (1 if flags & 0x03 else 0)

    def tcp_open(self, ts, src, sport, dst, dport):
        self._tcp(ts, src, sport, dst, dport, 0x02)                 # SYN
        self._tcp(ts + 0.0001, dst, dport, src, sport, 0x12)        # SYN+ACK
        self._tcp(ts + 0.0002, src, sport, dst, dport, 0x10)        # ACK

    def tcp_data(self, ts, src, sport, dst, dport, payload, at=None):
        """A data segment; at: its offset in the stream (resend, or skip ahead of a hole)."""
        key = (src, sport, dst, dport)
        if at is None:
            self._tcp(ts, src, sport, dst, dport, 0x18, payload)
            return
        nxt = self.tcp[key]
        self.tcp[key] = 1001 + at               # ISN 1000, the SYN takes one
        self._tcp(ts, src, sport, dst, dport, 0x18, payload)
        self.tcp[key] = max(nxt, 1001 + at + len(payload))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for ts, fr in sorted(self.frames, key=lambda x: x[0]):
                sec = int(ts)
                usec = int(round((ts - sec) * 1e6))
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)


# ---------------------------------------------------------------- SIP text


class Msg:
    """A SIP message: start line, ordered headers, body; bytes() frames it."""

    def __init__(self, start, headers, body=b"", clen=True):
        self.start, self.headers, self.body, self.clen = start, list(headers), body, clen

    def get(self, name):
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)

    def all(self, name):
        return [(n, v) for n, v in self.headers if n.lower() == name.lower()]

    def __bytes__(self):
        hs = list(self.headers)
        if self.body and not any(n.lower() in ("content-type", "c") for n, _ in hs):
            hs.append(("Content-Type", "application/sdp"))
        if self.clen and not any(n.lower() in ("content-length", "l") for n, _ in hs):
            hs.append(("Content-Length", str(len(self.body))))
        text = self.start + "\r\n" + "".join("%s: %s\r\n" % h for h in hs) + "\r\n"
        return text.encode("utf-8") + self.body


def request(method, ruri, frm, to, callid, cseq, via, extra=(), body=b""):
    hs = [("Via", v) for v in ([via] if isinstance(via, str) else via)]
    hs += [("Max-Forwards", "70"), ("From", frm), ("To", to), ("Call-ID", callid),
           ("CSeq", "%d %s" % (cseq, method))]
    return Msg("%s %s SIP/2.0" % (method, ruri), hs + list(extra), body)


def response(req, code, reason, tag=None, extra=(), body=b"", strip_via=0):
    """A response to req: its Via (less the proxies' top ones), From, To (+tag), Call-ID, CSeq."""
    vias = req.all("Via")[strip_via:]
    to = req.get("To")
    if tag and ";tag=" not in to:
        to += ";tag=" + tag
    hs = vias + [("From", req.get("From")), ("To", to), ("Call-ID", req.get("Call-ID")),
                 ("CSeq", req.get("CSeq"))]
    return Msg("SIP/2.0 %d %s" % (code, reason), hs + list(extra), body)


def ack_for(req, to_with_tag, via=None, cseq=None, body=b""):
    """ACK of a final response: same branch for a failure, new one (via) for a 2xx."""
    n = int(req.get("CSeq").split()[0]) if cseq is None else cseq
    return request("ACK", req.start.split()[1], req.get("From"), to_with_tag, req.get("Call-ID"), n,
                   via or req.all("Via")[0][1], body=body)


def in_dialog(method, ruri, frm, to, callid, cseq, via, extra=(), body=b""):
    return request(method, ruri, frm, to, callid, cseq, via, extra, body)


def sdp(addr, port, pts, rtpmap=(), sess_c=True, media_c=None, more=""):
    fam = "IP6" if ":" in addr else "IP4"
    lines = ["v=0", "o=- 1 1 IN %s %s" % (fam, addr), "s=-"]
    if sess_c:
        lines.append("c=IN %s %s" % (fam, addr))
    lines.append("t=0 0")
    lines.append("m=audio %d RTP/AVP %s" % (port, " ".join(str(p) for p in pts)))
    if media_c:
        lines.append("c=IN %s %s" % ("IP6" if ":" in media_c else "IP4", media_c))
    lines += ["a=rtpmap:" + r for r in rtpmap]
    text = "\r\n".join(lines) + "\r\n" + more
    return text.encode()


# ---------------------------------------------------------------- the dialogs

A, P, B, B2 = "192.0.2.10", "192.0.2.1", "198.51.100.20", "198.51.100.21"   # caller, proxy, callees
A6, B6 = "2001:db8::10", "2001:db8::20"
EXPECT = {}             # Call-ID -> list of facts per record (README "Call records")


def party(user, host="example.com", tag=None):
    return "<sip:%s@%s>%s" % (user, host, ";tag=" + tag if tag else "")


def via(host, branch, port=5060, proto="UDP"):
    return "SIP/2.0/%s %s:%d;branch=z9hG4bK%s" % (proto, host, port, branch)


class Dialog:
    """Sends messages of one dialog over one transport, at T0 + STEP * n + offset."""

    def __init__(self, cap, n, tcp=False):
        self.cap, self.t0, self.tcp_conns = cap, T0 + STEP * n, set() if tcp else None

    def send(self, off, src, dst, msg, sport=5060, dport=5060, at=None):
        ts = self.t0 + off
        data = bytes(msg) if not isinstance(msg, (bytes, bytearray)) else msg
        if self.tcp_conns is None:
            self.cap.udp(ts, src, sport, dst, dport, data)
            return
        key = tuple(sorted([(src, sport), (dst, dport)]))
        if key not in self.tcp_conns:
            self.tcp_conns.add(key)
            self.cap.tcp_open(ts - 0.01, src, sport, dst, dport)
        self.cap.tcp_data(ts, src, sport, dst, dport, data, at)


def s_basic(cap, n):
    """An answered call hung up by the callee, Reason Q.850 16 on the BYE."""
    cid = "s01-basic@192.0.2.10"
    d = Dialog(cap, n)
    inv = request("INVITE", "sip:bob@example.com", party("alice", tag="a1"), party("bob"), cid, 1,
                  via(A, "s01a"), [("User-Agent", "Linphone/5.2.0 (belle-sip/5.2.0)"),
                                   ("Contact", "<sip:alice@192.0.2.10>")],
                  sdp(A, 49170, [8, 0, 101], ["8 PCMA/8000", "0 PCMU/8000", "101 telephone-event/8000"]))
    d.send(0.1, A, B, inv)
    d.send(0.15, B, A, response(inv, 100, "Trying"))
    d.send(1.2, B, A, response(inv, 180, "Ringing", "b1", [("Server", "Asterisk PBX 18.10.0")]))
    ok = response(inv, 200, "OK", "b1", [("Server", "Asterisk PBX 18.10.0")],
                  sdp(B, 3456, [8, 101], ["8 PCMA/8000", "101 telephone-event/8000"]))
    d.send(4.3, B, A, ok)
    to = ok.get("To")
    d.send(4.35, A, B, ack_for(inv, to, via(A, "s01b")))
    bye = in_dialog("BYE", "sip:alice@192.0.2.10", to, inv.get("From"), cid, 1, via(B, "s01c"),
                    [("Reason", 'Q.850;cause=16;text="Normal call clearing"')])
    d.send(30.5, B, A, bye)
    d.send(30.6, A, B, response(bye, 200, "OK"))
    EXPECT[cid] = [dict(SIP_CALLING_PARTY="alice", SIP_CALLED_PARTY="bob", SIP_INVITE_TIME=T0 + STEP * n,
                        SIP_TRYING_TIME=T0 + STEP * n, SIP_RINGING_TIME=T0 + STEP * n + 1,
                        SIP_INVITE_OK_TIME=T0 + STEP * n + 4, SIP_BYE_TIME=T0 + STEP * n + 30,
                        SIP_BYE_OK_TIME=T0 + STEP * n + 30, SIP_RESPONSE_CODE=200, SIP_REASON_CAUSE=16,
                        SIP_RTP_IPV4_SRC_ADDR=A, SIP_RTP_L4_SRC_PORT=49170, SIP_RTP_IPV4_DST_ADDR=B,
                        SIP_RTP_L4_DST_PORT=3456, SIP_RTP_CODECS="PCMA;telephone-event",
                        SIP_UAC="Linphone/5.2.0 (belle-sip/5.2.0)", SIP_UAS="Asterisk PBX 18.10.0",
                        SIP_C_IP="%s,%s" % (A, B), SIP_CALL_STATE="CALL_COMPLETED", IN_PKTS=7,
                        IPV4_SRC_ADDR=A, IPV4_DST_ADDR=B, PROTOCOL=17,
                        FLOW_START_MILLISECONDS=(T0 + STEP * n) * 1000 + 100,
                        FLOW_END_MILLISECONDS=(T0 + STEP * n) * 1000 + 30600, _reason="bye_ok")]


def s_auth(cap, n):
    """407 then an INVITE with credentials (CSeq 2) at once: one call, the failure forgotten."""
    cid = "s02-auth@192.0.2.10"
    d = Dialog(cap, n)
    fr = party("alice", tag="a2")
    inv = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 1, via(A, "s02a"),
                  [("User-Agent", "UAC-one")], sdp(A, 4000, [0]))
    d.send(0.2, A, P, inv)
    r407 = response(inv, 407, "Proxy Authentication Required", "p2", [("Server", "Proxy/1")])
    d.send(0.3, P, A, r407)
    d.send(0.31, A, P, ack_for(inv, r407.get("To")))
    inv2 = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 2, via(A, "s02b"),
                   [("User-Agent", "UAC-one"), ("Proxy-Authorization", 'Digest username="alice"')],
                   sdp(A, 4002, [0]))
    d.send(0.5, A, P, inv2)
    d.send(0.6, P, A, response(inv2, 100, "Trying"))
    ok = response(inv2, 200, "OK", "b2", [("User-Agent", "Callee/2")], sdp(B, 5000, [0]))
    d.send(2.7, P, A, ok)
    d.send(2.8, A, P, ack_for(inv2, ok.get("To"), via(A, "s02c")))
    bye = in_dialog("BYE", "sip:bob@198.51.100.20", fr, ok.get("To"), cid, 3, via(A, "s02d"))
    d.send(9.0, A, P, bye)
    d.send(9.1, P, A, response(bye, 200, "OK"))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_INVITE_TIME=t, SIP_INVITE_FAILURE_TIME=0, SIP_RESPONSE_CODE=200,
                        SIP_INVITE_OK_TIME=t + 2, SIP_TRYING_TIME=t, SIP_UAS="Proxy/1",
                        SIP_RTP_L4_SRC_PORT=4000, SIP_CALL_STATE="CALL_COMPLETED", IN_PKTS=9,
                        SIP_C_IP="%s,%s" % (A, B))]


def s_auth_late(cap, n):
    """A 401 and the retry 17 s later (a user typing the password), within --sip-fail-grace
    (32 s): one call, the 401 forgotten, the retry's 486 its failure."""
    cid = "s03-auth-late@192.0.2.10"
    d = Dialog(cap, n)
    fr = party("alice", tag="a3")
    inv = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 1, via(A, "s03a"))
    d.send(0.2, A, P, inv)
    r401 = response(inv, 401, "Unauthorized", "p3")
    d.send(0.3, P, A, r401)
    d.send(0.31, A, P, ack_for(inv, r401.get("To")))
    d.send(5.0, A, P, b"OPTIONS sip:p@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKs03o\r\n"
           b"From: <sip:a@x>;tag=o\r\nTo: <sip:p@x>\r\nCall-ID: s03-options\r\nCSeq: 1 OPTIONS\r\n"
           b"Content-Length: 0\r\n\r\n")
    inv2 = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 2, via(A, "s03b"))
    d.send(17.4, A, P, inv2)
    r486 = response(inv2, 486, "Busy Here", "b3", [("Reason", "Q.850;cause=17")])
    d.send(18.5, P, A, r486)
    d.send(18.6, A, P, ack_for(inv2, r486.get("To")))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_INVITE_TIME=t, SIP_INVITE_FAILURE_TIME=t + 18, SIP_RESPONSE_CODE=486,
                        SIP_REASON_CAUSE=17, IN_PKTS=6, SIP_CALL_STATE="CALL_ERROR", _reason="failure")]
    EXPECT["s03-options"] = []


def s_fork(cap, n):
    """A proxy forks to two phones; both ring, the second answers, the first gets CANCEL/487.
    A mirror port sees every hop: the caller's INVITE and the proxy's two."""
    cid = "s04-fork@192.0.2.10"
    d = Dialog(cap, n)
    fr = party("alice", tag="a4")
    inv = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 1, via(A, "s04a"),
                  [("User-Agent", "Caller/4")], sdp(A, 6000, [0, 8]))
    d.send(0.1, A, P, inv)
    d.send(0.11, P, A, response(inv, 100, "Trying", extra=[("Server", "Proxy/4")]))
    legs = []
    for i, dst in enumerate((B, B2)):
        f = request("INVITE", "sip:bob@%s" % dst, fr, party("bob"), cid, 1,
                    [via(P, "s04p%d" % i), via(A, "s04a")], [("User-Agent", "Caller/4")], sdp(A, 6000, [0, 8]))
        d.send(0.12 + i * 0.01, P, dst, f)
        legs.append(f)
    r1 = response(legs[0], 180, "Ringing", "leg1", [("User-Agent", "Phone-1")])
    d.send(1.3, B, P, r1)
    d.send(1.31, P, A, response(inv, 180, "Ringing", "leg1", [("User-Agent", "Phone-1")]))
    r2 = response(legs[1], 183, "Session Progress", "leg2", [("User-Agent", "Phone-2")], sdp(B2, 7002, [8]))
    d.send(2.4, B2, P, r2)
    d.send(2.41, P, A, response(inv, 183, "Session Progress", "leg2", [("User-Agent", "Phone-2")],
                                sdp(B2, 7002, [8])))
    ok = response(legs[1], 200, "OK", "leg2", [("User-Agent", "Phone-2")], sdp(B2, 7002, [8]))
    d.send(5.5, B2, P, ok)
    d.send(5.51, P, A, response(inv, 200, "OK", "leg2", [("User-Agent", "Phone-2")], sdp(B2, 7002, [8])))
    can = request("CANCEL", "sip:bob@%s" % B, fr, party("bob"), cid, 1, via(P, "s04p0"),
                  [("Reason", 'SIP;cause=200;text="Call completed elsewhere"')])
    d.send(5.52, P, B, can)
    d.send(5.6, B, P, response(can, 200, "OK", "leg1"))
    r487 = response(legs[0], 487, "Request Terminated", "leg1", [("Reason", "Q.850;cause=31")])
    d.send(5.61, B, P, r487)
    d.send(5.62, P, B, ack_for(legs[0], r487.get("To")))
    to = ok.get("To")
    d.send(5.7, A, P, ack_for(inv, to, via(A, "s04b")))
    d.send(5.71, P, B2, ack_for(inv, to, [via(P, "s04q"), via(A, "s04b")]))
    bye = in_dialog("BYE", "sip:bob@%s" % B2, fr, to, cid, 2, via(A, "s04c"))
    d.send(20.0, A, P, bye)
    bye2 = in_dialog("BYE", "sip:bob@%s" % B2, fr, to, cid, 2, [via(P, "s04r"), via(A, "s04c")])
    d.send(20.01, P, B2, bye2)
    d.send(20.1, B2, P, response(bye2, 200, "OK"))
    d.send(20.11, P, A, response(bye, 200, "OK"))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_RINGING_TIME=t + 1, SIP_INVITE_OK_TIME=t + 5, SIP_CANCEL_TIME=t + 5,
                        SIP_CANCEL_OK_TIME=t + 5, SIP_INVITE_FAILURE_TIME=0, SIP_RESPONSE_CODE=200,
                        SIP_RTP_IPV4_DST_ADDR=B2, SIP_RTP_L4_DST_PORT=7002, SIP_RTP_CODECS="PCMA",
                        SIP_UAS="Proxy/4", SIP_REASON_CAUSE=0, SIP_CALL_STATE="CALL_COMPLETED",
                        IPV4_SRC_ADDR=A, IPV4_DST_ADDR=P, SIP_C_IP="%s,%s" % (A, B2), _reason="bye_ok")]


def s_reinvite(cap, n):
    """Hold by re-INVITE (new c= address), a glare 491 on a second re-INVITE: no time or media
    field changes; the new address joins SIP_C_IP."""
    cid = "s05-reinvite@192.0.2.10"
    d = Dialog(cap, n)
    fr = party("alice", tag="a5")
    inv = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 1, via(A, "s05a"),
                  [("User-Agent", "Caller/5")], sdp(A, 8000, [0]))
    d.send(0.1, A, B, inv)
    ok = response(inv, 200, "OK", "b5", [("Server", "Callee/5")], sdp(B, 9000, [0]))
    d.send(3.0, B, A, ok)
    to = ok.get("To")
    d.send(3.1, A, B, ack_for(inv, to, via(A, "s05b")))
    re = in_dialog("INVITE", "sip:bob@198.51.100.20", fr, to, cid, 2, via(A, "s05c"),
                   body=sdp("203.0.113.5", 8100, [18], ["18 G729/8000"], more="a=sendonly\r\n"))
    d.send(40.0, A, B, re)
    d.send(40.1, B, A, response(re, 200, "OK", body=sdp(B, 9100, [18], ["18 G729/8000"])))
    d.send(40.2, A, B, ack_for(re, to, via(A, "s05d")))
    re2 = in_dialog("INVITE", "sip:bob@198.51.100.20", fr, to, cid, 3, via(A, "s05e"),
                    body=sdp(A, 8000, [0]))
    d.send(50.0, A, B, re2)
    r491 = response(re2, 491, "Request Pending", extra=[("Reason", "Q.850;cause=41")])
    d.send(50.1, B, A, r491)
    d.send(50.2, A, B, ack_for(re2, to))
    bye = in_dialog("BYE", "sip:alice@192.0.2.10", to, fr, cid, 1, via(B, "s05f"))
    d.send(60.0, B, A, bye)
    d.send(60.1, A, B, response(bye, 200, "OK"))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_INVITE_TIME=t, SIP_INVITE_OK_TIME=t + 3, SIP_INVITE_FAILURE_TIME=0,
                        SIP_RESPONSE_CODE=200, SIP_REASON_CAUSE=0, SIP_RTP_L4_SRC_PORT=8000,
                        SIP_RTP_L4_DST_PORT=9000, SIP_RTP_CODECS="PCMU",
                        SIP_C_IP="%s,%s,203.0.113.5" % (A, B), SIP_CALL_STATE="CALL_COMPLETED", IN_PKTS=11)]


def s_cancel(cap, n):
    """The caller cancels while it rings: CANCEL, 200 (CANCEL), 487, ACK."""
    cid = "s06-cancel@192.0.2.10"
    d = Dialog(cap, n)
    inv = request("INVITE", "sip:bob@example.com", party("alice", tag="a6"), party("bob"), cid, 1,
                  via(A, "s06a"), [("User-Agent", "Caller/6")], sdp(A, 10000, [9, 0], ["9 G722/8000"]))
    d.send(0.1, A, B, inv)
    d.send(0.2, B, A, response(inv, 100, "Trying"))
    d.send(1.5, B, A, response(inv, 180, "Ringing", "b6", [("User-Agent", "Callee/6")]))
    can = request("CANCEL", "sip:bob@example.com", inv.get("From"), party("bob"), cid, 1, via(A, "s06a"),
                  [("Reason", "Q.850;cause=16")])
    d.send(7.7, A, B, can)
    d.send(7.8, B, A, response(can, 200, "OK", "b6"))
    r487 = response(inv, 487, "Request Terminated", "b6")
    d.send(8.9, B, A, r487)
    d.send(9.0, A, B, ack_for(inv, r487.get("To")))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_CANCEL_TIME=t + 7, SIP_CANCEL_OK_TIME=t + 7, SIP_INVITE_FAILURE_TIME=t + 8,
                        SIP_RESPONSE_CODE=487, SIP_REASON_CAUSE=16, SIP_CALL_STATE="CALL_CANCELED",
                        SIP_RTP_CODECS="G722;PCMU", SIP_UAS="Callee/6", IN_PKTS=7, _reason="cancel")]


def s_busy(cap, n):
    """486 Busy Here with Q.850 17; the 486 is retransmitted once (the ACK was lost)."""
    cid = "s07-busy@192.0.2.10"
    d = Dialog(cap, n)
    inv = request("INVITE", "sip:bob@example.com", party("alice", tag="a7"), party("bob"), cid, 1,
                  via(A, "s07a"), body=sdp(A, 12000, [0]))
    d.send(0.1, A, B, inv)
    d.send(0.6, A, B, inv)                        # retransmitted (Timer A)
    d.send(0.7, B, A, response(inv, 100, "Trying", extra=[("Server", "Callee/7")]))
    r486 = response(inv, 486, "Busy Here", "b7", [("Reason", "Q.850;cause=17")])
    d.send(1.8, B, A, r486)
    d.send(2.3, B, A, r486)
    d.send(2.35, A, B, ack_for(inv, r486.get("To")))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_INVITE_FAILURE_TIME=t + 1, SIP_RESPONSE_CODE=486, SIP_REASON_CAUSE=17,
                        SIP_CALL_STATE="CALL_ERROR", IN_PKTS=6, SIP_UAS="Callee/7",
                        FLOW_END_MILLISECONDS=t * 1000 + 2350, _reason="failure")]


def s_delayed_offer(cap, n):
    """INVITE without SDP: the 200 carries the offer, the ACK the answer."""
    cid = "s08-delayed@192.0.2.10"
    d = Dialog(cap, n)
    inv = request("INVITE", "sip:bob@example.com", party("alice", tag="a8"), party("bob"), cid, 1,
                  via(A, "s08a"))
    d.send(0.1, A, B, inv)
    ok = response(inv, 200, "OK", "b8", body=sdp(B, 14000, [0, 8]))
    d.send(2.2, B, A, ok)
    d.send(2.3, A, B, ack_for(inv, ok.get("To"), via(A, "s08b"), body=sdp(A, 15000, [8])))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_RTP_IPV4_SRC_ADDR=A, SIP_RTP_L4_SRC_PORT=15000, SIP_RTP_IPV4_DST_ADDR=B,
                        SIP_RTP_L4_DST_PORT=14000, SIP_RTP_CODECS="PCMU;PCMA", SIP_C_IP="%s,%s" % (B, A),
                        SIP_CALL_STATE="CALL_IN_PROGRESS", _reason="flush")]


def s_ipv6(cap, n):
    """IPv6 signalling and IPv6 media: RTP addresses 0.0.0.0, ports kept, addresses in SIP_C_IP."""
    cid = "s09-ipv6@[2001:db8::10]"
    d = Dialog(cap, n)
    inv = request("INVITE", "sip:bob@example.com", party("alice", tag="a9"), party("bob"), cid, 1,
                  "SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bKs09a", body=sdp(A6, 16000, [0]))
    d.send(0.1, A6, B6, inv)
    ok = response(inv, 200, "OK", "b9", body=sdp(B6, 17000, [0]))
    d.send(1.1, B6, A6, ok)
    d.send(1.2, A6, B6, ack_for(inv, ok.get("To"), "SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bKs09b"))
    bye = in_dialog("BYE", "sip:bob@[2001:db8::20]", inv.get("From"), ok.get("To"), cid, 2,
                    "SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bKs09c")
    d.send(9.1, A6, B6, bye)                     # no 200 to the BYE: --sip-bye-timeout
    t = T0 + STEP * n
    EXPECT[cid] = [dict(IPV6_SRC_ADDR=A6, IPV6_DST_ADDR=B6, SIP_RTP_IPV4_SRC_ADDR="0.0.0.0",
                        SIP_RTP_L4_SRC_PORT=16000, SIP_RTP_IPV4_DST_ADDR="0.0.0.0", SIP_RTP_L4_DST_PORT=17000,
                        SIP_C_IP="%s,%s" % (A6, B6), SIP_BYE_TIME=t + 9, SIP_BYE_OK_TIME=0,
                        SIP_CALL_STATE="CALL_COMPLETED", _reason="bye_timeout")]


def s_tcp(cap, n):
    """SIP over TCP: the INVITE split over two segments, 100 and 180 in one segment."""
    cid = "s10-tcp@192.0.2.10"
    d = Dialog(cap, n, tcp=True)
    inv = request("INVITE", "sip:bob@example.com;transport=tcp", party("alice", tag="a10"), party("bob"), cid, 1,
                  via(A, "s10a", proto="TCP"), [("User-Agent", "TCP-Caller")], sdp(A, 18000, [0]))
    raw = bytes(inv)
    d.send(0.1, A, B, raw[:100], sport=40000)
    d.send(0.3, A, B, raw[100:], sport=40000)
    both = bytes(response(inv, 100, "Trying")) + bytes(response(inv, 180, "Ringing", "b10",
                                                                [("Server", "TCP-Callee")]))
    d.send(1.4, B, A, both, 5060, 40000)
    ok = response(inv, 200, "OK", "b10", [("Server", "TCP-Callee")], sdp(B, 19000, [0]))
    d.send(3.5, B, A, ok, 5060, 40000)
    d.send(3.6, A, B, b"\r\n\r\n", sport=40000)  # RFC 5626 keep-alive: not a message
    d.send(3.7, A, B, ack_for(inv, ok.get("To"), via(A, "s10b", proto="TCP")), sport=40000)
    bye = in_dialog("BYE", "sip:bob@198.51.100.20;transport=tcp", inv.get("From"), ok.get("To"), cid, 2,
                    via(A, "s10c", proto="TCP"))
    d.send(12.0, A, B, bye, sport=40000)
    d.send(12.1, B, A, response(bye, 200, "OK"), 5060, 40000)
    t = T0 + STEP * n
    EXPECT[cid] = [dict(PROTOCOL=6, L4_SRC_PORT=40000, L4_DST_PORT=5060, SIP_INVITE_TIME=t,
                        SIP_TRYING_TIME=t + 1, SIP_RINGING_TIME=t + 1, IN_PKTS=7, SIP_UAS="TCP-Callee",
                        FLOW_START_MILLISECONDS=t * 1000 + 300, SIP_CALL_STATE="CALL_COMPLETED")]


def s_compact(cap, n):
    """Compact header names, tel: URIs, an escaped user part, a multi-line Reason."""
    cid = "s11-compact@192.0.2.10"
    d = Dialog(cap, n)
    hs = [("v", via(A, "s11a")), ("f", '"Ann" <tel:+4930123456;phone-context=+49>;tag=a11'),
          ("t", "<sip:%2B4940999@example.com;user=phone>"), ("i", cid), ("CSeq", "1 INVITE"),
          ("m", "<sip:ann@192.0.2.10>"), ("c", "application/sdp")]
    body = sdp(A, 20000, [0, 97], ["97 iLBC/8000"])
    inv = Msg("INVITE sip:+4940999@example.com SIP/2.0", hs + [("l", str(len(body)))], body)
    d.send(0.1, A, B, inv)
    r = Msg("SIP/2.0 603 Decline", [("v", via(A, "s11a")), ("f", hs[1][1]), ("t", hs[2][1] + ";tag=b11"),
                                    ("i", cid), ("CSeq", "1 INVITE"),
                                    ("Reason", "SIP;cause=603"), ("Reason", "Q.850;cause=21"),
                                    ("l", "0")])
    d.send(0.9, B, A, r)
    d.send(1.0, A, B, Msg("ACK sip:+4940999@example.com SIP/2.0",
                          [("v", via(A, "s11a")), ("f", hs[1][1]), ("t", hs[2][1] + ";tag=b11"), ("i", cid),
                           ("CSeq", "1 ACK"), ("l", "0")]))
    EXPECT[cid] = [dict(SIP_CALLING_PARTY="+4930123456", SIP_CALLED_PARTY="%2B4940999", SIP_RESPONSE_CODE=603,
                        SIP_REASON_CAUSE=21, SIP_RTP_CODECS="PCMU;iLBC", SIP_CALL_STATE="CALL_ERROR")]


def s_register(cap, n):
    """REGISTER, 401, REGISTER with credentials, 200: one REGISTER record.  Then a refresh
    answered at once: a second record on the same Call-ID."""
    cid = "s12-register@192.0.2.10"
    d = Dialog(cap, n)
    fr = party("alice", tag="r12")
    reg = request("REGISTER", "sip:example.com", fr, party("alice"), cid, 1, via(A, "s12a"),
                  [("User-Agent", "Reg-UA/1"), ("Contact", "<sip:alice@192.0.2.10>"), ("Expires", "60")])
    d.send(0.1, A, P, reg)
    d.send(0.2, P, A, response(reg, 401, "Unauthorized", "p12", [("Server", "Registrar/1")]))
    reg2 = request("REGISTER", "sip:example.com", fr, party("alice"), cid, 2, via(A, "s12b"),
                   [("User-Agent", "Reg-UA/1"), ("Authorization", 'Digest username="alice"')])
    d.send(0.4, A, P, reg2)
    d.send(0.45, P, A, response(reg2, 100, "Trying"))
    d.send(0.5, P, A, response(reg2, 200, "OK", "p12", [("Server", "Registrar/1")]))
    reg3 = request("REGISTER", "sip:example.com", fr, party("alice"), cid, 3, via(A, "s12c"),
                   [("User-Agent", "Reg-UA/1")])
    d.send(50.0, A, P, reg3)
    d.send(50.1, P, A, response(reg3, 200, "OK", "p12", [("Server", "Registrar/1")]))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_CALL_STATE="REGISTER", SIP_RESPONSE_CODE=200, SIP_CALLING_PARTY="alice",
                        SIP_UAC="Reg-UA/1", SIP_UAS="Registrar/1", IN_PKTS=5, SIP_INVITE_TIME=0,
                        SIP_INVITE_FAILURE_TIME=0, _reason="register",
                        FLOW_START_MILLISECONDS=t * 1000 + 100),
                   dict(SIP_CALL_STATE="REGISTER", SIP_RESPONSE_CODE=200, IN_PKTS=2, _reason="register",
                        FLOW_START_MILLISECONDS=t * 1000 + 50000)]


def s_open(cap, n):
    """Calls still open at the end of the capture: one answered, one ringing, one after a
    CANCEL whose 487 never came.  Each is flushed with its state."""
    t = T0 + STEP * n
    for i, (cid, steps) in enumerate((("s13-open-answered@x", "ok"), ("s13-open-ringing@x", "ring"),
                                       ("s13-open-cancel@x", "cancel"))):
        d = Dialog(cap, n)
        inv = request("INVITE", "sip:bob@example.com", party("u%d" % i, tag="o%d" % i), party("bob"), cid, 1,
                      via(A, "s13%d" % i), body=sdp(A, 22000 + 2 * i, [0]))
        d.send(0.1 + i, A, B, inv)
        d.send(0.5 + i, B, A, response(inv, 180, "Ringing", "ob%d" % i))
        if steps == "ok":
            ok = response(inv, 200, "OK", "ob%d" % i, body=sdp(B, 23000, [0]))
            d.send(0.7 + i, B, A, ok)
            d.send(0.8 + i, A, B, ack_for(inv, ok.get("To"), via(A, "s13x")))
        elif steps == "cancel":
            d.send(0.9 + i, A, B, request("CANCEL", "sip:bob@example.com", inv.get("From"), party("bob"), cid, 1,
                                          via(A, "s13%d" % i)))
    EXPECT["s13-open-answered@x"] = [dict(SIP_CALL_STATE="CALL_IN_PROGRESS", _reason="flush")]
    EXPECT["s13-open-ringing@x"] = [dict(SIP_CALL_STATE="CALL_STARTED", SIP_RINGING_TIME=t + 1, _reason="flush")]
    EXPECT["s13-open-cancel@x"] = [dict(SIP_CALL_STATE="CALL_CANCELED", SIP_CANCEL_TIME=t + 2,
                                        SIP_INVITE_FAILURE_TIME=0, _reason="flush")]


def s_misc(cap, n):
    """UAS from the first response that has one (not the 100), early media SDP as the answer,
    UPDATE with SDP, a long User-Agent and a long Call-ID (cut at 96 bytes), a CANCEL that
    never completes (--sip-bye-timeout), static payload types without rtpmap.  The 200 to the
    UPDATE carries SDP too: its c= address belongs in SIP_C_IP ("every ... c= address of the
    call's SDP bodies")."""
    cid = "s14-" + "x" * 120
    d = Dialog(cap, n)
    ua = "Ünïcödé-UA " + "é" * 50                   # 112 bytes: the cut falls inside an é
    inv = request("INVITE", "sip:bob@example.com", party("alice", tag="a14"), party("bob"), cid, 1,
                  via(A, "s14a"), [("User-Agent", ua)], sdp(A, 24000, [0, 8, 18, 3]))
    d.send(0.1, A, B, inv)
    d.send(0.2, B, A, response(inv, 100, "Trying"))
    d.send(0.9, B, A, response(inv, 183, "Session Progress", "b14", [("User-Agent", "Early/1")],
                               sdp(B, 25000, [3, 18])))
    up = in_dialog("UPDATE", "sip:bob@198.51.100.20", inv.get("From"), party("bob", tag="b14"), cid, 2,
                   via(A, "s14b"), body=sdp("203.0.113.77", 24002, [0]))
    d.send(1.5, A, B, up)
    d.send(1.6, B, A, response(up, 200, "OK", body=sdp("198.51.100.99", 25002, [0])))
    can = request("CANCEL", "sip:bob@example.com", inv.get("From"), party("bob"), cid, 1, via(A, "s14a"))
    d.send(4.0, A, B, can)
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_UAS="Early/1", SIP_RTP_L4_DST_PORT=25000, SIP_RTP_CODECS="GSM;G729",
                        SIP_C_IP="%s,%s,203.0.113.77,198.51.100.99" % (A, B), SIP_CALL_STATE="CALL_CANCELED",
                        SIP_CANCEL_TIME=t + 4, SIP_RINGING_TIME=t, _reason="cancel_timeout")]


def s_uris(cap, n):
    """User parts as written: a password is not the user, user parameters are, a tel: number
    keeps its visual separators, sips: and a bare URI without <> are URIs too."""
    t = T0 + STEP * n
    cases = [("s15-uri-password@x", "<sip:alice:secret@example.com>", "<sips:bob@example.com>", "alice", "bob"),
             ("s15-uri-params@x", "<sip:+12125551212;npdi;rn=+12125550000@example.com;user=phone>",
              "sip:carol@example.com", "+12125551212;npdi;rn=+12125550000", "carol"),
             ("s15-uri-tel@x", "<tel:+1-212-555-1212>", "<tel:911;phone-context=+1>", "+1-212-555-1212", "911"),
             ("s15-uri-nouser@x", "<sip:example.com>", "<urn:service:sos>", "", "")]
    for i, (cid, fr, to, calling, called) in enumerate(cases):
        d = Dialog(cap, n)
        inv = request("INVITE", "sip:x@example.com", fr + ";tag=u%d" % i, to, cid, 1, via(A, "s15%d" % i))
        d.send(0.1 + i, A, B, inv)
        r = response(inv, 404, "Not Found", "v%d" % i)
        d.send(0.2 + i, B, A, r)
        d.send(0.3 + i, A, B, ack_for(inv, r.get("To")))
        EXPECT[cid] = [dict(SIP_CALLING_PARTY=calling, SIP_CALLED_PARTY=called, SIP_RESPONSE_CODE=404,
                            SIP_INVITE_TIME=t + i, SIP_CALL_STATE="CALL_ERROR")]


def s_sdp(cap, n):
    """SDP variants: media-level c= (IPv6) overriding a session-level IPv4 one, a multicast
    address with a TTL, a port with a count, a declined first audio stream, video first."""
    t = T0 + STEP * n
    bodies = [
        ("s16-sdp-media-c6@x", sdp(A, 30000, [0], media_c=A6), "0.0.0.0", 30000, "%s,%s" % (A, A6)),
        ("s16-sdp-ttl@x", b"v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 233.252.0.1/127\r\nt=0 0\r\n"
         b"m=audio 30002/2 RTP/AVP 0\r\n", "233.252.0.1", 30002, "233.252.0.1"),
        ("s16-sdp-declined@x", b"v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
         b"m=video 30010 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 0 RTP/AVP 0\r\n"
         b"m=audio 30004 RTP/AVP 8\r\nc=IN IP4 192.0.2.11\r\n", A, 0, "192.0.2.10,192.0.2.11")]
    for i, (cid, body, addr, port, cips) in enumerate(bodies):
        d = Dialog(cap, n)
        inv = request("INVITE", "sip:x@example.com", party("a", tag="s%d" % i), party("b"), cid, 1,
                      via(A, "s16%d" % i), body=body)
        d.send(0.1 + i, A, B, inv)
        r = response(inv, 480, "Temporarily Unavailable", "w%d" % i)
        d.send(0.2 + i, B, A, r)
        d.send(0.3 + i, A, B, ack_for(inv, r.get("To")))
        EXPECT[cid] = [dict(SIP_RTP_IPV4_SRC_ADDR=addr, SIP_RTP_L4_SRC_PORT=port, SIP_C_IP=cips,
                            SIP_INVITE_TIME=t + i)]


def s_framing(cap, n):
    """UDP framing: a Content-Length shorter than the datagram (the rest is not the message),
    no Content-Length at all (the body is the rest of the datagram), a REGISTER whose only
    Server header is in its 100 Trying."""
    t = T0 + STEP * n
    cid = "s17-framing@x"
    d = Dialog(cap, n)
    body = sdp(A, 32000, [0])
    inv = request("INVITE", "sip:x@example.com", party("a", tag="f1"), party("b"), cid, 1, via(A, "s17a"),
                  body=body)
    d.send(0.1, A, B, bytes(inv) + b"junk after the body")
    ok = Msg("SIP/2.0 200 OK", response(inv, 200, "OK", "f2").headers + [("Content-Type", "application/sdp")],
             sdp(B, 33000, [0]), clen=False)
    d.send(0.2, B, A, ok)
    d.send(0.3, A, B, ack_for(inv, ok.get("To"), via(A, "s17b")))
    EXPECT[cid] = [dict(SIP_RTP_L4_DST_PORT=33000, IN_PKTS=3, SIP_CALL_STATE="CALL_IN_PROGRESS")]
    cid = "s17-register@x"
    reg = request("REGISTER", "sip:example.com", party("a", tag="f3"), party("a"), cid, 7, via(A, "s17c"),
                  [("User-Agent", "Reg-UA/2")])
    d.send(1.0, A, P, reg)
    d.send(1.05, P, A, response(reg, 100, "Trying", extra=[("Server", "Registrar/2")]))
    d.send(1.1, P, A, response(reg, 200, "OK", "f4"))
    EXPECT[cid] = [dict(SIP_CALL_STATE="REGISTER", SIP_UAS="Registrar/2", SIP_UAC="Reg-UA/2", IN_PKTS=3,
                        SIP_RESPONSE_CODE=200, _reason="register")]


def s_tcp6(cap, n):
    """SIP over TCP and IPv6 on port 5080 (no SIP port: recognised by content), a segment
    that arrives before the one in front of it, and a TCP retransmission of the 200 (the
    same bytes again: no new SIP message)."""
    cid = "s18-tcp6@[2001:db8::10]"
    d = Dialog(cap, n, tcp=True)
    vv = "SIP/2.0/TCP [2001:db8::10]:40002;branch=z9hG4bK"
    inv = request("INVITE", "sip:bob@[2001:db8::20]:5080;transport=tcp", party("alice", tag="t18"), party("bob"),
                  cid, 1, vv + "s18a", [("User-Agent", "TCP6-Caller")], sdp(A6, 34000, [0]))
    raw = bytes(inv)
    d.send(0.1, A6, B6, raw[:60], 40002, 5080)
    d.send(0.2, A6, B6, raw[150:], 40002, 5080, at=150)         # ahead of a hole
    d.send(0.3, A6, B6, raw[60:150], 40002, 5080, at=60)         # fills it: the INVITE is complete
    ok = response(inv, 200, "OK", "b18", [("Server", "TCP6-Callee")], sdp(B6, 35000, [0]))
    okb = bytes(ok)
    d.send(1.4, B6, A6, okb, 5080, 40002)
    d.send(1.9, B6, A6, okb, 5080, 40002, at=0)                  # TCP retransmission
    d.send(2.0, A6, B6, ack_for(inv, ok.get("To"), vv + "s18b"), 40002, 5080)
    bye = in_dialog("BYE", "sip:bob@[2001:db8::20]:5080;transport=tcp", inv.get("From"), ok.get("To"), cid, 2,
                    vv + "s18c")
    d.send(6.0, A6, B6, bye, 40002, 5080)
    d.send(6.1, B6, A6, response(bye, 200, "OK"), 5080, 40002)
    t = T0 + STEP * n
    EXPECT[cid] = [dict(PROTOCOL=6, IPV6_SRC_ADDR=A6, L4_SRC_PORT=40002, L4_DST_PORT=5080, IN_PKTS=5,
                        FLOW_START_MILLISECONDS=t * 1000 + 300, SIP_UAS="TCP6-Callee", SIP_INVITE_OK_TIME=t + 1,
                        SIP_CALL_STATE="CALL_COMPLETED", _reason="bye_ok")]


def s_gre_multipart(cap, n):
    """A remote mirror (GRE between two sensors) carrying a SIP-I call: the INVITE's body is
    multipart/mixed, SDP next to ISUP.  Addresses and ports are the inner packet's."""
    cid = "s19-gre@x"
    cap.gre = ("10.99.0.1", "10.99.0.2")
    d = Dialog(cap, n)
    sd = sdp(A, 36000, [8], ["8 PCMA/8000"])
    body = (b"--b1\r\nContent-Type: application/sdp\r\n\r\n" + sd +
            b"\r\n--b1\r\nContent-Type: application/ISUP;version=itu-t92+\r\nContent-Disposition: signal\r\n\r\n"
            b"\x01\x00\x49\x00\x00\x03\x02\x00\x07\x04\x10\x00\x33\x63\x21\x43\x00\x00\r\n--b1--\r\n")
    inv = request("INVITE", "sip:+4940999@example.com", party("+4930111", tag="g19"), party("+4940999"), cid, 1,
                  via(A, "s19a"), [("Content-Type", "multipart/mixed;boundary=b1"), ("MIME-Version", "1.0")], body)
    d.send(0.1, A, B, inv)
    ok = response(inv, 200, "OK", "b19", [("Server", "MGCF/1")], sdp(B, 37000, [8], ["8 PCMA/8000"]))
    d.send(2.1, B, A, ok)
    d.send(2.2, A, B, ack_for(inv, ok.get("To"), via(A, "s19b")))
    bye = in_dialog("BYE", "sip:+4940999@198.51.100.20", inv.get("From"), ok.get("To"), cid, 2, via(A, "s19c"),
                    [("Reason", "Q.850;cause=16")])
    d.send(8.0, A, B, bye)
    d.send(8.1, B, A, response(bye, 200, "OK"))
    cap.gre = None
    EXPECT[cid] = [dict(IPV4_SRC_ADDR=A, IPV4_DST_ADDR=B, SIP_RTP_IPV4_SRC_ADDR=A, SIP_RTP_L4_SRC_PORT=36000,
                        SIP_RTP_L4_DST_PORT=37000, SIP_RTP_CODECS="PCMA", SIP_CALLING_PARTY="+4930111",
                        SIP_REASON_CAUSE=16, SIP_CALL_STATE="CALL_COMPLETED", IN_PKTS=5)]


def s_grace_edge(cap, n):
    """A retry 32.3 s after the 401: past --sip-fail-grace (32 s), a new record, although no
    timer check ran in between (the last packet, another Call-ID, came at 32.1 s)."""
    cid = "s20-grace@x"
    d = Dialog(cap, n)
    fr = party("alice", tag="a20")
    inv = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 1, via(A, "s20a"))
    d.send(0.0, A, P, inv)
    r401 = response(inv, 401, "Unauthorized", "p20")
    d.send(0.3, P, A, r401)
    d.send(0.35, A, P, ack_for(inv, r401.get("To")))
    d.send(32.1, A, P, request("OPTIONS", "sip:p@example.com", fr, party("p"), "s20-options", 1, via(A, "s20o")))
    inv2 = request("INVITE", "sip:bob@example.com", fr, party("bob"), cid, 2, via(A, "s20b"))
    d.send(32.6, A, P, inv2)
    d.send(32.7, P, A, response(inv2, 100, "Trying"))
    t = T0 + STEP * n
    EXPECT[cid] = [dict(SIP_RESPONSE_CODE=401, IN_PKTS=3, SIP_CALL_STATE="CALL_ERROR", _reason="failure"),
                   dict(SIP_INVITE_TIME=t + 32, SIP_TRYING_TIME=t + 32, SIP_RESPONSE_CODE=0, IN_PKTS=2,
                        SIP_CALL_STATE="CALL_STARTED", _reason="setup_timeout")]
    EXPECT["s20-options"] = []


SCENARIOS = [s_basic, s_auth, s_auth_late, s_fork, s_reinvite, s_cancel, s_busy, s_delayed_offer, s_ipv6,
             s_tcp, s_compact, s_register, s_misc, s_uris, s_sdp, s_framing, s_tcp6,
             s_gre_multipart, s_grace_edge, s_open]


def build():
    cap = Capture()
    for i, s in enumerate(SCENARIOS):
        s(cap, i)
    return cap


def check(ref_path):
    import json
    build()
    recs = {}
    for line in open(ref_path, encoding="utf-8"):
        r = json.loads(line)
        recs.setdefault(r["SIP_CALL_ID"][:40], []).append(r)
    bad = 0
    for cid, facts in EXPECT.items():
        got = sorted(recs.pop(cid[:40], []), key=lambda r: r["FLOW_START_MILLISECONDS"])
        if len(got) != len(facts):
            print("%s: %d records, README says %d" % (cid, len(got), len(facts)))
            bad += 1
            continue
        for i, (g, f) in enumerate(zip(got, facts)):
            for k, v in f.items():
                if g.get(k) != v:
                    print("%s record %d %s: reference %r, README %r" % (cid[:40], i, k, g.get(k), v))
                    bad += 1
    for cid in recs:
        print("%s: a record README does not expect" % cid)
        bad += 1
    print("scenario facts: %d differences" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build().write(sys.argv[1])
