#!/bin/sh
# make check: replay every input in fuzz/regressions/ through the libFuzzer
# targets, then fuzz each for FUZZ_SMOKE_SECONDS (default 10) from the seeds.
# A crash fails the test; its input is copied to $top_builddir/fuzz/ so that
# it can be added to fuzz/regressions/<target>/.
. "$top_srcdir/test/lib.sh"
S=${FUZZ_SMOKE_SECONDS:-10}
for r in "msg fuzz_sip_msg $TESTDATA/rfc4475" "sdp fuzz_sdp $top_srcdir/fuzz/seeds/sdp" \
         "tcp fuzz_tcp $top_srcdir/fuzz/seeds/tcp" "frag fuzz_frag $top_srcdir/fuzz/seeds/frag" \
         "events fuzz_sip_events $top_srcdir/fuzz/seeds/events" \
         "calls fuzz_sip_calls $top_srcdir/fuzz/seeds/calls"; do
  set -- $r
  name=$1 bin=$top_builddir/fuzz/$2 seeds=$3
  reg=$top_srcdir/fuzz/regressions/$name
  [ -x "$bin" ] || fail "$bin is not built"
  n=$(find "$reg" -type f ! -name '.*' | wc -l)
  if [ "$n" -gt 0 ]; then
    # shellcheck disable=SC2046
    "$bin" $(find "$reg" -type f ! -name '.*') >"$T/replay.log" 2>&1 || { tail -30 "$T/replay.log"; fail "$name: a regression input crashes again"; }
  fi
  mkdir -p "$T/corpus-$name"
  if ! "$bin" -max_total_time="$S" -max_len=8192 -print_final_stats=1 -dict="$top_srcdir/fuzz/sip.dict" \
       -artifact_prefix="$T/crash-" "$T/corpus-$name" "$seeds" "$reg" >"$T/$name.log" 2>&1; then
    tail -40 "$T/$name.log"
    mkdir -p "$top_builddir/fuzz" && cp "$T"/crash-* "$top_builddir/fuzz/" 2>/dev/null
    fail "$name: the fuzzer found a crash (input copied to $top_builddir/fuzz/)"
  fi
  echo "$name: $n regression inputs replayed; $(grep -E '^stat::number_of_executed_units' "$T/$name.log" | sed 's/.*: *//') runs in ${S}s"
done
