#!/bin/sh
# interop-live: sipp calls on loopback, captured live by `sipflow -i lo`,
# judged by real collectors and by tshark's dissection of the same traffic.
#
# - sipp pairs (test/data/sipp/), each with its own ports, over UDP and TCP
#   (-t t1): an answered call hung up with a Q.850 cause, a 486 and a
#   CANCEL (100 180 CANCEL 200 487 ACK), and one answered call that is still
#   talking when sipflow is stopped with SIGTERM.
# - tcpdump captures the same traffic with the same filter; test/calls_ref.py
#   computes the expected records from tshark's dissection of it.
# - sipflow sends every record at once to a real nfacctd (pmacct) over UDP
#   (test/data/interop/nfacctd.conf), to ipfix2csv -c tcp (python3-ipfix)
#   over TCP, to a file (tshark and ipfixDump -e) and as JSON lines.  Each is
#   compared field by field with the reference (test/calls_judge.py); both
#   collectors name the SIP elements with ntop's ids (test/data/interop/,
#   made from ../shared/interop/elements.tsv, not from our element table).
# - The call still open at SIGTERM must be exported with its current state
#   (CALL_IN_PROGRESS, no BYE) as a flush.
#
# sipflow runs under valgrind ($SIPFLOW_RUN): at a few dozen packets a second
# on loopback the capture keeps up (a kernel drop, capture.kernel_dropped,
# is reported before the comparisons).  Needs root for the live captures.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/export-net.sh"
# nfacctd forks its plugin: the trap ends that child too (by its pid), then every peer
trap 'for c in $(ps -o pid= --ppid "${NF_PID:-1}" 2>/dev/null); do kill -KILL "$c" 2>/dev/null; done
for p in $PEERS; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
need_root
need sipp
need tcpdump
need tshark
need nfacctd
need ipfixDump
need ss
need python3
[ -x /usr/bin/ipfix2csv ] && [ -x /usr/bin/python3 ] || skip "ipfix2csv (python3-ipfix) is not installed"
DATA=$top_srcdir/test/data
REF="python3 $top_srcdir/test/calls_ref.py"
JUDGE="python3 $top_srcdir/test/calls_judge.py"
# short timers, the same for sipflow and the reference: every finished call
# is exported well before the SIGTERM, whatever its kind
TIMERS="--sip-bye-timeout 1 --sip-fail-grace 1"

# ports NAME...: a free UDP+TCP port on 127.0.0.1 for each NAME (PORT_NAME),
# and for each a media base (MP_NAME) with the 4 ports sipp uses from it free
ports() {
  eval "$(python3 - "$@" <<'EOF'
import socket, sys
held, out = [], []
def grab(n):
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        base = s.getsockname()[1]
        socks = [s]
        try:
            for i in range(n):
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    if i == 0 and kind == socket.SOCK_DGRAM:
                        continue
                    t = socket.socket(socket.AF_INET, kind)
                    t.bind(("127.0.0.1", base + i))
                    socks.append(t)
        except OSError:
            for t in socks:
                t.close()
            continue
        held.extend(socks)
        return base
for name in sys.argv[1:]:
    out.append("PORT_%s=%d MP_%s=%d" % (name, grab(1), name, grab(4)))
print(" ".join(out))
EOF
)"
}

FLOWS="ok_udp busy_udp cancel_udp ok_tcp busy_tcp cancel_tcp open_udp"
names=""
for f in $FLOWS; do names="$names uas_$f uac_$f"; done
# shellcheck disable=SC2086
ports $names NF CSV
FILTER=""
for n in $names; do
  eval "p=\$PORT_$n"
  FILTER="$FILTER${FILTER:+ or }port $p"
done

# ---- the collectors
mkdir -p "$T/nf"
sed -e "s|@DIR@|$T/nf|g" -e "s|@PORT@|$PORT_NF|g" -e "s|@PRIMITIVES@|$DATA/interop/primitives.lst|g" \
  "$DATA/interop/nfacctd.conf" >"$T/nf/nfacctd.conf"
: >"$T/nf/nfacctd.json"
nfacctd -f "$T/nf/nfacctd.conf" >"$T/nf/out" 2>&1 &
NF_PID=$!
PEERS="$PEERS $NF_PID"
COLS="sourceIPv4Address destinationIPv4Address sourceTransportPort destinationTransportPort protocolIdentifier
 flowStartMilliseconds flowEndMilliseconds packetDeltaCount octetDeltaCount SIP_CALL_ID SIP_CALLING_PARTY
 SIP_CALLED_PARTY SIP_RTP_CODECS SIP_INVITE_TIME SIP_TRYING_TIME SIP_RINGING_TIME SIP_INVITE_OK_TIME
 SIP_INVITE_FAILURE_TIME SIP_BYE_TIME SIP_BYE_OK_TIME SIP_CANCEL_TIME SIP_CANCEL_OK_TIME SIP_RTP_IPV4_SRC_ADDR
 SIP_RTP_L4_SRC_PORT SIP_RTP_IPV4_DST_ADDR SIP_RTP_L4_DST_PORT SIP_RESPONSE_CODE SIP_REASON_CAUSE SIP_UAC SIP_UAS
 SIP_C_IP SIP_CALL_STATE"
# shellcheck disable=SC2086
/usr/bin/python3 -u /usr/bin/ipfix2csv -s "$DATA/interop/ntop_sip.iespec" -c tcp -b 127.0.0.1 -p "$PORT_CSV" \
  $COLS >"$T/csv.out" 2>"$T/csv.err" &
CSV_PID=$!
PEERS="$PEERS $CSV_PID"
wait_port udp "$PORT_NF" || fail "nfacctd did not start: $(tail -5 "$T/nf/out" "$T/nf/nfacctd.log" 2>/dev/null)"
wait_port tcp "$PORT_CSV" || fail "ipfix2csv did not start: $(cat "$T/csv.err")"

# ---- the two captures of the same traffic
# wait_line FILE TEXT: wait (20 s at most: valgrind on a loaded machine) for TEXT in FILE
wait_line() {
  _i=0
  while ! grep -q "$2" "$1" 2>/dev/null && [ $_i -lt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
  grep -q "$2" "$1" 2>/dev/null
}
# Without a socket that asks for receive timestamps, each packet socket
# stamps a packet itself when it gets it: tcpdump's and sipflow's times of
# the same packet then differ, by microseconds, by milliseconds on a loaded
# machine.  A socket holding SO_TIMESTAMPNS (35) makes the kernel stamp every
# packet once on receipt, so both captures carry the very same times.
/usr/bin/python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 35, 1)
time.sleep(600)' &
PEERS="$PEERS $!"
tcpdump -i lo -U -n -w "$T/lo.pcap" "$FILTER" 2>"$T/tcpdump.err" &
TD_PID=$!
PEERS="$PEERS $TD_PID"
# shellcheck disable=SC2086
$SIPFLOW_RUN -v -i lo -f "$FILTER" --immediate $TIMERS -n "udp://127.0.0.1:$PORT_NF" -n "tcp://127.0.0.1:$PORT_CSV" \
  -n "file:$T/live.ipfix" --json "$T/live.json" --stats "$T/live.stats" 2>"$T/sipflow.err" &
SF_PID=$!
PEERS="$PEERS $SF_PID"
wait_line "$T/tcpdump.err" "listening on lo" || fail "tcpdump did not start: $(cat "$T/tcpdump.err")"
wait_line "$T/sipflow.err" "capturing on lo" || fail "sipflow did not start: $(cat "$T/sipflow.err")"

# ---- the calls: every callee first, then the callers at once
mkdir -p "$T/sipp"
for f in $FLOWS; do
  kind=${f%_*}
  proto=${f#*_}
  t=""
  [ "$proto" = tcp ] && t="-t t1"
  eval "p=\$PORT_uas_$f mp=\$MP_uas_$f"
  uas="uas-$kind.xml"
  [ "$kind" = open ] && uas="uas-ok.xml"
  # shellcheck disable=SC2086
  (cd "$T/sipp" && exec sipp -sf "$DATA/sipp/$uas" -i 127.0.0.1 -p "$p" -mp "$mp" $t -nostdin \
    >"$T/sipp/uas_$f.out" 2>&1) &
  eval "UAS_PID_$f=\$!"
  PEERS="$PEERS $!"
done
for f in $FLOWS; do
  proto=${f#*_}
  eval "p=\$PORT_uas_$f"
  wait_port "$proto" "$p" || fail "sipp (uas $f) did not start: $(tail -5 "$T/sipp/uas_$f.out")"
done
calls=2
for f in $FLOWS; do
  kind=${f%_*}
  proto=${f#*_}
  t=""
  [ "$proto" = tcp ] && t="-t t1"
  n=$calls
  [ "$kind" = open ] && n=1
  eval "p=\$PORT_uac_$f mp=\$MP_uac_$f dst=\$PORT_uas_$f"
  # shellcheck disable=SC2086
  (cd "$T/sipp" && exec sipp -sf "$DATA/sipp/uac-$kind.xml" -i 127.0.0.1 -p "$p" -mp "$mp" $t -s "$kind-$proto" \
    -m "$n" -r 2 -timeout 30 -nostdin "127.0.0.1:$dst" >"$T/sipp/uac_$f.out" 2>&1) &
  eval "UAC_PID_$f=\$!"
  PEERS="$PEERS $!"
done
for f in $FLOWS; do
  [ "$f" = open_udp ] && continue
  eval "pid=\$UAC_PID_$f"
  wait "$pid" || fail "sipp (uac $f) failed: $(tail -20 "$T/sipp/uac_$f.out")"
done
# every finished call's timers (1 s) expire on sipflow's idle clock; the open
# call was answered long ago (1.5 s after its INVITE, its caller started first)
sleep 3

# ---- stop: sipflow (SIGTERM flushes the open call), then the capture
end=$(date +%s.%N)
kill -TERM "$SF_PID"
wait "$SF_PID"
st=$?
[ "$st" = 0 ] || fail "sipflow exited with $st: $(tail -20 "$T/sipflow.err")"
stop "$TD_PID" INT
for f in $FLOWS; do
  eval "stop \$UAC_PID_$f; stop \$UAS_PID_$f"
done
# a drop would show as a difference below; say why beforehand
dropped=$(json_get "$T/live.stats" capture.kernel_dropped)
[ "$dropped" = 0 ] || echo "note: the kernel dropped $dropped packets for sipflow (capture.kernel_dropped)" >&2

# ---- the reference: tshark's dissection of tcpdump's capture of the same traffic
decode=""
for f in $FLOWS; do
  proto=${f#*_}
  eval "decode=\"\$decode -d $proto.port==\$PORT_uas_$f,sip -d $proto.port==\$PORT_uac_$f,sip\""
done
# shellcheck disable=SC2086
$REF $decode $TIMERS --end-time "$end" "$T/lo.pcap" >"$T/ref.jsonl" || fail "calls_ref.py failed"
# what the sipp scenarios make, typed here: 2 calls per flow and transport, 1 open
python3 - "$T/ref.jsonl" "$calls" <<'EOF' || fail "tshark does not see the calls the sipp scenarios make"
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
got = collections.Counter((r["SIP_CALLING_PARTY"], r["PROTOCOL"], r["SIP_CALL_STATE"], r["SIP_RESPONSE_CODE"],
                           r["SIP_REASON_CAUSE"], r["_reason"]) for r in recs)
want = collections.Counter()
for proto in (17, 6):
    want[("caller-ok", proto, "CALL_COMPLETED", 200, 16, "bye_ok")] = n
    want[("caller-busy", proto, "CALL_ERROR", 486, 17, "failure")] = n
    want[("caller-cancel", proto, "CALL_CANCELED", 487, 31, "cancel")] = n
want[("caller-open", 17, "CALL_IN_PROGRESS", 200, 0, "flush")] = 1
if got != want:
    print("calls seen by tshark:", dict(got))
    print("calls the scenarios make:", dict(want))
    sys.exit(1)
EOF

# ---- every output against it
$JUDGE --label "file (tshark)" --stats "$T/live.stats" "$T/ref.jsonl" "ipfix:$T/live.ipfix" ||
  fail "the IPFIX file differs from tshark's records"
$JUDGE --label "json lines" "$T/ref.jsonl" "json:$T/live.json" || fail "--json differs from tshark's records"
nrec=$(wc -l <"$T/ref.jsonl")
i=0
while [ "$(wc -l <"$T/csv.out")" -le "$nrec" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
stop "$CSV_PID"
$JUDGE --label "ipfix2csv (TCP)" "$T/ref.jsonl" "csv:$T/csv.out" || fail "ipfix2csv (TCP) differs from tshark's records"
sleep 1.5            # print_refresh_time 1: the last records reach the JSON file
stop "$NF_PID" INT
$JUDGE --label "nfacctd (UDP)" "$T/ref.jsonl" "nfacctd:$T/nf/nfacctd.json" ||
  fail "nfacctd (UDP) differs from tshark's records"

# ---- the call open at SIGTERM: flushed with its state
grep '"SIP_CALLING_PARTY":"caller-open"' "$T/live.json" >"$T/open.json" || fail "the open call was not exported"
grep -q '"SIP_CALL_STATE":"CALL_IN_PROGRESS"' "$T/open.json" || fail "open call: $(cat "$T/open.json")"
grep -q '"SIP_BYE_TIME":0,' "$T/open.json" || fail "open call has a BYE: $(cat "$T/open.json")"
[ "$(json_get "$T/live.stats" sip.calls.exports.flush)" = 1 ] || fail "the SIGTERM flush exported not exactly one call"

# ---- ipfixDump -e (our element table) names all 23 SIP fields
"$top_builddir/test/export_elements" xml >"$T/sipflow.xml"
ipfixDump -i "$T/live.ipfix" -e "$T/sipflow.xml" >"$T/dump.txt" 2>&1 || fail "ipfixDump failed: $(tail -3 "$T/dump.txt")"
sed -n '/--- data record 1 ---/,/--- data record 2 ---/p' "$T/dump.txt" >"$T/rec1.txt"
n=0
for f in 130:SIP_CALL_ID 131:SIP_CALLING_PARTY 132:SIP_CALLED_PARTY 133:SIP_RTP_CODECS 134:SIP_INVITE_TIME \
         135:SIP_TRYING_TIME 136:SIP_RINGING_TIME 137:SIP_INVITE_OK_TIME 138:SIP_INVITE_FAILURE_TIME \
         139:SIP_BYE_TIME 140:SIP_BYE_OK_TIME 141:SIP_CANCEL_TIME 142:SIP_CANCEL_OK_TIME 143:SIP_RTP_IPV4_SRC_ADDR \
         144:SIP_RTP_L4_SRC_PORT 145:SIP_RTP_IPV4_DST_ADDR 146:SIP_RTP_L4_DST_PORT 147:SIP_RESPONSE_CODE \
         148:SIP_REASON_CAUSE 316:SIP_UAC 317:SIP_UAS 362:SIP_C_IP 363:SIP_CALL_STATE; do
  grep -Eq "\(35632/${f%%:*}\) +${f#*:} : " "$T/rec1.txt" || fail "ipfixDump does not show ${f#*:} (35632/${f%%:*})"
  n=$((n + 1))
done
[ "$n" = 23 ] || fail "checked $n SIP fields, not 23"
[ "$(grep -c -- '--- data record' "$T/dump.txt")" = "$nrec" ] || fail "ipfixDump shows another number of records"
echo "ok: $nrec live calls: file, JSON, nfacctd (UDP) and ipfix2csv (TCP) equal tshark's records"
