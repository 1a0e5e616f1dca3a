#!/usr/bin/env python3
"""export_sink: a stand-in TCP collector for the export tests.

Listens on ADDR (port chosen by the system, written to PORTFILE once it
listens), accepts connections one after another and stores the bytes of
connection N in PREFIX.N (a valid IPFIX file when the exporter is right:
an IPFIX stream over TCP is a sequence of messages, RFC 7011 10.4).

  export_sink.py ADDR PORTFILE PREFIX [--conns N] [--close-idle SECS]

--close-idle: the sink closes a connection on which nothing came for SECS
seconds, as a collector that goes away would (the next one is accepted).
--conns: exit after N connections (default 1).
"""
import argparse
import socket
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("portfile")
    ap.add_argument("prefix")
    ap.add_argument("--conns", type=int, default=1)
    ap.add_argument("--close-idle", type=float, default=0)
    a = ap.parse_args()
    fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, 0))
    ls.listen(4)
    with open(a.portfile + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    import os
    os.rename(a.portfile + ".tmp", a.portfile)
    for n in range(1, a.conns + 1):
        c, _ = ls.accept()
        if a.close_idle:
            c.settimeout(a.close_idle)
        with open("%s.%d" % (a.prefix, n), "wb") as out:
            while True:
                try:
                    b = c.recv(65536)
                except socket.timeout:
                    break
                if not b:
                    break
                out.write(b)
                out.flush()
        c.close()
    ls.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
