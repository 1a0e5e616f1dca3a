#!/usr/bin/env python3
"""events_tcp.py: SIP over TCP must give the same events as over UDP.

  events_tcp.py to-tcp IN.pcap OUT.pcap
      Every UDP datagram of IN (Ethernet, IPv4) becomes bytes of one TCP
      connection between the same endpoints (handshake first, FINs last).
      Messages are cut on purpose: the first segment of each message holds
      only its first 7 bytes (an unfinished start line), the middle one up to
      half of it, and when the next message goes the same way, the tail of
      one and the head of the next share a segment.  Every segment carries
      the time of the message whose bytes it ends, so each message is
      complete at its own datagram's time.
  events_tcp.py to-udp IN.pcap OUT.pcap
      The reverse: the TCP payload of IN, per direction in sequence order,
      split into messages by their Content-Length (RFC 3261 18.3), one UDP
      datagram each, at the time of the segment that completed it.
  events_tcp.py compare A.jsonl B.jsonl
      The events of A and B are the same, in the same order, except the
      fields that name the transport: network.transport, network.iana_number
      (6 for TCP, 17 for UDP) and network.community_id, which are checked
      against the transport of each file and the Community ID v1 computed
      here.  Exit 1 on any difference.
"""
import base64
import hashlib
import json
import socket
import struct
import sys


def read_pcap(path):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    assert magic == 0xa1b2c3d4, "little-endian microsecond pcap expected"
    linktype = struct.unpack("<I", d[20:24])[0]
    assert linktype == 1, "Ethernet expected"
    off, out = 24, []
    while off + 16 <= len(d):
        sec, usec, incl, _ = struct.unpack("<IIII", d[off:off + 16])
        out.append((sec, usec, d[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out


def parse(frame):
    """(src, dst, proto, sport, dport, payload, seq, flags) of an Ethernet/IPv4 frame."""
    assert frame[12:14] == b"\x08\x00"
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    proto, src, dst = ip[9], ip[12:16], ip[16:20]
    l4 = ip[ihl:total]
    if proto == 17:
        sp, dp = struct.unpack("!HH", l4[:4])
        return src, dst, proto, sp, dp, l4[8:], 0, 0
    sp, dp, seq = struct.unpack("!HHI", l4[:8])
    doff = (l4[12] >> 4) * 4
    return src, dst, proto, sp, dp, l4[doff:], seq, l4[13]


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, proto, l4):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0x4000, 64, proto, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + l4


def tcp(src, dst, sp, dp, seq, ack, flags, payload):
    h = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(h) + len(payload))
    c = csum(pseudo + h + payload)
    return frame(src, dst, 6, h[:16] + struct.pack("!H", c) + h[18:] + payload)


def udp(src, dst, sp, dp, payload):
    return frame(src, dst, 17, struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload)


def write_pcap(path, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for sec, usec, fr in pkts:
            f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)


SYN, FIN, PSH, ACK = 0x02, 0x01, 0x08, 0x10


def to_tcp(inp, outp):
    msgs = []
    for sec, usec, fr in read_pcap(inp):
        src, dst, proto, sp, dp, payload, _, _ = parse(fr)
        if proto == 17 and payload:
            msgs.append(((sec, usec), (src, sp), (dst, dp), payload))
    client, server = msgs[0][1], msgs[0][2]
    seq = {client: 1000, server: 5000}
    peer = {client: server, server: client}
    out = []
    t0 = msgs[0][0]

    def seg(t, a, flags, data=b""):
        b = peer[a]
        out.append((t[0], t[1], tcp(a[0], b[0], a[1], b[1], seq[a], seq[b], flags, data)))
        seq[a] = (seq[a] + len(data) + (1 if flags & (SYN | FIN) else 0)) & 0xffffffff

    seg(t0, client, SYN)
    seg(t0, server, SYN | ACK)
    seg(t0, client, ACK)
    carry = b""     # the head of the next message, sent with the tail of this one
    for i, (t, a, _, p) in enumerate(msgs):
        p = p[len(carry):]
        cut1 = 7 if not carry else 0
        cut2 = max(cut1, len(p) // 2)
        if cut1:
            seg(t, a, ACK | PSH, p[:cut1])
        seg(t, a, ACK | PSH, p[cut1:cut2])
        tail = p[cut2:]
        nxt = msgs[i + 1] if i + 1 < len(msgs) else None
        if nxt and nxt[1] == a:
            carry = nxt[3][:7]
            seg(t, a, ACK | PSH, tail + carry)
        else:
            carry = b""
            seg(t, a, ACK | PSH, tail)
    tl = msgs[-1][0]
    seg(tl, client, FIN | ACK)
    seg(tl, server, FIN | ACK)
    seg(tl, client, ACK)
    write_pcap(outp, out)


def to_udp(inp, outp):
    streams, out = {}, []
    for sec, usec, fr in read_pcap(inp):
        src, dst, proto, sp, dp, payload, seq, flags = parse(fr)
        if proto != 6:
            continue
        key = ((src, sp), (dst, dp))
        st = streams.setdefault(key, {"next": None, "buf": b""})
        if flags & SYN:
            st["next"] = (seq + 1) & 0xffffffff
            continue
        if not payload:
            continue
        assert st["next"] is None or seq == st["next"], "in-order capture expected"
        st["next"] = (seq + len(payload)) & 0xffffffff
        st["buf"] += payload
        while True:
            b = st["buf"].lstrip(b"\r\n")
            end = b.find(b"\r\n\r\n")
            if end < 0:
                break
            clen = 0
            for line in b[:end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() in (b"content-length", b"l"):
                    clen = int(value.strip())
            if len(b) < end + 4 + clen:
                break
            msg, st["buf"] = b[:end + 4 + clen], b[end + 4 + clen:]
            out.append((sec, usec, udp(src, dst, sp, dp, msg)))
    write_pcap(outp, out)


VARIANT = ("network.transport", "network.iana_number", "network.community_id")


def community_id(e, proto):
    fam = socket.AF_INET6 if ":" in e["source"]["ip"] else socket.AF_INET
    s, d = socket.inet_pton(fam, e["source"]["ip"]), socket.inet_pton(fam, e["destination"]["ip"])
    sp, dp = e["source"]["port"], e["destination"]["port"]
    if (s, sp) > (d, dp):
        s, d, sp, dp = d, s, dp, sp
    h = hashlib.sha1(struct.pack("!H", 0) + s + d + struct.pack("!BBHH", proto, 0, sp, dp)).digest()
    return "1:" + base64.b64encode(h).decode()


def compare(a_path, b_path):
    a = [json.loads(x) for x in open(a_path)]
    b = [json.loads(x) for x in open(b_path)]
    bad = 0
    if len(a) != len(b) or not a:
        print("FAIL: %d events vs %d" % (len(a), len(b)))
        return 1
    for n, (x, y) in enumerate(zip(a, b)):
        for e in (x, y):
            net = e["network"]
            proto = {"udp": 17, "tcp": 6}[net["transport"]]
            if net["iana_number"] != str(proto) or net["community_id"] != community_id(e, proto):
                print("FAIL event %d: %s network fields %r" % (n, net["transport"], net))
                bad += 1
            for k in VARIANT:
                del net[k.split(".")[1]]
        if x != y:
            for k in sorted(set(x) | set(y)):
                if x.get(k) != y.get(k):
                    print("FAIL event %d: %s differs:\n  %s\n  %s" % (n, k, json.dumps(x.get(k)),
                                                                    json.dumps(y.get(k))))
            bad += 1
    print("%d events identical over UDP and TCP (but %s, checked apart)" % (len(a), ", ".join(VARIANT)))
    return 1 if bad else 0


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "to-tcp":
        to_tcp(sys.argv[2], sys.argv[3])
    elif cmd == "to-udp":
        to_udp(sys.argv[2], sys.argv[3])
    elif cmd == "compare":
        return compare(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        return 2
    return 0


sys.exit(main())
