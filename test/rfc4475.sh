#!/bin/sh
# RFC 4475 torture messages through `sipflow --dissect`: each one is valid,
# parsed leniently or rejected with the reason test/data/rfc4475/EXPECTED.tsv
# names (written from the RFC's text), and nothing leaks or reads out of
# bounds (valgrind via $SIPFLOW_RUN).
. "$top_srcdir/test/lib.sh"
need python3
D=$TESTDATA/rfc4475
files=$(grep -v '^#' "$D/EXPECTED.tsv" | cut -f1 | sed "s|^|$D/|")
# shellcheck disable=SC2086
$SIPFLOW_RUN --dissect $files >"$T/out.jsonl"
rc=$?
[ "$rc" = 1 ] || fail "exit status $rc, want 1 (some messages are rejected)"
[ "$(wc -l <"$T/out.jsonl")" = "$(echo "$files" | wc -l)" ] || fail "not one JSON line per file"
python3 "$top_srcdir/test/dissect_check.py" "$D/EXPECTED.tsv" "$T/out.jsonl" || fail "dissect output differs"
# exit status: 0 when every file parsed, 2 without files
$SIPFLOW_RUN --dissect "$D/wsinv.dat" "$D/dblreq.dat" >/dev/null || fail "valid messages: exit $?, want 0"
$SIPFLOW_RUN --dissect >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || fail "no file: exit $rc, want 2"
$SIPFLOW_RUN --dissect "$T/does-not-exist" >"$T/nf.json" 2>/dev/null
rc=$?
[ "$rc" = 1 ] || fail "missing file: exit $rc, want 1"
grep -q '"error"' "$T/nf.json" || fail "missing file: no error member"
echo "ok"
