#!/bin/sh
# bench/sipgen is deterministic: the same arguments give the same bytes
# (capture, manifest, records), whatever the output's name; another seed
# gives another capture.  The first run is under valgrind (as every test
# program), and bad arguments are refused.
. "$top_srcdir/test/lib.sh"
need python3
SIPGEN=$top_builddir/bench/sipgen
ARGS="--calls 200 --ipv6 .2 --vlan .2 --tcp .2 --frag .1 --fail .3 --compact .2 --talk-median 300"

mkdir -p "$T/a" "$T/b"
$SF_VG "$SIPGEN" -q $ARGS --seed 5 --out "$T/a/x.pcap" || fail "sipgen failed (under valgrind?)"
"$SIPGEN" -q $ARGS --seed 5 --out "$T/b/other-name.pcap" || fail "sipgen failed"
cmp "$T/a/x.pcap" "$T/b/other-name.pcap" || fail "same arguments, different captures"
cmp "$T/a/x.pcap.calls.jsonl" "$T/b/other-name.pcap.calls.jsonl" || fail "same arguments, different records"
sed 's/other-name/x/' "$T/b/other-name.pcap.json" | cmp - "$T/a/x.pcap.json" || fail "same arguments, different manifests"
"$SIPGEN" -q $ARGS --seed 6 --out "$T/b/y.pcap" || fail "sipgen failed"
cmp -s "$T/a/x.pcap" "$T/b/y.pcap" && fail "another seed gave the same capture"
echo "ok: same arguments, same bytes ($(cksum <"$T/a/x.pcap")); another seed, other bytes"

# --open-calls rebuilds each call for its BYE: still deterministic
"$SIPGEN" -q --calls 300 --open-calls --tcp .3 --fail .2 --out "$T/a/o.pcap" || fail "sipgen failed"
"$SIPGEN" -q --calls 300 --open-calls --tcp .3 --fail .2 --out "$T/b/o.pcap" || fail "sipgen failed"
cmp "$T/a/o.pcap" "$T/b/o.pcap" || fail "--open-calls: same arguments, different captures"

# bad arguments are refused with status 2
for bad in "--calls 0 --out $T/z" "--calls 5" "--calls 5 --out $T/z --tcp .8 --frag .5" \
           "--calls 5 --out $T/z --ipv6 2" "--calls 5 --out $T/z --no-bye"; do
  "$SIPGEN" -q $bad 2>/dev/null
  [ $? = 2 ] || fail "sipgen $bad: want exit status 2"
done
