#!/bin/sh
# sipflow's sip.messages / requests / responses on every capture in
# test/data equal tshark's counts, recorded in test/data/sip-counts.tsv
# (with the command used).  SF_TSHARK_RECHECK=1 also re-counts with tshark
# (slower; the recorded counts are what CI checks).
. "$top_srcdir/test/lib.sh"
need python3
i=0
grep -v '^#' "$TESTDATA/sip-counts.tsv" >"$T/list"
while IFS="$(printf '\t')" read -r f msgs reqs resps; do
  i=$((i + 1))
  $SIPFLOW_RUN -r "$TESTDATA/$f" --stats "$T/$i.json" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; fail "$f: sipflow failed"; }
  if [ "${SF_TSHARK_RECHECK:-0}" = 1 ]; then
    need tshark
    n=$(tshark -r "$TESTDATA/$f" -Y 'sip.Request-Line || sip.Status-Line' 2>/dev/null | wc -l)
    [ "$n" = "$msgs" ] || fail "$f: tshark now counts $n, recorded $msgs"
  fi
done <"$T/list"
python3 - "$T" <<'PY' || fail "SIP message counts differ from tshark's"
import json, sys
bad = 0
for i, line in enumerate(open(sys.argv[1] + "/list"), 1):
    f, msgs, reqs, resps = line.rstrip("\n").split("\t")
    s = json.load(open("%s/%d.json" % (sys.argv[1], i)))["sip"]
    got = (s["messages"], s["requests"], s["responses"])
    want = (int(msgs), int(reqs), int(resps))
    if got != want:
        print("FAIL %s: messages/requests/responses %s, tshark says %s" % (f, got, want))
        bad += 1
print("%d captures checked, %d differ" % (i, bad))
sys.exit(1 if bad else 0)
PY
