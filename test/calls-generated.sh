#!/bin/sh
# calls-generated: bench/sipgen captures (a few hundred mixed calls) through
# sipflow; every field of every record must equal both sipgen's own
# per-call expectations (FILE.pcap.calls.jsonl, bench/README.md) and the
# records test/calls_ref.py derives from tshark's dissection.  The two
# references are also compared with each other, SIP times to the millisecond.
. "$top_srcdir/test/lib.sh"
need tshark
need python3
SIPGEN=$top_builddir/bench/sipgen
[ -x "$SIPGEN" ] || fail "$SIPGEN is not built"
REF="python3 $top_srcdir/test/calls_ref.py"
JUDGE="python3 $top_srcdir/test/calls_judge.py"

check() {
  name=$1
  shift
  "$SIPGEN" -q "$@" --out "$T/$name.pcap" || fail "sipgen $* failed"
  $SIPFLOW_RUN -q -r "$T/$name.pcap" -n "file:$T/$name.ipfix" --stats "$T/$name.stats" 2>"$T/$name.err" ||
    fail "$name: sipflow failed: $(cat "$T/$name.err")"
  $REF "$T/$name.pcap" >"$T/$name.ref" || fail "$name: calls_ref.py failed"
  $JUDGE --label "$name: sipflow vs sipgen" --expected-sipgen "$T/$name.pcap.calls.jsonl" "ipfix:$T/$name.ipfix" ||
    fail "$name: sipflow's records differ from sipgen's expectations"
  $JUDGE --label "$name: sipflow vs tshark" --stats "$T/$name.stats" "$T/$name.ref" "ipfix:$T/$name.ipfix" ||
    fail "$name: sipflow's records differ from tshark's"
  $JUDGE --label "$name: tshark vs sipgen" --got-name calls_ref.py --expected-sipgen "$T/$name.pcap.calls.jsonl" "sipgen:$T/$name.ref" ||
    fail "$name: the two references disagree"
}

check mixed --calls 300 --seed 41 --ipv6 .2 --vlan .2 --tcp .2 --frag .1 --fail .3 --early-media .2 --talk-median 30
check compact --calls 300 --seed 42 --compact .5 --ipv6 .2 --vlan .2 --frag .1 --fail .3
echo "ok: sipgen captures: sipflow, sipgen and tshark agree on every field"
