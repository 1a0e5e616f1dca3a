#!/bin/sh
# A mixed capture from the project's generator (bench/sipgen: TCP with split
# INVITEs, coalesced responses and CRLF keep-alives, IP fragments sent in
# and out of order, IPv6, VLAN, compact headers, failed calls): sipflow's
# counters equal the generator's manifest -- SIP messages per method and
# per status class, TCP connections and segments, reassembled datagrams.
. "$top_srcdir/test/lib.sh"
need python3
SIPGEN=$top_builddir/bench/sipgen
[ -x "$SIPGEN" ] || fail "bench/sipgen is not built"
"$SIPGEN" -q --calls 250 --seed 11 --ipv6 .2 --vlan .2 --tcp .35 --frag .25 --fail .3 --compact .3 \
  --talk-median 200 --tcp-keepalive 30 --out "$T/mix.pcap" || fail "sipgen failed"
# Some calls stay silent longer than the default --tcp-idle-timeout (300 s):
# their connection would end and come back mid-stream, a second connection.
$SIPFLOW_RUN -q -r "$T/mix.pcap" --tcp-idle-timeout 3600 --stats "$T/stats.json" >/dev/null 2>"$T/err" ||
  { cat "$T/err" >&2; fail "sipflow failed"; }
python3 - "$T/mix.pcap.json" "$T/stats.json" <<'PY' || fail "sipflow's counts differ from the manifest"
import json, sys
m = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
sip, tcp, frag = s["sip"], s["tcp"], s["frag"]
classes = {}
for code, n in m["responses"].items():
    k = "%dxx" % (int(code) // 100)
    classes[k] = classes.get(k, 0) + n
checks = [
    ("sip.messages", sip["messages"], m["sip_messages"]),
    ("sip.requests", sip["requests"], sum(m["requests"].values())),
    ("sip.responses", sip["responses"], sum(m["responses"].values())),
    ("sip.malformed_total", sip["malformed_total"], 0),
    ("sip.tcp_resync", sip["tcp_resync"], 0),
    # every RFC 5626 ping (CRLF CRLF, in the manifest) is answered by a pong (CRLF): both counted
    ("sip.keepalives", sip["keepalives"], 2 * m["tcp_keepalives"]),
    ("tcp.connections", tcp["connections"], m["tcp_connections"]),
    ("tcp.closed_fin", tcp["closed_fin"], m["tcp_connections"]),
    ("tcp.segments", tcp["segments"], m["tcp_data_segments"] + m["tcp_control_segments"]),
    ("tcp.gaps", tcp["gaps"], 0),
    ("tcp.midstream", tcp["midstream"], 0),
    ("tcp.active", tcp["active"], 0),
    ("tcp.held_bytes", tcp["held_bytes"], 0),
    ("frag.reassembled", frag["reassembled"], m["fragmented_datagrams"]),
    ("frag.fragments", frag["fragments"], m["ip_fragment_frames"]),
    ("frag.timeouts", frag["timeouts"], 0),
    ("dispatch.udp_unclaimed", s["dispatch"]["udp_unclaimed"], 0),
]
for meth, n in sip["methods"].items():
    checks.append(("sip.methods." + meth, n, m["requests"].get(meth, 0)))
for k, n in sip["status_classes"].items():
    checks.append(("sip.status_classes." + k, n, classes.get(k, 0)))
bad = [c for c in checks if c[1] != c[2]]
for name, got, want in checks:
    print("%s %s: sipflow %s, manifest %s" % ("ok" if got == want else "FAIL", name, got, want))
sys.exit(1 if bad else 0)
PY
echo "ok: $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["sip_messages"], "messages,", m["tcp_calls"], "TCP calls,", m["frag_calls"], "fragmented")' "$T/mix.pcap.json")"
