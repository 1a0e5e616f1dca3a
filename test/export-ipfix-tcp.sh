#!/bin/sh
# export-ipfix-tcp: -n tcp:// to ipfix2csv -c tcp (python3-ipfix) and to a
# stand-in collector (test/export_sink.py) whose stream tshark decodes:
# a collector absent at start, one that goes away, a full buffer.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/export-net.sh"
need python3
need tshark
need ss
[ -x /usr/bin/ipfix2csv ] && [ -x /usr/bin/python3 ] || skip "ipfix2csv (python3-ipfix) is not installed"
GEN="$SF_VG $top_builddir/test/export_gen"
JUDGE="python3 $top_srcdir/test/export_judge.py"
SINK="python3 $top_srcdir/test/export_sink.py"
"$top_builddir/test/export_elements" iespec >"$T/sipflow.iespec"
COLUMNS="flowStartMilliseconds flowEndMilliseconds packetDeltaCount octetDeltaCount sourceTransportPort
 destinationTransportPort protocolIdentifier SIP_CALL_ID SIP_CALLING_PARTY SIP_CALLED_PARTY SIP_RTP_CODECS
 SIP_INVITE_TIME SIP_TRYING_TIME SIP_RINGING_TIME SIP_INVITE_OK_TIME SIP_INVITE_FAILURE_TIME SIP_BYE_TIME
 SIP_BYE_OK_TIME SIP_CANCEL_TIME SIP_CANCEL_OK_TIME SIP_RTP_IPV4_SRC_ADDR SIP_RTP_L4_SRC_PORT
 SIP_RTP_IPV4_DST_ADDR SIP_RTP_L4_DST_PORT SIP_RESPONSE_CODE SIP_REASON_CAUSE SIP_UAC SIP_UAS SIP_C_IP
 SIP_CALL_STATE"

# csv_start NAME PORT: ipfix2csv as a TCP collector on 127.0.0.1:PORT
csv_start() {
  # shellcheck disable=SC2086
  /usr/bin/python3 -u /usr/bin/ipfix2csv -s "$T/sipflow.iespec" -c tcp -b 127.0.0.1 -p "$2" $COLUMNS \
    >"$T/$1.csv" 2>"$T/$1.err" &
  CSV_PID=$!
  PEERS="$PEERS $CSV_PID"
  wait_port tcp "$2" || fail "ipfix2csv did not start: $(cat "$T/$1.err")"
}

# csv_wait NAME LINES: wait (60 s at most: valgrind on a loaded machine) until the collector wrote LINES lines
csv_wait() {
  i=0
  while [ "$(wc -l <"$T/$1.csv")" -lt "$2" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}

wait_file() {
  i=0
  while [ ! -f "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  [ -f "$1" ]
}

# 1. the hand-made records to ipfix2csv
P=$(free_port tcp 127.0.0.1)
csv_start basic "$P"
$GEN --set fixed -n "tcp://127.0.0.1:$P" --stats "$T/st1" || fail "export_gen failed"
csv_wait basic 5
stop "$CSV_PID"
$JUDGE csv "$T/basic.csv" fixed || fail "ipfix2csv disagrees"
[ "$(json_get "$T/st1" 0.connects)" = 1 ] || fail "stats: connects"
[ "$(json_get "$T/st1" 0.templates_sent)" = 1 ] || fail "stats: templates_sent"

# 2. IPv6, many messages (a small buffer makes 4 KiB messages): the stream
#    as tshark sees it, sequence numbers included
if have_ipv6; then
  $SINK ::1 "$T/port6" "$T/v6" &
  spid=$!
  PEERS="$PEERS $spid"
  wait_file "$T/port6" || fail "the sink did not start"
  $GEN --set gen --count 300 --step 0.01 --export-buffer 32768 -n "tcp://[::1]:$(cat "$T/port6")" ||
    fail "export_gen failed"
  wait "$spid"
  TZ=UTC tshark -r "$T/v6.1" -T json >"$T/v6.json" 2>/dev/null || fail "tshark cannot read the TCP stream"
  [ "$(grep -c '"cflow.version"' "$T/v6.json")" -ge 5 ] || fail "expected several messages"
  $JUDGE tshark "$T/v6.json" gen:300:1700000000:0.01 || fail "the TCP stream is wrong"
else
  echo "note: no IPv6 on this host: tcp://[::1] is not tested" >&2
fi

# 3. no collector at start: a clear warning, the run goes on, records are
#    kept; once a collector listens the exporter reconnects (backoff) and
#    delivers them, then the rest
P=$(free_port tcp 127.0.0.1)
rm -f "$T/paused" "$T/go"
$GEN --set gen --count 40 --before 20 --marker "$T/paused" --go "$T/go" --drain 20 \
  -n "tcp://127.0.0.1:$P" --stats "$T/st3" 2>"$T/err3" &
gpid=$!
PEERS="$PEERS $gpid"
wait_file "$T/paused" || fail "export_gen did not pause"
grep -q "cannot connect to the collector (127.0.0.1:$P): Connection refused" "$T/err3" ||
  fail "no clear warning for a collector that is down: $(cat "$T/err3")"
csv_start late "$P"
touch "$T/go"
wait "$gpid" || fail "export_gen failed or did not deliver in time: $(cat "$T/err3")"
csv_wait late 41
stop "$CSV_PID"
$JUDGE csv "$T/late.csv" gen:40 || fail "the records kept while the collector was down did not all arrive"
[ "$(json_get "$T/st3" 0.connect_failures)" -ge 1 ] || fail "stats: connect_failures"
[ "$(json_get "$T/st3" 0.reconnects)" = 1 ] || fail "stats: reconnects"
[ "$(json_get "$T/st3" 0.records_dropped)" = 0 ] || fail "stats: nothing should be dropped"

# 4. the collector goes away during the run and another takes its place:
#    the exporter notices, reconnects, sends the templates first and starts
#    the sequence numbers again (each connection decodes on its own)
rm -f "$T/paused" "$T/go" "$T/port4"
$SINK 127.0.0.1 "$T/port4" "$T/c" --conns 2 --close-idle 1 &
spid=$!
PEERS="$PEERS $spid"
wait_file "$T/port4" || fail "the sink did not start"
$GEN --set gen --count 20 --before 10 --emit-before --marker "$T/paused" --go "$T/go" --drain 20 \
  -n "tcp://127.0.0.1:$(cat "$T/port4")" --stats "$T/st4" 2>"$T/err4" &
gpid=$!
PEERS="$PEERS $gpid"
wait_file "$T/c.2" || fail "the exporter did not reconnect: $(cat "$T/err4")"
touch "$T/go"
wait "$gpid" || fail "export_gen failed: $(cat "$T/err4")"
wait "$spid"
for c in 1 2; do
  TZ=UTC tshark -r "$T/c.$c" -T json >"$T/c$c.json" 2>/dev/null || fail "tshark cannot read connection $c"
done
$JUDGE tshark "$T/c1.json" gen:0-10 || fail "connection 1 is wrong"
$JUDGE tshark "$T/c2.json" gen:10-20 || fail "connection 2 is wrong (templates first, sequence from 0)"
[ "$(json_get "$T/st4" 0.disconnects)" = 1 ] || fail "stats: disconnects"
grep -q "broke" "$T/err4" || fail "the broken connection was not reported: $(cat "$T/err4")"

# 5. a full buffer: 400 records (about 50 KB) while the collector is down,
#    16 KiB of buffer.  The oldest are dropped and counted, the newest arrive.
P=$(free_port tcp 127.0.0.1)
rm -f "$T/paused" "$T/go"
$GEN --set gen --count 400 --before 400 --export-buffer 16384 --marker "$T/paused" --go "$T/go" --drain 20 \
  -n "tcp://127.0.0.1:$P" --stats "$T/st5" 2>"$T/err5" &
gpid=$!
PEERS="$PEERS $gpid"
wait_file "$T/paused" || fail "export_gen did not pause"
csv_start full "$P"
touch "$T/go"
wait "$gpid" || fail "export_gen failed: $(cat "$T/err5")"
sent=$(json_get "$T/st5" 0.records_sent)
dropped=$(json_get "$T/st5" 0.records_dropped)
[ "$dropped" -gt 0 ] || fail "a 16 KiB buffer cannot hold 400 records: nothing counted as dropped"
[ $((sent + dropped)) = 400 ] || fail "sent $sent + dropped $dropped != 400"
[ "$(grep -c 'export buffer .* is full' "$T/err5")" = 1 ] || fail "the overflow should be reported once"
csv_wait full $((sent + 1))
stop "$CSV_PID"
$JUDGE csv "$T/full.csv" "gen:$((400 - sent))-400" || fail "the newest $sent records should have arrived"
echo "ok: TCP export judged by ipfix2csv and tshark"
