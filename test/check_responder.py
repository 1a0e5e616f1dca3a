#!/usr/bin/env python3
"""check_responder.py: a scripted SIP server for sipflow-check's tests.

It plays the server behaviours Kamailio cannot be told to show on demand:
odd reason phrases and Server headers, lost requests (retransmission
timing), stray responses, stale nonces, SHA-512-256 digests, several
challenges at once, a TCP peer that closes or talks nonsense.  It shares no
code with sipflow-check: digests are checked with Python's hashlib per
RFC 7616.  Every request it receives is logged as one JSON line.

usage: check_responder.py MODE PORT LOG [options]   (prints READY on LOG)
"""
import argparse
import hashlib
import json
import os
import re
import socket
import sys
import time

HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


def parse(data):
    head = data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    lines = head.split("\r\n")
    hdrs = []
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs.append((k.strip(), v.strip()))
    return lines[0], hdrs


def hget(hdrs, name):
    for k, v in hdrs:
        if k.lower() == name.lower():
            return v
    return None


def response(hdrs, code, reason, extra=(), to_tag="resp1", branch=None, call_id=None):
    out = ["SIP/2.0 %d %s" % (code, reason)]
    for k, v in hdrs:
        kl = k.lower()
        if kl in ("via", "v"):
            if branch is not None:
                v = re.sub(r"branch=[^;]+", "branch=" + branch, v)
            out.append("Via: " + v)
        elif kl in ("from", "f", "cseq"):
            out.append("%s: %s" % (k, v))
        elif kl in ("call-id", "i"):
            out.append("Call-ID: " + (call_id or v))
        elif kl in ("to", "t"):
            out.append("To: " + (v if ";tag=" in v else v + ";tag=" + to_tag))
    out.extend(extra)
    out.append("Content-Length: 0")
    return ("\r\n".join(out) + "\r\n\r\n").encode()


def auth_params(value):
    scheme, _, rest = value.partition(" ")
    params = {}
    for m in re.finditer(r'([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', rest):
        params[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3)
    return scheme, params


def digest_ok(method, params, password, algorithm):
    alg = params.get("algorithm", "MD5")
    sess = alg.upper().endswith("-SESS")
    base = alg[:-5] if sess else alg
    if base.upper() != algorithm.upper():
        return False
    hname = HASHES[algorithm.upper()]

    def h(s):
        return hashlib.new(hname, s.encode()).hexdigest()
    ha1 = h("%s:%s:%s" % (params["username"], params["realm"], password))
    if sess:
        ha1 = h("%s:%s:%s" % (ha1, params["nonce"], params["cnonce"]))
    ha2 = h("%s:%s" % (method, params["uri"]))
    if params.get("qop") == "auth":
        want = h("%s:%s:%s:%s:auth:%s" % (ha1, params["nonce"], params["nc"], params["cnonce"], ha2))
    else:
        want = h("%s:%s:%s" % (ha1, params["nonce"], ha2))
    return want == params.get("response")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("port", type=int)
    ap.add_argument("log")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--code", type=int, default=200)
    ap.add_argument("--reason", default="OK")
    ap.add_argument("--server", default=None)
    ap.add_argument("--drop", type=int, default=0)
    ap.add_argument("--algorithms", default="MD5", help="challenges, topmost first, comma separated")
    ap.add_argument("--password", default="secret")
    ap.add_argument("--stale-once", action="store_true")
    a = ap.parse_args()

    tcp = a.mode.startswith("tcp-")
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.host, a.port))
    if tcp:
        s.listen(8)
    log = open(a.log, "a", buffering=1)
    log.write("READY\n")
    seen = 0
    nonce_n = [0]
    stale_sent = [False]

    def new_nonce():
        nonce_n[0] += 1
        return "n%d-%s" % (nonce_n[0], os.urandom(6).hex())

    while True:
        if tcp:
            c, peer = s.accept()
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
            first, hdrs = parse(data)
            log.write(json.dumps({"t": time.time(), "first": first}) + "\n")
            if a.mode == "tcp-garbage":
                c.sendall(b"HELLO THERE\r\n\r\n")
                time.sleep(1)
            c.close()
            continue
        data, peer = s.recvfrom(65536)
        now = time.time()
        first, hdrs = parse(data)
        method = first.split(" ", 1)[0]
        auth = hget(hdrs, "Authorization")
        log.write(json.dumps({"t": now, "first": first, "branch": re.search(r"branch=([^;]+)", hget(hdrs, "Via") or "").group(1) if "branch=" in (hget(hdrs, "Via") or "") else None,
                              "authorization": auth, "call_id": hget(hdrs, "Call-ID"),
                              "from": hget(hdrs, "From") or hget(hdrs, "f"), "to": hget(hdrs, "To") or hget(hdrs, "t"),
                              "user_agent": hget(hdrs, "User-Agent")}) + "\n")
        if method == "ACK":
            continue
        seen += 1
        if a.mode == "silent":
            continue
        if a.mode == "drop" and seen <= a.drop:
            continue
        if a.mode == "strays":
            # another transaction's answer, another call's answer, junk: all to be ignored
            s.sendto(response(hdrs, 500, "Stray Branch", branch="z9hG4bKnotyours"), peer)
            s.sendto(response(hdrs, 503, "Stray Call", call_id="someone-else"), peer)
            s.sendto(b"\x00\x01garbage that is not SIP\r\n", peer)
            s.sendto(response(hdrs, 404, "Not Found Either", branch="z9hG4bKstill-not-yours"), peer)
            time.sleep(0.2)
            s.sendto(response(hdrs, 200, "OK"), peer)
            continue
        if a.mode == "digest":
            algs = a.algorithms.split(",")
            if auth:
                scheme, p = auth_params(auth)
                good = scheme.lower() == "digest" and digest_ok(method, p, a.password, algs[0].replace("-sess", ""))
                if good and a.stale_once and not stale_sent[0]:
                    stale_sent[0] = True
                    s.sendto(response(hdrs, 401, "Unauthorized", [
                        'WWW-Authenticate: Digest realm="sipflow", nonce="%s", qop="auth", algorithm=%s, stale=TRUE'
                        % (new_nonce(), algs[0])]), peer)
                    continue
                if good:
                    s.sendto(response(hdrs, 200, "OK"), peer)
                    continue
            extra = ['WWW-Authenticate: Digest realm="sipflow", nonce="%s", qop="auth", algorithm=%s'
                     % (new_nonce(), alg) for alg in algs]
            s.sendto(response(hdrs, 401, "Unauthorized", extra), peer)
            continue
        extra = ["Server: " + a.server] if a.server else []
        s.sendto(response(hdrs, a.code, a.reason, extra), peer)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
