#!/bin/sh
# The errors a user must get right: one clear line naming the cause and a
# documented exit status (sipflow(8), EXIT STATUS); several -r in order;
# -r - for stdin; --stats keys.
. "$top_srcdir/test/lib.sh"
S=$top_srcdir/samples/packetbeat-sip.pcap

# run EXPECTED_STATUS PATTERN ARGS...: the status and one stderr line matching PATTERN
run() {
  want=$1; pat=$2; shift 2
  $SIPFLOW_RUN "$@" > "$T/out" 2> "$T/err"; got=$?
  [ "$got" = "$want" ] || { cat "$T/err"; fail "sipflow $*: exit $got, expected $want"; }
  if [ -n "$pat" ]; then grep -q -- "$pat" "$T/err" || { cat "$T/err"; fail "sipflow $*: no '$pat' on stderr"; }; fi
}

run 3 "No such file or directory" -r "$T/missing.pcap"
printf 'this is not a capture\n' > "$T/text"
run 3 "unknown file format" -r "$T/text"
run 2 "can't parse filter expression" -r "$S" -f 'udp porrt 5060'
run 2 "Unknown option --bogus" --bogus
run 2 "'abc' is not a whole number" --max-calls abc -r "$S"
run 2 "out of range" --max-calls 0 -r "$S"
run 2 "did you mean %SIP_CALL_ID" -T '%SIP_CALLID' -r "$S"
run 2 "nothing to read" --stats -
run 2 "unexpected argument" "$S"
run 4 "no such interface" -i sipflow-no-such-if0
run 0 "" --version
grep -q '^sipflow ' "$T/out" || fail "--version prints no version"

# a capture cut off inside its last packet: read up to the cut, warn, exit 0
size=$(wc -c < "$S")
head -c $((size - 100)) "$S" > "$T/cut.pcap"
run 0 "cut off in the middle of a packet" -r "$T/cut.pcap" --stats "$T/cut.json"
[ "$(json_get "$T/cut.json" capture.packets)" = 11 ] || fail "cut capture: expected the 11 whole packets"
[ "$(json_get "$T/cut.json" capture.truncated_files)" = 1 ] || fail "cut capture not counted"

# several -r in order, and - for stdin: packet counts add up
run 0 "" -r "$S" -r - -r "$S" --stats "$T/three.json" < "$S"
[ "$(json_get "$T/three.json" capture.packets)" = 36 ] || fail "-r S -r - -r S: expected 3 x 12 packets"
[ "$(json_get "$T/three.json" capture.sources)" = 3 ] || fail "expected 3 sources"

# -f applies to files too: the packets read are those tcpdump's filter keeps
# (tcpdump -nr FILE 'udp port 5060' | wc -l: 102; 'tcp': 57), and the 81 SIP
# messages, all on UDP port 5060 (tshark), are still seen
M=$TESTDATA/suricata-verify/sip-method/sip.pcap
for fp in 'udp port 5060:102:81' 'tcp:57:0'; do
  flt=${fp%%:*}; exp=${fp#*:}
  if command -v tcpdump >/dev/null 2>&1; then
    n=$(tcpdump -nr "$M" "$flt" 2>/dev/null | wc -l)
    [ "$n" = "${exp%%:*}" ] || fail "tcpdump now keeps $n packets with '$flt', the test says ${exp%%:*}"
  fi
  run 0 "" -r "$M" -f "$flt" --stats "$T/f.json"
  got="$(json_get "$T/f.json" capture.packets):$(json_get "$T/f.json" sip.messages)"
  [ "$got" = "$exp" ] || fail "-f '$flt': packets:messages $got, expected $exp"
done

# --stats - goes to stderr as one JSON object with the documented groups
$SIPFLOW_RUN -r "$S" --stats - 2> "$T/stats.json" >/dev/null || fail "--stats - failed"
for k in capture.packets decode.udp drops.not_ip sip.messages sip.calls.created dispatch.records; do
  json_get "$T/stats.json" "$k" >/dev/null || fail "--stats lacks $k"
done

# --list-fields: the 23 SIP elements as ntop defines them (PEN, id, type
# and fixed lengths from test/data/interop/ntop_sip.iespec, a copy of
# ../shared/interop, not of our table), the flow elements with their IANA
# ids typed from the IANA IPFIX registry, a description on every line
run 0 "" --list-fields
python3 - "$T/out" "$TESTDATA/interop/ntop_sip.iespec" <<'EOF' || fail "--list-fields disagrees with ntop's and IANA's elements"
import re, sys
rows = {}
for line in open(sys.argv[1]).read().splitlines()[1:]:
    if line.startswith("%"):
        name, pen, eid, typ, ln, descr = re.match(r"%(\S+) +(\d+) +(\d+) +(\S+) +(\d+) +(.*)$", line).groups()
        assert descr.strip(), line
        rows[name] = (int(pen), int(eid), typ, int(ln))
sip = {k: v for k, v in rows.items() if k.startswith("SIP_")}
want = {}
for line in open(sys.argv[2]):
    name, pen, eid, typ, ln = re.match(r"(\w+)\((\d+)/(\d+)\)<(\w+)>\[(\d+)\]", line).groups()
    want[name] = (int(pen), int(eid), typ, None if typ == "string" else int(ln))
assert len(want) == 23 and set(sip) == set(want), (sorted(sip), sorted(want))
for k, (pen, eid, typ, ln) in want.items():
    assert sip[k][:3] == (pen, eid, typ) and ln in (None, sip[k][3]), (k, sip[k], want[k])
iana = dict(IPV4_SRC_ADDR=8, IPV4_DST_ADDR=12, IPV6_SRC_ADDR=27, IPV6_DST_ADDR=28, L4_SRC_PORT=7,
            L4_DST_PORT=11, PROTOCOL=4, FLOW_START_MILLISECONDS=152, FLOW_END_MILLISECONDS=153, IN_PKTS=2,
            IN_BYTES=1)
for k, eid in iana.items():
    assert rows[k][:2] == (0, eid), (k, rows[k])
assert len(rows) == 23 + len(iana), sorted(rows)
EOF
# with -T: that template's fields in its order; @SIP@ as nProbe expands it
run 0 "" --list-fields -T '%L4_DST_PORT @SIP@ %IN_PKTS'
sed -n 's/^%\([A-Z0-9_]*\) .*/\1/p' "$T/out" | tr '\n' ' ' >"$T/names"
[ "$(cat "$T/names")" = "L4_DST_PORT SIP_CALL_ID SIP_UAC SIP_UAS SIP_CALLING_PARTY SIP_CALLED_PARTY \
SIP_RTP_IPV4_SRC_ADDR SIP_RTP_L4_SRC_PORT SIP_RTP_IPV4_DST_ADDR SIP_RTP_L4_DST_PORT SIP_RESPONSE_CODE \
SIP_REASON_CAUSE SIP_CALL_STATE SIP_RTP_CODECS IN_PKTS " ] || fail "--list-fields -T lists: $(cat "$T/names")"
run 2 "did you mean %SIP_CALL_ID" --list-fields -T '%SIP_CALLID'

# --json on a full disk: the failure is reported once and counted, the run goes on
if [ -w /dev/full ]; then
  run 0 "--json /dev/full: write failed" -r "$S" --json /dev/full --stats "$T/full.json"
  [ "$(grep -c -- '--json /dev/full' "$T/err")" = 1 ] || { cat "$T/err"; fail "--json errors not reported once"; }
  [ "$(json_get "$T/full.json" outputs.0.write_errors)" -ge 1 ] || fail "--json write errors not counted"
fi

# --json lines are flushed each second of capture time: with the capture
# still open (a FIFO), the first call (answered and hung up in its first
# 9 s) must be in the file while its last packet is held back
mkfifo "$T/fifo"
$SIPFLOW_RUN -q -r - --json "$T/live.json" <"$T/fifo" 2>"$T/err" &
sf=$!
python3 - "$S" "$T/fifo" "$T/live.json" <<'EOF' || { kill "$sf"; fail "--json holds records back while the capture goes on"; }
import os, struct, sys, time
data = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off < len(data):
    n = struct.unpack("<I", data[off + 8:off + 12])[0]
    recs.append(data[off:off + 16 + n])
    off += 16 + n
with open(sys.argv[2], "wb") as fifo:
    fifo.write(data[:24] + b"".join(recs[:-1]))
    fifo.flush()
    for _ in range(100):
        if os.path.exists(sys.argv[3]) and open(sys.argv[3]).read().count("\n") == 1:
            break
        time.sleep(0.1)
    lines = open(sys.argv[3]).read().count("\n")
    fifo.write(recs[-1])
sys.exit(0 if lines == 1 else 1)
EOF
wait "$sf" || fail "sipflow -r FIFO failed: $(cat "$T/err")"
[ "$(wc -l <"$T/live.json")" = 2 ] || fail "--json from a FIFO: expected both calls"

# permission: an unprivileged user cannot capture
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$SIPFLOW" -i lo > "$T/out" 2> "$T/err"; got=$?
  [ "$got" = 4 ] || { cat "$T/err"; fail "capture as nobody: exit $got, expected 4"; }
  grep -q "no permission" "$T/err" || { cat "$T/err"; fail "capture as nobody: no 'no permission'"; }
  # -u drops root (here after opening a file) and the run still works
  run 0 "" -u nobody -r "$S" --stats -
  grep -q '"sip":' "$T/err" || fail "-u nobody: no counters"
  # an interface that is down
  if ip link add sfdown0 type dummy 2>/dev/null || ip link add sfdown0 type veth peer name sfdown1 2>/dev/null; then
    "$SIPFLOW" -i sfdown0 > "$T/out" 2> "$T/err"; got=$?
    ip link del sfdown0
    [ "$got" = 4 ] || { cat "$T/err"; fail "down interface: exit $got, expected 4"; }
    grep -q "down" "$T/err" || { cat "$T/err"; fail "down interface: no 'down'"; }
  else
    echo "note: cannot create a dummy interface here; the interface-down case is not checked"
  fi
else
  echo "note: not root: permission and interface-down cases not checked"
fi
echo "cli: all error cases give the documented status and message"
