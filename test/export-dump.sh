#!/bin/sh
# export-dump: nProbe-style text dumps (-P): file names and rotation on
# capture time, the header line, escaping (same number of columns on every
# line), atomic renames, --dump-exec, and failures that are counted while
# the run goes on.  Expected lines come from test/export_judge.py, which
# holds the exported values (typed by hand) and the documented format.
. "$top_srcdir/test/lib.sh"
need python3
GEN="$SF_VG $top_builddir/test/export_gen"
JUDGE="python3 $top_srcdir/test/export_judge.py"

# 1. the hand-made records, default separator: all four at 22:13:2x UTC
$GEN --set fixed -P "$T/d1" || fail "export_gen failed ($?)"
$JUDGE dump "$T/d1" fixed || fail "dump 1 wrong"
[ -f "$T/d1/2023/11/14/22/13.flows" ] || fail "no 2023/11/14/22/13.flows"
head -n 1 "$T/d1/2023/11/14/22/13.flows" | grep -q '^IPV4_SRC_ADDR|IPV4_DST_ADDR|IPV6_SRC_ADDR|' ||
  fail "the header line is wrong"

# 2. another separator, flat names, an interval that is not whole minutes
$GEN --set fixed -P "$T/d2" --sep ', ' --flat -F 30 || fail "export_gen failed"
$JUDGE dump "$T/d2" fixed --sep ', ' --flat --interval 30 || fail "dump 2 wrong"
[ -f "$T/d2/2023_11_14_22_13_00.flows" ] || fail "no 2023_11_14_22_13_00.flows: $(ls "$T/d2")"

# 2b. -T: only those columns, in that order
$GEN --set fixed -P "$T/d2b" -T "%SIP_UAS %IPV6_SRC_ADDR %SIP_CALL_ID %IPV4_DST_ADDR %FLOW_END_MILLISECONDS" ||
  fail "export_gen failed"
$JUDGE dump "$T/d2b" fixed --template "SIP_UAS IPV6_SRC_ADDR SIP_CALL_ID IPV4_DST_ADDR FLOW_END_MILLISECONDS" ||
  fail "dump with -T wrong"

# 3. rotation and atomic renames: records at 22:13:57..22:14:02.  The tool
#    stops after the first record of 22:14 (--before 4): 13.flows must be
#    complete, 14.flows not there yet, only its temporary file.  A space in
#    the directory name checks --dump-exec's quoting.
D="$T/dump dir"
$GEN --set gen --count 6 --start 1700000037 --before 4 --marker "$T/paused" --go "$T/go" \
  -P "$D" --exec "echo >>'$T/exec.log'" --stats "$T/st3" &
pid=$!
i=0
while [ ! -f "$T/paused" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$T/paused" ] || { kill "$pid"; fail "export_gen did not pause"; }
H="$D/2023/11/14/22"
[ -f "$H/13.flows" ] || { touch "$T/go"; fail "13.flows should be complete when 22:14 starts"; }
[ "$(wc -l <"$H/13.flows")" = 4 ] || { touch "$T/go"; fail "13.flows: header + 3 records expected"; }
[ ! -e "$H/14.flows" ] || { touch "$T/go"; fail "14.flows is visible before it is closed"; }
[ -f "$H/.14.flows.tmp" ] || { touch "$T/go"; fail "no temporary file for 14.flows: $(ls -a "$H")"; }
touch "$T/go"
wait "$pid" || fail "export_gen failed"
$JUDGE dump "$D" gen:6:1700000037:1 || fail "dump 3 wrong"
[ -z "$(find "$D" -name '*.tmp')" ] || fail "a temporary file was left"
# the hook ran once per finished file, with its path as one argument
sort "$T/exec.log" >"$T/exec.sorted"
printf '%s\n' "$H/13.flows" "$H/14.flows" >"$T/exec.want"
cmp -s "$T/exec.sorted" "$T/exec.want" || fail "--dump-exec was not run with each path: $(cat "$T/exec.log")"
[ "$(json_get "$T/st3" 0.exec_started)" = 2 ] || fail "exec_started should be 2"
[ "$(json_get "$T/st3" 0.files)" = 2 ] || fail "files should be 2"

# 4. a second run over the same capture does not overwrite the first files
$GEN --set fixed -P "$T/d1" || fail "export_gen failed"
[ -f "$T/d1/2023/11/14/22/13-1.flows" ] || fail "the second run should write 13-1.flows: $(ls "$T/d1/2023/11/14/22")"
cmp -s "$T/d1/2023/11/14/22/13.flows" "$T/d1/2023/11/14/22/13-1.flows" || fail "both runs should write the same"

# 5. a path that cannot be made (a file where a directory should be): the
#    run goes on, the loss is reported once and counted, other outputs work
mkdir -p "$T/d5" && : >"$T/d5/2023"
$GEN --set fixed -P "$T/d5" -n "file:$T/d5.ipfix" --stats "$T/st5" 2>"$T/err5" ||
  fail "an unwritable dump directory must not stop the run"
[ "$(grep -c 'cannot create the directory' "$T/err5")" = 1 ] || fail "reported once with the reason: $(cat "$T/err5")"
grep -q 'Not a directory' "$T/err5" || fail "the reason is missing: $(cat "$T/err5")"
[ "$(json_get "$T/st5" 1.records_dropped)" = 4 ] || fail "4 records should be counted as dropped"
[ "$(json_get "$T/st5" 1.write_errors)" -ge 1 ] || fail "write_errors not counted"
[ "$(json_get "$T/st5" 0.records_sent)" = 4 ] || fail "the IPFIX output should still get every record"

# 6. a full file system (simulated with a file size limit): the file is
#    dropped and counted, the run goes on
( trap '' XFSZ; ulimit -f 8; exec $GEN --set gen --count 300 --step 0.01 -P "$T/d6" --stats "$T/st6" ) 2>"$T/err6" ||
  fail "a write error must not stop the run: $(cat "$T/err6")"
grep -q 'cannot write' "$T/err6" || fail "the write error is not reported: $(cat "$T/err6")"
[ "$(json_get "$T/st6" 0.records_dropped)" = 300 ] || fail "300 records should be counted as dropped"
[ -z "$(find "$T/d6" -type f)" ] || fail "a failed file must be removed: $(find "$T/d6" -type f)"

# 7. set-up errors: a separator with a backslash, a directory that is a file
$GEN --set fixed -P "$T/d7" --sep '\' 2>/dev/null
[ $? = 2 ] || fail "a backslash separator should be a usage error"
: >"$T/afile"
$GEN --set fixed -P "$T/afile" 2>/dev/null
[ $? = 5 ] || fail "-P on a file should be an output error"
echo "ok: dumps"
