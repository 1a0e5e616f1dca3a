#!/bin/sh
# sipflow's sip.messages / requests / responses on every capture in
# test/data equal tshark's counts, recorded in test/data/sip-counts.tsv
# (with the command used).  When tshark is installed the recorded counts
# are checked against it too.
. "$top_srcdir/test/lib.sh"
need python3
bad=0
grep -v '^#' "$TESTDATA/sip-counts.tsv" | while IFS="$(printf '\t')" read -r f msgs reqs resps; do
  $SIPFLOW_RUN -r "$TESTDATA/$f" --stats "$T/stats.json" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; echo "FAIL $f: sipflow failed"; exit 1; }
  got=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["sip"]; print(s["messages"], s["requests"], s["responses"])' "$T/stats.json")
  if [ "$got" != "$msgs $reqs $resps" ]; then
    echo "FAIL $f: messages/requests/responses $got, tshark says $msgs $reqs $resps"; exit 1
  fi
  if command -v tshark >/dev/null 2>&1; then
    n=$(tshark -r "$TESTDATA/$f" -Y 'sip.Request-Line || sip.Status-Line' 2>/dev/null | wc -l)
    [ "$n" = "$msgs" ] || { echo "FAIL $f: tshark now counts $n, recorded $msgs"; exit 1; }
  fi
done || bad=1
[ $bad = 0 ] || fail "SIP message counts differ from tshark's"
echo ok
