# test/check_lib.sh: helpers of the sipflow-check tests (sourced after lib.sh).
#
#   CHECK        sipflow-check, under valgrind when the harness uses it
#   PY           a python3 that sees Debian's python3-* packages
#   free_ports N         N free TCP+UDP port numbers on loopback
#   make_cert            a self-signed cert for localhost/127.0.0.1/::1 in $T
#   start_kamailio       Kamailio on $KP_UDP (udp+tcp), $KP_TLS, $KP_WS, $KP_WSS
#                        on 127.0.0.1 and ::1; users alice (401) and bob (407)
#   judge FORMAT FILE    normalise FILE (fails when it breaks the format)
#   expect NORM SERVER COND...
# Every process a test starts is stopped by its PID on exit.
CHECK_BIN=${top_builddir}/bin/sipflow-check
[ -x "$CHECK_BIN" ] || fail "$CHECK_BIN is not built"
CHECK="${SF_VG:-} $CHECK_BIN"
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
command -v "$PY" >/dev/null 2>&1 || skip "python3 is not installed"
JUDGE="$PY $top_srcdir/test/check_judge.py"
RESPONDER="$PY $top_srcdir/test/check_responder.py"

CHECK_PIDS=""
check_cleanup() {
  for p in $CHECK_PIDS; do kill "$p" 2>/dev/null; done
  for p in $CHECK_PIDS; do
    i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$p" 2>/dev/null
  done
  rm -rf "$T"
}
trap check_cleanup EXIT
track() { CHECK_PIDS="$CHECK_PIDS $1"; }

# free_ports N: N distinct port numbers free for both TCP and UDP on
# 127.0.0.1 and ::1 (the kernel picks them; a tiny race is accepted).
free_ports() {
  "$PY" - "$1" <<'EOF'
import socket, sys
n, got, keep = int(sys.argv[1]), [], []
while len(got) < n:
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    p = t.getsockname()[1]
    ok = True
    for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            if fam == socket.AF_INET and kind == socket.SOCK_STREAM:
                continue  # t holds it
            try:
                s = socket.socket(fam, kind)
                s.bind((host, p))
                keep.append(s)
            except OSError:
                ok = False
    keep.append(t)
    if ok and p not in got:
        got.append(p)
print(" ".join(map(str, got)))
EOF
}

make_cert() {
  need openssl
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" >/dev/null 2>&1 ||
    fail "openssl cannot make a test certificate"
}

# wait_udp_sip PORT: until something answers OPTIONS on 127.0.0.1:PORT.
wait_sip() {
  i=0
  while [ $i -lt 100 ]; do
    if "$CHECK_BIN" -t 200ms "$1" >/dev/null 2>&1; then return 0; fi
    i=$((i + 1)); sleep 0.1
  done
  return 1
}

start_kamailio() {
  need kamailio
  command -v kamailio >/dev/null 2>&1 || skip "kamailio is not installed"
  moddir=""
  for d in /usr/lib/x86_64-linux-gnu/kamailio/modules /usr/lib/*/kamailio/modules /usr/lib/kamailio/modules; do
    [ -f "$d/websocket.so" ] && [ -f "$d/tls.so" ] && { moddir=$d; break; }
  done
  [ -n "$moddir" ] || skip "kamailio tls/websocket modules are not installed"
  make_cert
  set -- $(free_ports 4)
  KP_UDP=$1; KP_TLS=$2; KP_WS=$3; KP_WSS=$4
  cat >"$T/tls.cfg" <<EOF
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $T/key.pem
certificate = $T/cert.pem

[client:default]
verify_certificate = no
require_certificate = no
EOF
  listen=""
  for h in 127.0.0.1 '[::1]'; do
    listen="${listen}listen=udp:$h:$KP_UDP
listen=tcp:$h:$KP_UDP
listen=tls:$h:$KP_TLS
listen=tcp:$h:$KP_WS
listen=tls:$h:$KP_WSS
"
  done
  cat >"$T/kamailio.cfg" <<EOF
#!KAMAILIO
debug=1
log_stderror=yes
children=${KAM_CHILDREN:-2}
tcp_children=1
auto_aliases=no
enable_tls=yes
tcp_accept_no_cl=yes
mpath="$moddir/"
$listen
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "auth.so"
loadmodule "tls.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
modparam("tls", "config", "$T/tls.cfg")
modparam("auth", "secret", "sipflow-check-test")
request_route {
    if (is_method("ACK")) exit;
    if (\$rU == "alice") {
        if (!pv_www_authenticate("\$td", "wonderland", "0")) { www_challenge("\$td", "1"); exit; }
        sl_send_reply("200", "OK"); exit;
    }
    if (\$rU == "bob") {
        if (!pv_proxy_authenticate("\$td", "builder", "0")) { proxy_challenge("\$td", "1"); exit; }
        sl_send_reply("200", "OK"); exit;
    }
    if (\$rU == "nobody") { sl_send_reply("404", "Not Found"); exit; }
    if (is_method("OPTIONS|MESSAGE")) { sl_send_reply("200", "OK"); exit; }
    sl_send_reply("404", "Not Here"); exit;
}
event_route[xhttp:request] {
    if (\$hdr(Upgrade) =~ "websocket" && \$hdr(Connection) =~ "Upgrade" && \$rm =~ "GET") {
        if (ws_handle_handshake()) exit;
    }
    xhttp_reply("404", "Not Found", "", "");
}
EOF
  kamailio -f "$T/kamailio.cfg" -DD -E -m 64 -M 8 -w "$T" >"$T/kamailio.log" 2>&1 &
  KAM_PID=$!
  track $KAM_PID
  wait_sip "sip:127.0.0.1:$KP_UDP" || { tail -20 "$T/kamailio.log" >&2; fail "kamailio did not start"; }
}

# start_responder MODE PORT [options]: the scripted server, ready when it returns.
start_responder() {
  mode=$1; port=$2; shift 2
  log="$T/responder-$port.log"
  : >"$log"
  $RESPONDER "$mode" "$port" "$log" "$@" 2>>"$T/responder.err" &
  track $!
  i=0
  while ! grep -q READY "$log" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && fail "the responder did not start"
    sleep 0.05
  done
}

judge() { $JUDGE parse "$1" "$2" >"$2.norm" || fail "$1 output does not follow its format (see above): $(cat "$2")"; }
expect() {
  norm=$1; shift
  $JUDGE expect "$norm" "$@" || fail "unexpected result for $1"
}

# run_check OUT ARGS...: run sipflow-check, output in OUT, stderr in OUT.err,
# status in $rc.  A valgrind error (status 99) fails the test at once.
# run_plain: the same without valgrind (for runs that repeat a path a
# valgrind run already covered, to keep the tests fast).
run_plain() {
  out=$1; shift
  "$CHECK_BIN" "$@" >"$out" 2>"$out.err"
  rc=$?
}
run_check() {
  out=$1; shift
  $CHECK "$@" >"$out" 2>"$out.err"
  rc=$?
  if [ $rc = 99 ]; then cat "$out.err" >&2; fail "valgrind found errors in: sipflow-check $*"; fi
  return 0
}
