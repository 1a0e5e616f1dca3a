#!/bin/sh
# --syslog: the log lines go to syslog (facility daemon) and not to stderr,
# with the -v levels.  In a private mount namespace a tmpfs on /dev holds a
# /dev/log socket read by a small listener, so the host's syslog is not
# touched.  Priorities per RFC 5424: <27> = daemon.err, <30> = daemon.info.
# Needs root (unshare -m).
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
"$SIPFLOW" --syslog -v -r "$S" --stats "$T/stats.json" >"$T/out1" 2>"$T/err1"; echo \$? > "$T/st1"
"$SIPFLOW" --syslog -r "$T/missing.pcap" >"$T/out2" 2>"$T/err2"; echo \$? > "$T/st2"
sleep 0.5
kill \$L
EOF
unshare -m --propagation private sh "$T/inner.sh"; st=$?
[ $st = 77 ] && skip "cannot mount a tmpfs in a private mount namespace"
[ -f "$T/st2" ] || fail "the runs in the namespace did not happen"
[ "$(cat "$T/st1")" = 0 ] || fail "--syslog -v -r sample: exit $(cat "$T/st1")"
[ "$(cat "$T/st2")" = 3 ] || fail "--syslog -r missing: exit $(cat "$T/st2"), expected 3"
[ ! -s "$T/err1" ] || { cat "$T/err1"; fail "--syslog -v wrote to stderr"; }
[ ! -s "$T/err2" ] || { cat "$T/err2"; fail "--syslog wrote the error to stderr"; }
[ -s "$T/stats.json" ] || fail "--stats FILE is not a log: it must still be written"
grep -q '^<30>.*sipflow\[[0-9]*\]: reading .*packetbeat-sip.pcap' "$T/got" ||
  { cat "$T/got"; fail "no daemon.info 'reading' line from -v"; }
grep -q '^<27>.*sipflow\[[0-9]*\]: .*missing.pcap.*No such file or directory' "$T/got" ||
  { cat "$T/got"; fail "no daemon.err line for the missing file"; }
[ "$(grep -c 'reading' "$T/got")" = 1 ] || { cat "$T/got"; fail "without -v an information line was logged"; }
echo "syslog: $(wc -l < "$T/got") lines to /dev/log, none on stderr; -v adds the information lines"
