#!/bin/sh
# SIGTERM and SIGINT stop the capture, export every open call, write the
# counters, and exit 0; SIGUSR1 writes the counters while running.
. "$top_srcdir/test/lib.sh"
S=$top_srcdir/samples/packetbeat-sip.pcap
# the first 3 packets of the sample: INVITE, 100, 200 of one call (still open)
python3 - "$S" "$T/head.pcap" <<'PY'
import sys, struct
d = open(sys.argv[1], 'rb').read()
out, off = [d[:24]], 24
for _ in range(3):
    incl = struct.unpack('<I', d[off+8:off+12])[0]
    out.append(d[off:off+16+incl]); off += 16 + incl
open(sys.argv[2], 'wb').write(b''.join(out))
PY
for sig in TERM INT; do
  # err too: a "reading -" left from the previous round would let the wait
  # below pass before this sipflow even started (SIGUSR1 then kills the shell
  # that is about to exec it)
  rm -f "$T/fifo" "$T/calls.json" "$T/stats.json" "$T/err"
  mkfifo "$T/fifo"
  # keep the writer open after the packets so sipflow blocks reading
  ( cat "$T/head.pcap"; sleep 30 ) > "$T/fifo" &
  writer=$!
  $SIPFLOW_RUN -v -r - --json "$T/calls.json" --stats "$T/stats.json" < "$T/fifo" 2> "$T/err" &
  pid=$!
  # signals before the handlers are installed would kill it: wait for -v's
  # "reading -", which comes after them
  n=0
  while [ $n -lt 300 ] && ! grep -q "reading -" "$T/err"; do sleep 0.1; n=$((n + 1)); done
  # wait until the packets were read (SIGUSR1 makes it write the counters)
  n=0
  while [ $n -lt 100 ]; do
    kill -USR1 $pid 2>/dev/null
    sleep 0.1
    if [ -s "$T/stats.json" ] && [ "$(json_get "$T/stats.json" capture.packets 2>/dev/null)" = 3 ]; then break; fi
    n=$((n + 1))
  done
  [ $n -lt 100 ] || fail "SIGUSR1 did not write counters showing 3 packets"
  [ "$(json_get "$T/stats.json" sip.calls.open)" = 1 ] || fail "expected one open call before SIG$sig"
  kill -$sig $pid
  wait $pid; status=$?
  kill $writer 2>/dev/null; wait $writer 2>/dev/null
  [ $status = 0 ] || { cat "$T/err"; fail "SIG$sig: exit $status, expected 0"; }
  [ "$(wc -l < "$T/calls.json")" = 1 ] || fail "SIG$sig: the open call was not exported"
  grep -q '"SIP_CALL_STATE":"CALL_IN_PROGRESS"' "$T/calls.json" || fail "SIG$sig: exported call not in progress"
  [ "$(json_get "$T/stats.json" sip.calls.exports.flush)" = 1 ] || fail "SIG$sig: final counters missing the flush"
done
echo "signals: SIGUSR1 writes counters; SIGTERM and SIGINT flush the open call and exit 0"
