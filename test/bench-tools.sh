#!/bin/sh
# The helper programs of make bench: bench/floor (the libpcap floor) reads
# every frame and byte a bench/sipgen manifest announces (libpcap is the
# independent reader here), and bench/measure reports a run's figures and
# keeps its exit status.  Both run under valgrind like every test program.
. "$top_srcdir/test/lib.sh"
need python3
"$top_builddir/bench/sipgen" -q --calls 200 --tcp .2 --frag .1 --ipv6 .2 --vlan .2 --out "$T/x.pcap" ||
  fail "sipgen failed"
frames=$(json_get "$T/x.pcap.json" frames)
out=$($SF_VG "$top_builddir/bench/floor" "$T/x.pcap") || fail "floor failed"
[ "$out" = "$T/x.pcap: $frames packets, $(json_get "$T/x.pcap.json" frame_bytes) bytes" ] ||
  fail "floor says '$out', the manifest $frames frames"
# through a stdio buffer smaller than one record, and sipflow's 1 MiB one
for b in 100 1048576; do
  o=$($SF_VG "$top_builddir/bench/floor" -b $b "$T/x.pcap") || fail "floor -b $b failed"
  [ "$o" = "$out" ] || fail "floor -b $b says '$o', without -b '$out'"
done
r=$($SF_VG "$top_builddir/bench/measure" -o /dev/null -- "$top_builddir/bench/floor" "$T/x.pcap") || fail "measure failed"
case "$r" in
  wall_s=*" maxrss_kb="*" status=0") ;;
  *) fail "measure printed '$r'" ;;
esac
r=$("$top_builddir/bench/measure" -- sh -c 'exit 3') || fail "measure failed"
case "$r" in *" status=3") ;; *) fail "measure lost the exit status: '$r'" ;; esac
echo "ok: floor reads $frames frames; measure: $r"
