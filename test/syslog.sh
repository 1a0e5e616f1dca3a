#!/bin/sh
# --syslog: the log lines go to syslog (facility daemon), with the -v
# levels; errors also go to stderr, since syslog(3) drops them silently
# when no daemon listens (the third run has no /dev/log at all).  In a
# private mount namespace a tmpfs on /dev holds a /dev/log socket read by a
# small listener, so the host's syslog is not touched.  Priorities per RFC
# 5424: <27> = daemon.err, <30> = daemon.info.  Needs root (unshare -m).
. "$top_srcdir/test/lib.sh"
need python3
need unshare
need_root
S=$top_srcdir/samples/packetbeat-sip.pcap
cat > "$T/listen.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(4096).rstrip(b"\0\n") + b"\n")
EOF
cat > "$T/inner.sh" <<EOF
mount -t tmpfs sipflow-test /dev && mknod -m 666 /dev/null c 1 3 || exit 77
python3 "$T/listen.py" /dev/log "$T/got" &
L=\$!
n=0; while [ ! -S /dev/log ] && [ \$n -lt 50 ]; do sleep 0.1; n=\$((n + 1)); done
$SIPFLOW_RUN --syslog -v -r "$S" --stats "$T/stats.json" >"$T/out1" 2>"$T/err1"; echo \$? > "$T/st1"
$SIPFLOW_RUN --syslog -r "$T/missing.pcap" >"$T/out2" 2>"$T/err2"; echo \$? > "$T/st2"
sleep 0.5
kill \$L
rm -f /dev/log
$SIPFLOW_RUN --syslog -r "$T/missing.pcap" >"$T/out3" 2>"$T/err3"; echo \$? > "$T/st3"
EOF
unshare -m --propagation private sh "$T/inner.sh"; st=$?
[ $st = 77 ] && skip "cannot mount a tmpfs in a private mount namespace"
[ -f "$T/st3" ] || fail "the runs in the namespace did not happen"
[ "$(cat "$T/st1")" = 0 ] || { cat "$T/err1"; fail "--syslog -v -r sample: exit $(cat "$T/st1")"; }
[ "$(cat "$T/st2")" = 3 ] || fail "--syslog -r missing: exit $(cat "$T/st2"), expected 3"
[ "$(cat "$T/st3")" = 3 ] || fail "--syslog -r missing, no syslog daemon: exit $(cat "$T/st3"), expected 3"
# information lines only to syslog; an error to both
[ ! -s "$T/err1" ] || { cat "$T/err1"; fail "--syslog -v wrote information lines to stderr"; }
for i in 2 3; do
  grep -q "^sipflow: error: .*missing.pcap.*No such file or directory" "$T/err$i" ||
    { cat "$T/err$i"; fail "run $i: the error is not on stderr"; }
  [ "$(wc -l < "$T/err$i")" = 1 ] || { cat "$T/err$i"; fail "run $i: more than the error on stderr"; }
done
[ -s "$T/stats.json" ] || fail "--stats FILE is not a log: it must still be written"
grep -q '^<30>.*sipflow\[[0-9]*\]: reading .*packetbeat-sip.pcap' "$T/got" ||
  { cat "$T/got"; fail "no daemon.info 'reading' line from -v"; }
grep -q '^<27>.*sipflow\[[0-9]*\]: .*missing.pcap.*No such file or directory' "$T/got" ||
  { cat "$T/got"; fail "no daemon.err line for the missing file"; }
[ "$(grep -c 'missing.pcap' "$T/got")" = 1 ] || { cat "$T/got"; fail "expected the one error line in syslog"; }
[ "$(grep -c 'reading' "$T/got")" = 1 ] || { cat "$T/got"; fail "without -v an information line was logged"; }
echo "syslog: $(wc -l < "$T/got") lines to /dev/log; errors also on stderr, with or without a listener"
