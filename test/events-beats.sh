#!/bin/sh
# --events against Elastic packetbeat's golden files (test/data/beats): the
# three SIP cases of golden-tests.yml, run with packetbeat's defaults
# (parse_authorization, parse_body, keep_original: --events-auth
# --events-body --events-original).  test/events_compare.py flattens our
# nested events like packetbeat's harness, compares every field, prints the
# agreement, the fields left out and the RFC deviations; 100% is required.
. "$top_srcdir/test/lib.sh"
need python3
B=$TESTDATA/beats
set --
for c in sip:sip-expected sip_authenticated_register:sip_authenticated_register-expected \
         sip_tcp:sip_through_tcp-expected; do
  pcap=${c%%:*}
  $SIPFLOW_RUN -q -r "$B/$pcap.pcap" --events "$T/$pcap.jsonl" --events-auth --events-body \
    --events-original --stats "$T/$pcap.stats" || fail "sipflow on $pcap.pcap"
  [ "$(json_get "$T/$pcap.stats" sip.events.write_errors)" = 0 ] || fail "$pcap: write errors counted"
  [ "$(json_get "$T/$pcap.stats" sip.events.events)" = "$(wc -l < "$T/$pcap.jsonl")" ] ||
    fail "$pcap: sip.events.events is not the number of lines written"
  set -- "$@" "$B/${c#*:}.json" "$B/$pcap.pcap" "$T/$pcap.jsonl"
done
python3 "$top_srcdir/test/events_compare.py" "$B/golden-tests.yml" "$@" || fail "events differ from packetbeat's"

# without the options: no sip.auth, user.name, sip.sdp, event.original
$SIPFLOW_RUN -q -r "$B/sip_authenticated_register.pcap" -r "$B/sip.pcap" --events - >"$T/plain.jsonl" ||
  fail "sipflow --events -"
[ "$(wc -l < "$T/plain.jsonl")" = 15 ] || fail "--events - wrote $(wc -l < "$T/plain.jsonl") lines, expected 15"
python3 - "$T/plain.jsonl" <<'EOF' || fail "an option's fields were written without the option"
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    for k in ("auth", "sdp"):
        assert k not in e["sip"], k
    assert "user" not in e and "original" not in e["event"], line
    # event.category still says "authentication" for the credentials (packetbeat does too)
print("without options: no sip.auth, sip.sdp, user.name, event.original")
EOF

# an output that cannot be opened: exit status 5 before anything is read
$SIPFLOW_RUN -q -r "$B/sip.pcap" --events "$T/no/such/dir/ev.jsonl" 2>"$T/err"
st=$?
[ $st = 5 ] || fail "--events into a missing directory: exit $st, expected 5"
grep -q "events" "$T/err" || fail "no message naming --events: $(cat "$T/err")"

# a full disk: the write errors are counted and reported once, the run goes on
if [ -w /dev/full ]; then
  $SIPFLOW_RUN -r "$B/sip.pcap" --events /dev/full --stats "$T/full.stats" 2>"$T/full.err" ||
    fail "sipflow stopped on a full disk"
  [ "$(json_get "$T/full.stats" sip.events.write_errors)" -ge 1 ] || fail "no write error counted on /dev/full"
  [ "$(grep -c "events /dev/full" "$T/full.err")" = 1 ] || fail "write errors not reported exactly once"
fi
echo ok
