#!/bin/sh
# bench/sipgen's expected call records (FILE.calls.jsonl), which the call
# tracking tests compare sipflow with, checked against records derived
# from tshark's dissection alone (test/generator_records.py applies the
# field rules of issue 4 to tshark's JSON).
. "$top_srcdir/test/lib.sh"
need tshark
need python3
SIPGEN=$top_builddir/bench/sipgen

run() {
  name=$1; shift
  "$SIPGEN" -q "$@" --out "$T/$name.pcap" || fail "sipgen $* failed"
  tshark -r "$T/$name.pcap" -T json --no-duplicate-keys -Y sip >"$T/$name.json" 2>/dev/null ||
    fail "$name: tshark failed"
  python3 "$top_srcdir/test/generator_records.py" "$T/$name.json" "$T/$name.pcap.calls.jsonl" >"$T/$name.out"
  st=$?
  tail -n 20 "$T/$name.out"
  [ $st = 0 ] || fail "$name: sipgen's records differ from tshark's dissection"
}

run mixed --calls 300 --seed 21 --ipv6 .2 --vlan .2 --tcp .2 --frag .1 --fail .3 --early-media .2 --talk-median 300
run compact --calls 300 --seed 22 --ipv6 .2 --vlan .2 --frag .1 --fail .3 --compact .5
run open --calls 200 --seed 23 --open-calls --cps 50 --tcp .2 --ipv6 .2 --frag .1 --fail .2
run in-progress --calls 100 --seed 24 --open-calls --no-bye --fail .3
grep -q '"CALL_IN_PROGRESS"' "$T/in-progress.pcap.calls.jsonl" || fail "--no-bye: no call in progress"
