#!/bin/sh
# A live capture keeps its clock running while the link is idle: an INVITE
# that is never answered is exported by --sip-setup-timeout while sipflow
# still runs and no other packet comes (not by the flush at SIGTERM), and
# SIGUSR1 writes the counters during the silence.  When stderr is a
# terminal (script(1) gives it one) the status line appears on an idle
# link too, and a capture file shows the fraction read: the byte offset of
# the end of its 4096th packet, computed here from the pcap records.
# Needs root for the capture on lo.
. "$top_srcdir/test/lib.sh"
need python3
need_root
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT

P=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$SIPFLOW_RUN -v -i lo -f "udp port $P" --sip-setup-timeout 1 --json "$T/calls.json" --stats "$T/stats.json" \
  2>"$T/err" &
SF=$!
PIDS="$SF"
n=0
while ! grep -q "capturing on lo" "$T/err" 2>/dev/null && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "capturing on lo" "$T/err" || { cat "$T/err"; fail "sipflow did not start capturing"; }
python3 - "$P" <<'EOF'
import socket, sys
msg = ("INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKidle1\r\n"
       "From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.1>\r\n"
       "Call-ID: live-idle-1@127.0.0.1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
       "Content-Length: 0\r\n\r\n")
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(msg.encode(), ("127.0.0.1", int(sys.argv[1])))
EOF
# the setup timeout (1 s of capture time) passes with no packet at all:
# SIGUSR1's counters show the export while sipflow still runs
n=0
while [ $n -lt 50 ]; do
  rm -f "$T/stats.json"
  kill -USR1 $SF
  i=0; while [ $i -lt 20 ] && [ ! -s "$T/stats.json" ]; do sleep 0.1; i=$((i + 1)); done
  [ -s "$T/stats.json" ] || fail "SIGUSR1 wrote no counters while the link was idle"
  [ "$(json_get "$T/stats.json" sip.calls.exports.setup_timeout)" = 1 ] && break
  n=$((n + 1))
done
kill -0 $SF 2>/dev/null || { cat "$T/err"; fail "sipflow stopped"; }
[ "$(json_get "$T/stats.json" sip.calls.exports.setup_timeout)" = 1 ] ||
  fail "the unanswered call was not exported while the link was idle"
kill -TERM $SF
wait $SF; st=$?
PIDS=""
[ $st = 0 ] || { cat "$T/err"; fail "SIGTERM: exit $st"; }
[ "$(json_get "$T/stats.json" sip.calls.exports.flush)" = 0 ] || fail "the call waited for the final flush"
grep -q '"SIP_CALL_ID":"live-idle-1@127.0.0.1"' "$T/calls.json" || fail "the call record is not in --json"
[ "$(json_get "$T/stats.json" sip.messages)" = 1 ] || fail "expected the one INVITE"

# the status line, live on an idle link and over a file
if command -v script >/dev/null 2>&1; then
  script -qec "timeout --preserve-status -s INT 2 $SIPFLOW -i lo -f 'udp port $P'" /dev/null > "$T/live.tty" 2>&1 ||
    { cat "$T/live.tty"; fail "live run in a terminal failed"; }
  grep -q "sipflow: lo 0 packets, 0 dropped" "$T/live.tty" || { cat -v "$T/live.tty"; fail "no status line on an idle link"; }
  "$top_builddir/bench/sipgen" -q --calls 800 --seed 3 --no-records --out "$T/big.pcap" || fail "sipgen failed"
  want=$(python3 - "$T/big.pcap" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = 24
for _ in range(4096):
    off += 16 + struct.unpack("<I", d[off + 8:off + 12])[0]
print("%5.1f%% 4096 packets" % (100.0 * off / len(d)))
EOF
)
  script -qec "$SIPFLOW -r $T/big.pcap" /dev/null > "$T/file.tty" 2>&1 || fail "file run in a terminal failed"
  grep -q "sipflow: $T/big.pcap $want" "$T/file.tty" || { cat -v "$T/file.tty"; fail "no progress line '$want'"; }
  $SIPFLOW -r "$T/big.pcap" 2> "$T/file.err" > /dev/null
  [ ! -s "$T/file.err" ] || fail "a progress line although stderr is not a terminal"
else
  echo "note: script(1) is missing: the status line is not checked"
fi
echo "live-idle: the clock runs on an idle link (setup timeout, SIGUSR1); status and progress lines on a terminal"
