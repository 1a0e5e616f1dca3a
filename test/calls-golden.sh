#!/bin/sh
# calls-golden: every field of every call record sipflow exports for the
# corpus captures (test/data/**, samples/*.pcap) and for a capture of
# hand-written dialogs (test/calls_scenarios.py) equals the record that
# test/calls_ref.py computes from tshark's own SIP/SDP dissection.
#
# sipflow writes -n file: (and --json); tshark decodes the IPFIX file and
# test/calls_judge.py compares record by record, and sipflow's export
# reasons (--stats sip.calls.exports) with the reference's.
#
# The expected records of the corpus are checked in, test/data/calls-golden/
# NAME.jsonl, made by calls_ref.py from tshark's dissection; regenerate them
# (after changing calls_ref.py, a rule in README "Call records", or tshark):
#     top_srcdir=. top_builddir=build sh test/calls-golden.sh --regen
# and check that they are what calls_ref.py makes of the corpus today
# (--regen into a scratch directory and compare; 30 s of tshark, so not in
# make check):
#     top_srcdir=. top_builddir=build sh test/calls-golden.sh --verify
# The scenario capture is generated here and its reference computed live;
# calls_scenarios.py --check also holds the reference to facts typed by hand
# from README.
. "$top_srcdir/test/lib.sh"
need tshark
need python3
REF="python3 $top_srcdir/test/calls_ref.py"
JUDGE="python3 $top_srcdir/test/calls_judge.py"
SCEN="python3 $top_srcdir/test/calls_scenarios.py"
EXP=$top_srcdir/test/data/calls-golden

CAPTURES=$(cd "$top_srcdir" && find test/data samples \( -name '*.pcap' -o -name '*.pcapng' \) | LC_ALL=C sort)
[ -n "$CAPTURES" ] || fail "no captures found"
name_of() { echo "$1" | sed 's|^test/data/||; s|/|__|g'; }

tshark_version() { tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([^ ]*\).*/\1/p'; }
if [ "${1:-}" = --regen ] || [ "${1:-}" = --verify ]; then
  out=$EXP
  [ "$1" = --verify ] && out=$T/verify
  mkdir -p "$out"
  rm -f "$out"/*.jsonl
  for c in $CAPTURES; do
    $REF "$top_srcdir/$c" >"$out/$(name_of "$c").jsonl" || fail "calls_ref.py $c failed"
  done
  tshark_version >"$out/TSHARK-VERSION"
  if [ "$1" = --verify ]; then
    diff -r "$EXP" "$out" || fail "the checked-in records are stale: run test/calls-golden.sh --regen"
    echo "ok: $EXP is what calls_ref.py makes of the corpus with tshark $(cat "$out/TSHARK-VERSION")"
  else
    echo "regenerated $(echo "$CAPTURES" | wc -l) files in $EXP with tshark $(cat "$EXP/TSHARK-VERSION")"
  fi
  exit 0
fi

# run CAPTURE NAME [OPTIONS]: sipflow on one capture, each its own
# observation domain, every file export concatenated into one IPFIX file
# that one tshark run decodes
od=0
run() {
  od=$((od + 1))
  # shellcheck disable=SC2086
  $SIPFLOW_RUN -q -r "$1" -n "file:$T/$2.ipfix" --json "$T/$2.json" --stats "$T/$2.stats" \
    --observation-domain $od ${3:-} 2>"$T/$2.err" || fail "$2: sipflow failed ($?): $(cat "$T/$2.err")"
  cat "$T/$2.ipfix" >>"$T/all.ipfix"
  echo "$2 $od" >>"$T/runs"
}

: >"$T/all.ipfix"
for c in $CAPTURES; do
  n=$(name_of "$c")
  [ -f "$EXP/$n.jsonl" ] || fail "$c has no expected records: run test/calls-golden.sh --regen"
  run "$top_srcdir/$c" "$n"
done
$SCEN "$T/scenarios.pcap" || fail "calls_scenarios.py failed"
$REF "$T/scenarios.pcap" >"$T/scenarios.jsonl" || fail "calls_ref.py failed on the scenarios"
$SCEN --check "$T/scenarios.jsonl" || fail "the reference disagrees with README's facts (calls_scenarios.py EXPECT)"
run "$T/scenarios.pcap" scenarios

TZ=UTC tshark -n -r "$T/all.ipfix" -T json -x >"$T/all.tshark.json" 2>"$T/tshark.err" ||
  fail "tshark cannot read the IPFIX export: $(cat "$T/tshark.err")"

# Known differences, each written next to its reason.  CALL:FIELD[:VALUE].
# - s18-tcp6: the INVITE's last bytes sit in a segment that came before the
#   hole in front of it (0.2 s); the hole fills at 0.3 s.  tshark dates the
#   INVITE at the frame that completes it (0.3 s), sipflow's TCP reassembly
#   (lib/sf_tcp.c drain()) hands the held bytes on with the held segment's own
#   time, so FLOW_START is 100 ms earlier than the message could be read.
#   Reported to the transport owner, not a rule of README "Call records".
# shellcheck disable=SC2034 # used through eval below
EXC_scenarios="--except s18-tcp6@:FLOW_START_MILLISECONDS:1700003200200"

bad=0
while read -r n o; do
  if [ "$n" = scenarios ]; then exp=$T/scenarios.jsonl; else exp=$EXP/$n.jsonl; fi
  eval "exc=\${EXC_$(echo "$n" | tr -c 'A-Za-z0-9_\n' '_'):-}"
  # shellcheck disable=SC2086
  $JUDGE --label "$n" --od "$o" --stats "$T/$n.stats" $exc "$exp" "tshark-json:$T/all.tshark.json" >"$T/$n.judge" ||
    { cat "$T/$n.judge"; bad=$((bad + 1)); }
  # the same records as JSON lines (SIP times in ms, compared as seconds)
  # shellcheck disable=SC2086
  $JUDGE --label "$n (--json)" $exc "$exp" "json:$T/$n.json" >"$T/$n.judge-json" ||
    { cat "$T/$n.judge-json"; bad=$((bad + 1)); }
  tail -n 1 "$T/$n.judge"
done <"$T/runs"
[ "$bad" = 0 ] || fail "$bad of $(wc -l <"$T/runs") captures differ from tshark's records"

[ "$(tshark_version)" = "$(cat "$EXP/TSHARK-VERSION")" ] ||
  echo "note: the expected records were made with tshark $(cat "$EXP/TSHARK-VERSION"), this is $(tshark_version)"
echo "ok: $(wc -l <"$T/runs") captures, every record equals tshark's"
