#!/bin/sh
# Round trip: a sipp call on loopback, captured live by sipflow -i lo,
# gives the events INVITE, 100, 180, 200, ACK, BYE, 200 in this order.
# sipp's built-in uac calls test/data/events/uas-ringing.xml (the built-in
# uas sends no 100 and no 180).  Ports are chosen at run time; every process
# is stopped by its PID.  Needs root for the capture.
. "$top_srcdir/test/lib.sh"
need sipp
need python3
need_root
SCEN=$top_srcdir/test/data/events/uas-ringing.xml

PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do
    i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$p" 2>/dev/null
  done
  rm -rf "$T"
}
trap cleanup EXIT

# two SIP ports and two media bases (each with 4 ports free), UDP on 127.0.0.1
set -- $(python3 - <<'EOF'
import socket
def free(n):
    socks = []
    while True:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        extra, ok = [], p + n < 65536
        for q in range(p + 1, p + n):
            try:
                t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                t.bind(("127.0.0.1", q))
                extra.append(t)
            except OSError:
                ok = False
        socks += [s] + extra
        if ok and p not in used:
            used.extend(range(p, p + n))
            return p
used = []
print(free(1), free(1), free(4), free(4))
EOF
)
P_UAS=$1 P_UAC=$2 M_UAS=$3 M_UAC=$4

$SIPFLOW_RUN -v -i lo -f "udp port $P_UAS or udp port $P_UAC" --events "$T/events.jsonl" --events-original \
  --stats "$T/stats.json" 2>"$T/sipflow.err" &
SF=$!
PIDS="$PIDS $SF"
n=0
while ! grep -q "capturing on lo" "$T/sipflow.err" && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "capturing on lo" "$T/sipflow.err" || { cat "$T/sipflow.err"; fail "sipflow did not start capturing"; }

mkdir -p "$T/uas" "$T/uac"
(cd "$T/uas" && exec sipp -sf "$SCEN" -i 127.0.0.1 -p "$P_UAS" -mp "$M_UAS" -m 1 -nostdin \
  -timeout 30s -timeout_error >sipp.out 2>sipp.err) &
UAS=$!
PIDS="$PIDS $UAS"
n=0
while ! ss -ulnH "sport = :$P_UAS" 2>/dev/null | grep -q . && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
(cd "$T/uac" && exec sipp -sn uac 127.0.0.1:"$P_UAS" -i 127.0.0.1 -p "$P_UAC" -mp "$M_UAC" -m 1 -nostdin \
  -timeout 30s -timeout_error >sipp.out 2>sipp.err)
st=$?
[ $st = 0 ] || { tail -5 "$T/uac/sipp.err"; fail "sipp uac: status $st"; }
wait $UAS
st=$?
[ $st = 0 ] || { tail -5 "$T/uas/sipp.err"; fail "sipp uas: status $st"; }

# wait until sipflow has seen the 7 messages (SIGUSR1 writes the counters)
n=0
while [ $n -lt 200 ]; do
  kill -USR1 $SF 2>/dev/null
  sleep 0.1
  if [ -s "$T/stats.json" ] && [ "$(json_get "$T/stats.json" sip.events.events 2>/dev/null)" -ge 7 ] 2>/dev/null; then
    break
  fi
  n=$((n + 1))
done
kill -TERM $SF
wait $SF
st=$?
[ $st = 0 ] || { cat "$T/sipflow.err"; fail "sipflow: exit $st after SIGTERM"; }

python3 - "$T/events.jsonl" "$P_UAC" "$P_UAS" <<'EOF' || fail "the events of the call are wrong"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
uac, uas = int(sys.argv[2]), int(sys.argv[3])
# a retransmission (RFC 3261 17.1.1.2, 17.2.1) repeats a message byte for byte
seen, calls = set(), []
for e in events:
    if e["event"]["original"] in seen:
        print("retransmission left out: %s" % e["event"]["original"].split("\r\n")[0])
        continue
    seen.add(e["event"]["original"])
    calls.append(e)
got = [e["sip"]["method"] if e["sip"]["type"] == "request" else str(e["sip"]["code"]) for e in calls]
want = ["INVITE", "100", "180", "200", "ACK", "BYE", "200"]
assert got == want, "events %s, expected %s" % (got, want)
# the direction of each message: the caller sends INVITE, ACK, BYE
for e, name in zip(calls, got):
    sender = uac if name in ("INVITE", "ACK", "BYE") else uas
    assert e["source"]["port"] == sender and e["client"] == e["source"], (name, e["source"])
    assert e["network"]["transport"] == "udp" and e["network"]["iana_number"] == "17"
actions = [e["event"]["action"] for e in calls]
assert actions == ["sip-invite"] * 4 + ["sip-ack", "sip-bye", "sip-bye"], actions
assert len({e["sip"]["call_id"] for e in calls}) == 1
assert len({e["network"]["community_id"] for e in calls}) == 1
assert [e["sip"]["timestamp"] for e in calls] == sorted(e["sip"]["timestamp"] for e in calls)
assert calls[3]["event"]["outcome"] == "success" and "outcome" not in calls[1]["event"]
print("round trip: %s" % ", ".join(got))
EOF
echo ok
