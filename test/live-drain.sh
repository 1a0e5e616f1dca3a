#!/bin/sh
# live-drain: SIGINT loses no packet the kernel already captured.
# sipflow -i lo is stopped (SIGSTOP) while a whole call is sent on loopback,
# so the 7 messages wait in the kernel buffer; then SIGINT and SIGCONT.  The
# stop must read them before exiting: the counters show 7 SIP messages and
# the call is exported, completed.  Without the drain, 0 messages are read.
. "$top_srcdir/test/lib.sh"
need_root
need python3
P=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

$SIPFLOW_RUN -v -i lo -f "udp port $P" --json "$T/calls.json" --stats "$T/stats.json" 2>"$T/err" &
SF=$!
n=0
while ! grep -q "capturing on lo" "$T/err" && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "capturing on lo" "$T/err" || { cat "$T/err"; kill $SF; fail "sipflow did not start capturing"; }
sleep 0.5
kill -STOP $SF

# one call, caller 127.0.0.1:$P+0 side; every message to port $P
python3 - "$P" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
cid = "drain-test-1@127.0.0.1"
sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
def msg(start, cseq, body=""):
    h = [start,
         "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-%s" % (port, cseq.replace(" ", "-")),
         "From: <sip:alice@127.0.0.1>;tag=a1", "To: <sip:bob@127.0.0.1>" + ("" if start.startswith("INVITE") else ";tag=b1"),
         "Call-ID: " + cid, "CSeq: " + cseq, "Max-Forwards: 70"]
    if body:
        h.append("Content-Type: application/sdp")
    h.append("Content-Length: %d" % len(body))
    return ("\r\n".join(h) + "\r\n\r\n" + body).encode()
msgs = [msg("INVITE sip:bob@127.0.0.1 SIP/2.0", "1 INVITE", sdp), msg("SIP/2.0 100 Trying", "1 INVITE"),
        msg("SIP/2.0 180 Ringing", "1 INVITE"), msg("SIP/2.0 200 OK", "1 INVITE", sdp.replace("40000", "40002")),
        msg("ACK sip:bob@127.0.0.1 SIP/2.0", "1 ACK"), msg("BYE sip:bob@127.0.0.1 SIP/2.0", "2 BYE"),
        msg("SIP/2.0 200 OK", "2 BYE")]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for m in msgs:
    s.sendto(m, ("127.0.0.1", port))
    time.sleep(0.01)
PY
sleep 0.5
kill -INT $SF
kill -CONT $SF
wait $SF; st=$?
[ $st = 0 ] || { cat "$T/err"; fail "sipflow exit status $st"; }
got=$(json_get "$T/stats.json" sip.messages)
[ "$got" = 7 ] || { cat "$T/err"; fail "SIGINT lost packets: $got of 7 SIP messages read"; }
python3 - "$T/calls.json" <<'PY' || fail "the call read at the stop was not exported as completed"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(recs) == 1, recs
r = recs[0]
assert r["SIP_CALL_ID"] == "drain-test-1@127.0.0.1", r
assert r["SIP_CALL_STATE"] == "CALL_COMPLETED", r
assert r["SIP_RESPONSE_CODE"] == 200, r
PY
grep "kernel buffer" "$T/err"
echo "live-drain: 7 messages waiting in the kernel buffer were read at SIGINT"
