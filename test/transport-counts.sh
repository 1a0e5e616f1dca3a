#!/bin/sh
# Every capture in test/data: sipflow's SIP message count (--stats
# sip.messages) and UDP/TCP packet counts (decode.udp, decode.tcp) equal
# tshark's, recorded in test/data/transport-counts.tsv with the command used.
# When tshark is installed the recorded numbers are checked against it too.
#   transport-counts.sh --tshark   print the table rows from tshark (to regenerate)
. "$top_srcdir/test/lib.sh"
need python3
TABLE=$TESTDATA/transport-counts.tsv
UPSTREAMS="beats ndpi pcapplusplus suricata-verify zeek"     # folders copied from the shared corpus

# tshark_counts FILE OPTIONS: "messages udp tcp" as tshark sees them
tshark_counts() {
  opts=$2; [ "$opts" = - ] && opts=
  # shellcheck disable=SC2086
  tshark -r "$1" $opts -T fields -e frame.protocols -e sip.Request-Line -e sip.Status-Line \
      -E occurrence=a -E aggregator='|' 2>/dev/null | python3 -c 'import sys
m = u = t = 0
for line in sys.stdin:
    cols = line.rstrip("\n").split("\t")
    layers = cols[0].split(":")
    u += "udp" in layers
    t += "tcp" in layers
    m += sum(len([x for x in c.split("|") if x]) for c in cols[1:])
print(m, u, t)'
}

if [ "${1:-}" = --tshark ]; then
  need tshark
  (cd "$TESTDATA" && find $UPSTREAMS -name '*.pcap' -o -name '*.pcapng') | sort | while read -r f; do
    printf '%s\t%s\t-\n' "$f" "$(tshark_counts "$TESTDATA/$f" - | tr ' ' '\t')"
  done
  exit 0
fi

have_tshark=no
command -v tshark >/dev/null 2>&1 && have_tshark=yes
n=0
grep -v '^#' "$TABLE" > "$T/rows"
while IFS="$(printf '\t')" read -r f msgs udp tcp opts; do
  n=$((n + 1))
  [ -f "$TESTDATA/$f" ] || fail "$f is in transport-counts.tsv but not in test/data"
  $SIPFLOW -q -r "$TESTDATA/$f" --stats "$T/stats.json" >/dev/null 2>"$T/err" ||
    { cat "$T/err" >&2; fail "$f: sipflow failed"; }
  got=$(python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
print(s["sip"]["messages"], s["decode"]["udp"], s["decode"]["tcp"])' "$T/stats.json")
  [ "$got" = "$msgs $udp $tcp" ] ||
    fail "$f: sipflow counts messages/udp/tcp $got, tshark $msgs $udp $tcp"
  if [ $have_tshark = yes ]; then
    ts=$(tshark_counts "$TESTDATA/$f" "$opts")
    [ "$ts" = "$msgs $udp $tcp" ] || fail "$f: tshark now counts $ts, the table says $msgs $udp $tcp"
  fi
  echo "ok $f: $got"
done < "$T/rows"
# every capture copied from the corpus has a row
(cd "$TESTDATA" && find $UPSTREAMS -name '*.pcap' -o -name '*.pcapng') | while read -r f; do
  grep -q "^$f	" "$TABLE" || fail "$f has no row in transport-counts.tsv"
done || exit 1
[ $n -gt 0 ] || fail "no rows in $TABLE"
# The counts come from plain runs (fast); memory errors from one run over
# every capture under valgrind (when the harness uses it).
set -- $(cut -f1 "$T/rows" | sed "s|^|-r $TESTDATA/|")
${SF_VG:-} $SIPFLOW -q "$@" --stats "$T/all.json" >/dev/null 2>"$T/err" ||
  { cat "$T/err" >&2; fail "sipflow over every capture failed (valgrind: ${SF_VG:-off})"; }

# The TCP caps are options that work: sip-body-large's INVITE (65536-byte
# body over many segments; tshark: 2 messages, INVITE then 100) does not fit
# in --tcp-max-buffer 16384, so it is lost and counted, and the stream
# resynchronises at the 100.  --tcp-max-conns 1 over sip-method/sip.pcap,
# whose 4 TCP connections (tshark -T fields -e tcp.stream | sort -u) overlap
# in time, ends connections early; the UDP messages are all still seen.
L=$TESTDATA/suricata-verify/sip-body-large/sip-body-large.pcap
$SIPFLOW -q -r "$L" --tcp-max-buffer 16384 --stats "$T/cap.json" >/dev/null 2>"$T/err" || fail "--tcp-max-buffer run failed"
got=$(python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
print(s["sip"]["messages"], s["sip"]["tcp_resync"], s["tcp"]["buffer_overflow"] > 0, s["tcp"]["held_bytes"] <= 16384)' "$T/cap.json")
[ "$got" = "1 1 True True" ] || fail "--tcp-max-buffer 16384: messages, resyncs, overflow, within cap: $got"
M=$TESTDATA/suricata-verify/sip-method/sip.pcap
if [ $have_tshark = yes ]; then
  ns=$(tshark -r "$M" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
  [ "$ns" = 4 ] || fail "tshark now sees $ns TCP connections in sip-method/sip.pcap, the test says 4"
fi
$SIPFLOW -q -r "$M" --stats "$T/c0.json" >/dev/null 2>&1 || fail "sip-method run failed"
$SIPFLOW -q -r "$M" --tcp-max-conns 1 --stats "$T/c1.json" >/dev/null 2>&1 || fail "--tcp-max-conns run failed"
got=$(python3 -c 'import json,sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
print(a["tcp"]["connections"], a["tcp"]["evicted"], b["tcp"]["evicted"] > 0, b["sip"]["messages"])' "$T/c0.json" "$T/c1.json")
[ "$got" = "4 0 True 81" ] || fail "--tcp-max-conns: connections, evicted (default), evicted (1), messages: $got"
[ $have_tshark = yes ] || echo "note: tshark not installed, recorded counts not re-derived"
echo "$n captures"
