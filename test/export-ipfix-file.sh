#!/bin/sh
# export-ipfix-file: `-n file:` judged by tshark, ipfix2csv and ipfixDump.
# export_gen writes hand-made records (test/export_gen.c); the judge
# (test/export_judge.py) holds the same values, typed independently, and
# compares every field of every record with what the decoders show.
. "$top_srcdir/test/lib.sh"
need tshark
need python3
need ipfixDump
[ -x /usr/bin/ipfix2csv ] && [ -x /usr/bin/python3 ] || skip "ipfix2csv (python3-ipfix) is not installed"
GEN="$SF_VG $top_builddir/test/export_gen"
JUDGE="python3 $top_srcdir/test/export_judge.py"
ELEMENTS=$top_builddir/test/export_elements

# 1. the four hand-made records: every field, IPv4 and IPv6 templates,
#    strings cut at their maximum (UTF-8 kept whole), 4-byte times
$GEN --set fixed -n "file:$T/fixed.ipfix" --stats "$T/fixed.stats" || fail "export_gen failed ($?)"
TZ=UTC tshark -r "$T/fixed.ipfix" -T json >"$T/fixed.json" 2>"$T/tshark.err" || fail "tshark cannot read the file: $(cat "$T/tshark.err")"
$JUDGE tshark "$T/fixed.json" fixed || fail "tshark disagrees with what was exported"

# 1b. file:- is standard output
$GEN --set fixed -n file:- >"$T/stdout.ipfix" || fail "export_gen -n file:- failed"
TZ=UTC tshark -r "$T/stdout.ipfix" -T json >"$T/stdout.json" 2>/dev/null || fail "tshark cannot read stdout.ipfix"
$JUDGE tshark "$T/stdout.json" fixed || fail "file:- wrong"

# 2. many records in several messages: sequence numbers and the observation domain
$GEN --set gen --count 2000 --step 0.01 --domain 7 -n "file:$T/gen.ipfix" || fail "export_gen failed"
TZ=UTC tshark -r "$T/gen.ipfix" -T json >"$T/gen.json" 2>/dev/null || fail "tshark cannot read gen.ipfix"
msgs=$(grep -c '"cflow.version"' "$T/gen.json")
[ "$msgs" -ge 4 ] || fail "2000 records should need several messages, got $msgs"
$JUDGE tshark "$T/gen.json" gen:2000:1700000000:0.01 --domain 7 || fail "sequence numbers / records wrong"

# 3. -T: the user's order; @SIP@ as nProbe expands it (../shared/interop/README.md);
#    without flow addresses IPv4 and IPv6 records share one template
$GEN --set fixed -T "%SIP_CALL_STATE %IPV6_DST_ADDR %L4_SRC_PORT %IPV4_SRC_ADDR %SIP_INVITE_TIME" \
  -n "file:$T/t1.ipfix" || fail "export_gen -T failed"
TZ=UTC tshark -r "$T/t1.ipfix" -T json >"$T/t1.json" 2>/dev/null || fail "tshark cannot read t1.ipfix"
$JUDGE tshark "$T/t1.json" fixed --template "SIP_CALL_STATE IPV6_DST_ADDR L4_SRC_PORT IPV4_SRC_ADDR SIP_INVITE_TIME" ||
  fail "-T order not kept"
SIP_MACRO="SIP_CALL_ID SIP_UAC SIP_UAS SIP_CALLING_PARTY SIP_CALLED_PARTY SIP_RTP_IPV4_SRC_ADDR SIP_RTP_L4_SRC_PORT
 SIP_RTP_IPV4_DST_ADDR SIP_RTP_L4_DST_PORT SIP_RESPONSE_CODE SIP_REASON_CAUSE SIP_CALL_STATE SIP_RTP_CODECS"
$GEN --set fixed -T "@SIP@" -n "file:$T/t2.ipfix" || fail "export_gen -T @SIP@ failed"
TZ=UTC tshark -r "$T/t2.ipfix" -T json >"$T/t2.json" 2>/dev/null || fail "tshark cannot read t2.ipfix"
$JUDGE tshark "$T/t2.json" fixed --template "$SIP_MACRO" || fail "@SIP@ wrong"

# 4. ipfix2csv (python3-ipfix), with an iespec made from OUR element table:
#    decodes UTF-8 and the elements tshark does not name (SIP_UAC, SIP_UAS)
$ELEMENTS iespec >"$T/sipflow.iespec"
/usr/bin/python3 /usr/bin/ipfix2csv -s "$T/sipflow.iespec" -f "$T/fixed.ipfix" \
    flowStartMilliseconds flowEndMilliseconds packetDeltaCount octetDeltaCount sourceTransportPort \
    destinationTransportPort protocolIdentifier SIP_CALL_ID SIP_CALLING_PARTY SIP_CALLED_PARTY SIP_RTP_CODECS \
    SIP_INVITE_TIME SIP_TRYING_TIME SIP_RINGING_TIME SIP_INVITE_OK_TIME SIP_INVITE_FAILURE_TIME SIP_BYE_TIME \
    SIP_BYE_OK_TIME SIP_CANCEL_TIME SIP_CANCEL_OK_TIME SIP_RTP_IPV4_SRC_ADDR SIP_RTP_L4_SRC_PORT \
    SIP_RTP_IPV4_DST_ADDR SIP_RTP_L4_DST_PORT SIP_RESPONSE_CODE SIP_REASON_CAUSE SIP_UAC SIP_UAS SIP_C_IP \
    SIP_CALL_STATE >"$T/fixed.csv" || fail "ipfix2csv failed"
$JUDGE csv "$T/fixed.csv" fixed || fail "ipfix2csv disagrees with what was exported"

# 5. ipfixDump -e with an element file generated from our table: the first
#    data record shows all 23 SIP fields, under ntop's PEN and ids
#    (../shared/interop/elements.tsv)
$ELEMENTS xml >"$T/sipflow.xml"
ipfixDump -i "$T/fixed.ipfix" -e "$T/sipflow.xml" -d >"$T/dump.txt" 2>&1 || fail "ipfixDump failed"
sed -n '/--- data record 1 ---/,/--- data record 2 ---/p' "$T/dump.txt" >"$T/rec1.txt"
n=0
for f in 130:SIP_CALL_ID 131:SIP_CALLING_PARTY 132:SIP_CALLED_PARTY 133:SIP_RTP_CODECS \
         134:SIP_INVITE_TIME 135:SIP_TRYING_TIME 136:SIP_RINGING_TIME 137:SIP_INVITE_OK_TIME \
         138:SIP_INVITE_FAILURE_TIME 139:SIP_BYE_TIME 140:SIP_BYE_OK_TIME 141:SIP_CANCEL_TIME \
         142:SIP_CANCEL_OK_TIME 143:SIP_RTP_IPV4_SRC_ADDR 144:SIP_RTP_L4_SRC_PORT 145:SIP_RTP_IPV4_DST_ADDR \
         146:SIP_RTP_L4_DST_PORT 147:SIP_RESPONSE_CODE 148:SIP_REASON_CAUSE 316:SIP_UAC 317:SIP_UAS \
         362:SIP_C_IP 363:SIP_CALL_STATE; do
  grep -Eq "\(35632/${f%%:*}\) +${f#*:} : " "$T/rec1.txt" || fail "ipfixDump does not show ${f#*:} (35632/${f%%:*})"
  n=$((n + 1))
done
[ "$n" = 23 ] || fail "checked $n SIP fields, not 23"
grep -q 'SIP_UAS : (len: 20) Asterisk PBX 18.10.0' "$T/rec1.txt" || fail "ipfixDump: wrong SIP_UAS"

# 6. destinations: a malformed one is a usage error (2), an unwritable file
#    an output error (5)
for bad in "bogus" "udp://host" "tcp://::1:4739" "tcp://[::1]:0" "tcp://h:99999" "sctp://h:1" "file:"; do
  $GEN --set fixed -n "$bad" 2>"$T/err"
  st=$?
  [ "$st" = 2 ] || fail "-n '$bad' should be a usage error (2), got $st: $(cat "$T/err")"
done
$GEN --set fixed -n "file:$T/no/such/dir/x.ipfix" 2>"$T/err"
st=$?
[ "$st" = 5 ] || fail "an unwritable file should be an output error (5), got $st"
grep -q "No such file" "$T/err" || fail "the error should say why: $(cat "$T/err")"
echo "ok: file export judged by tshark, ipfix2csv and ipfixDump"
