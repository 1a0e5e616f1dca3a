#!/bin/sh
# check_fuzz.sh: a short libFuzzer run (FUZZ_SMOKE_SECONDS, default 10) of
# sipflow-check's parsers (check/fuzz_check.c) from the seeds in
# test/data/check/fuzz-seeds; a crash fails and its input is kept in the
# build tree.
. "$top_srcdir/test/lib.sh"
bin=$top_builddir/check/fuzz_check
[ -x "$bin" ] || skip "check/fuzz_check is not built (needs clang)"
mkdir -p "$T/corpus"
if ! "$bin" -max_total_time="${FUZZ_SMOKE_SECONDS:-10}" -print_final_stats=1 -artifact_prefix="$T/crash-" \
     "$T/corpus" "$top_srcdir/test/data/check/fuzz-seeds" >"$T/fuzz.log" 2>&1; then
  tail -40 "$T/fuzz.log"
  cp "$T"/crash-* "$top_builddir/check/" 2>/dev/null
  fail "the fuzzer found a crash (input copied to $top_builddir/check/)"
fi
echo "check fuzz: $(grep -E '^stat::number_of_executed_units' "$T/fuzz.log" | sed 's/.*: *//') runs"
