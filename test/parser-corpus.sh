#!/bin/sh
# Parsed values on real captures, against other tools' expectations:
# PcapPlusPlus's assertions (its .dat frames and .pcap files, incl. PPPoE and
# truncated frames), suricata-verify's SIP tests, and the sip.* values of
# every event in packetbeat's three golden files.  test/dissect_pcap runs
# under valgrind like every other test program.
. "$top_srcdir/test/lib.sh"
need python3
DP="$SF_VG $top_builddir/test/dissect_pcap"
ok=0
# shellcheck disable=SC2086
$DP "$TESTDATA"/pcapplusplus/*.dat "$TESTDATA"/pcapplusplus/*.pcap >"$T/ppp.jsonl" || fail "dissect_pcap pcapplusplus"
python3 "$top_srcdir/test/dissect_check.py" "$TESTDATA/pcapplusplus/EXPECTED-sipflow.tsv" "$T/ppp.jsonl" || ok=1
# shellcheck disable=SC2086
$DP "$TESTDATA"/suricata-verify/*/*.pcap >"$T/sv.jsonl" || fail "dissect_pcap suricata-verify"
python3 "$top_srcdir/test/dissect_check.py" "$TESTDATA/suricata-verify/EXPECTED-sipflow.tsv" "$T/sv.jsonl" || ok=1
for p in sip:sip-expected sip_authenticated_register:sip_authenticated_register-expected \
         sip_tcp:sip_through_tcp-expected; do
  $DP "$TESTDATA/beats/${p%%:*}.pcap" >"$T/b.jsonl" || fail "dissect_pcap ${p%%:*}.pcap"
  printf '%s: ' "${p%%:*}.pcap"
  python3 "$top_srcdir/test/beats_check.py" "$TESTDATA/beats/${p#*:}.json" "$T/b.jsonl" || ok=1
done
[ $ok = 0 ] || fail "parsed values differ from the expected ones"
echo ok
