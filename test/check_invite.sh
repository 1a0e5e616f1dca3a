#!/bin/sh
# check_invite.sh: an INVITE check never leaves a call behind.
# sipp plays the callee: answered (ACK and BYE expected, UDP and TCP),
# ringing until cancelled (CANCEL expected: --expect-code 180, and a
# timeout with only a provisional), busy (ACK of the 486 expected).  sipp
# ends with status 0 only when its scenario ran to the end, i.e. when it got
# the ACK/BYE/CANCEL; as root a capture on lo, read by tshark, must show
# every call closed: no 2xx to an INVITE without a BYE answered after it.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/check_lib.sh"
need sipp
SCEN=$top_srcdir/test/data/check

set -- $(free_ports 5)
P_ANS=$1 P_ANS_TCP=$2 P_RING=$3 P_RING2=$4 P_BUSY=$5

CAPTURE=""
if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null 2>&1 && command -v tshark >/dev/null 2>&1; then
  : >"$T/tcpdump.err"
  tcpdump -i lo -U -n -w "$T/invite.pcap" "port $P_ANS or port $P_ANS_TCP or port $P_RING or port $P_RING2 or port $P_BUSY" \
    2>"$T/tcpdump.err" &
  TCPDUMP=$!
  track $TCPDUMP
  i=0; while ! grep -q "listening on" "$T/tcpdump.err" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  CAPTURE=yes
fi

# sipp_uas NAME PORT ARGS...: one callee for one call, in $T/NAME
sipp_uas() {
  name=$1; port=$2; shift 2
  mkdir -p "$T/sipp-$name"
  (cd "$T/sipp-$name" && exec sipp -i 127.0.0.1 -p "$port" -m 1 -nostdin -timeout 30s -timeout_error "$@" \
    >sipp.out 2>sipp.err) &
  eval "SIPP_$name=\$!"
  track $!
}
sipp_ok() {
  eval "pid=\$SIPP_$1"
  wait "$pid"; st=$?
  [ $st = 0 ] || { cat "$T/sipp-$1/sipp.err" "$T/sipp-$1"/*_errors.log 2>/dev/null | tail -20 >&2;
                   fail "sipp ($1) did not finish its call (status $st): $2"; }
}

sipp_uas ans "$P_ANS" -sf "$SCEN/uas-answer.xml"
sipp_uas anstcp "$P_ANS_TCP" -sf "$SCEN/uas-answer.xml" -t t1
sipp_uas ring "$P_RING" -sf "$SCEN/uas-ring-cancel.xml"
sipp_uas ring2 "$P_RING2" -sf "$SCEN/uas-ring-cancel.xml"
sipp_uas busy "$P_BUSY" -sf "$SCEN/uas-busy.xml"
sleep 0.5

# answered: success, then ACK and BYE
run_check "$T/ans" -t 5s -m INVITE "sip:127.0.0.1:$P_ANS" "sip:service@127.0.0.1:$P_ANS_TCP;transport=tcp"
judge influx "$T/ans"
expect "$T/ans.norm" "sip:127.0.0.1:$P_ANS" tag.result=success tag.status_code=200 tag.method=INVITE
expect "$T/ans.norm" "sip:service@127.0.0.1:$P_ANS_TCP;transport=tcp" tag.result=success tag.transport=tcp
sipp_ok ans "no ACK and BYE after the 200 (UDP)"
sipp_ok anstcp "no ACK and BYE after the 200 (TCP)"

# ringing, and 180 is what we expect: success, then CANCEL
run_check "$T/ring" -t 5s -m INVITE --expect-code 180 "sip:127.0.0.1:$P_RING"
judge influx "$T/ring"
expect "$T/ring.norm" "sip:127.0.0.1:$P_RING" tag.result=success tag.status_code=180 tag.reason=Ringing
sipp_ok ring "no CANCEL after the 180"
# ringing until the timeout: timeout, then CANCEL
run_check "$T/ring2" -t 1s -m INVITE "sip:127.0.0.1:$P_RING2"
judge influx "$T/ring2"
expect "$T/ring2.norm" "sip:127.0.0.1:$P_RING2" tag.result=timeout
sipp_ok ring2 "no CANCEL after a timeout with a provisional answer"
# busy: error_response, and the 486 is ACKed
run_check "$T/busy" -t 5s -m INVITE "sip:127.0.0.1:$P_BUSY"
judge influx "$T/busy"
expect "$T/busy.norm" "sip:127.0.0.1:$P_BUSY" tag.result=error_response tag.status_code=486 "tag.reason=Busy Here"
sipp_ok busy "no ACK for the 486"

if [ -n "$CAPTURE" ]; then
  # let tcpdump write the last call (INVITE, 100, 486, ACK) before it stops:
  # on a loaded machine it may lag behind the kernel
  i=0
  while [ "$(tcpdump -r "$T/invite.pcap" -n "port $P_BUSY" 2>/dev/null | wc -l)" -lt 4 ] && [ $i -lt 100 ]; do
    sleep 0.1; i=$((i + 1))
  done
  sleep 0.2
  kill -INT $TCPDUMP; wait $TCPDUMP 2>/dev/null
  decode=""
  for p in $P_ANS $P_ANS_TCP $P_RING $P_RING2 $P_BUSY; do decode="$decode -d udp.port==$p,sip -d tcp.port==$p,sip"; done
  # shellcheck disable=SC2086
  tshark -r "$T/invite.pcap" $decode -Y sip -T fields -E separator='|' -e sip.Call-ID -e sip.Method \
    -e sip.Status-Code -e sip.CSeq.method >"$T/invite.tsv" 2>"$T/tshark.err" || fail "tshark cannot read the capture"
  $PY - "$T/invite.tsv" <<'PYEOF' || fail "the capture shows a call left open"
import collections, sys
calls = collections.OrderedDict()
for line in open(sys.argv[1]):
    cid, method, status, cseq_m = (line.rstrip("\n").split("|") + ["", "", "", ""])[:4]
    calls.setdefault(cid, []).append(method or "%s/%s" % (status, cseq_m))
bad = []
for cid, msgs in calls.items():
    print(cid[:12], " ".join(msgs))
    answered = any(m.startswith("2") and m.endswith("/INVITE") for m in msgs)
    bye_done = "BYE" in msgs and any(m.startswith("2") and m.endswith("/BYE") for m in msgs)
    if answered and not ("ACK" in msgs and bye_done):
        bad.append(cid)
    provisional = any(m[:1] == "1" and m.endswith("/INVITE") and not m.startswith("100") for m in msgs)
    final = [m for m in msgs if m[:1] in "3456" and m.endswith("/INVITE")]
    if final and "ACK" not in msgs:
        bad.append(cid)
    if provisional and not answered and not final:
        bad.append(cid)
    if provisional and not answered and "CANCEL" not in msgs and not final:
        bad.append(cid)
assert len(calls) == 5, "expected 5 calls in the capture, saw %d" % len(calls)
assert sum("CANCEL" in m for m in calls.values()) == 2, "expected 2 CANCELs"
assert sum("BYE" in m for m in calls.values()) == 2, "expected 2 BYEs"
assert not bad, bad
PYEOF
  echo "check_invite: the capture shows every call closed"
else
  echo "check_invite: sipp saw every call closed"
  skip "the capture on lo needs root, tcpdump and tshark (sipp checks passed)"
fi
