#!/bin/sh
# check_kamailio.sh: sipflow-check against Kamailio on loopback.
# Success over UDP, TCP, TLS, WS and WSS on 127.0.0.1 and ::1; mismatch,
# error_response, refused, timeout, parse errors; digest auth (401 and 407)
# with and without the right password; TLS verification options; every row
# judged in all three output formats; exit statuses.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/check_lib.sh"

start_kamailio
set -- $(free_ports 2)
CLOSED=$1 SILENT=$2
start_responder silent "$SILENT"
CA="--tls-ca=$T/cert.pem"

# ---- success over every transport, both address families, all formats ----
ALL="sip:127.0.0.1:$KP_UDP sip:127.0.0.1:$KP_UDP;transport=tcp sips:127.0.0.1:$KP_TLS
 sip:127.0.0.1:$KP_WS;transport=ws sips:127.0.0.1:$KP_WSS;transport=wss
 sip:[::1]:$KP_UDP sip:[::1]:$KP_UDP;transport=tcp sips:[::1]:$KP_TLS sip:[::1]:$KP_WS;transport=ws
 sips:[::1]:$KP_WSS;transport=wss sips:localhost:$KP_TLS"
for fmt in influx json prometheus; do
  # valgrind once; the other formats take the same paths
  run=run_plain; [ $fmt = influx ] && run=run_check
  # shellcheck disable=SC2086
  $run "$T/all.$fmt" -t 5s "$CA" -f $fmt $ALL
  [ $rc = 0 ] || { cat "$T/all.$fmt.err" >&2; fail "$fmt: exit status $rc when every check should succeed"; }
  judge $fmt "$T/all.$fmt"
  [ "$($JUDGE count "$T/all.$fmt.norm")" = 11 ] || fail "$fmt: not one row per server"
  for u in $ALL; do
    case $u in
      *transport=wss) tp=wss ;; *transport=ws) tp=ws ;; *transport=tcp) tp=tcp ;; sips:*) tp=tls ;; *) tp=udp ;;
    esac
    expect "$T/all.$fmt.norm" "$u" tag.result=success field.result_code=0 field.result_type=success \
      tag.status_code=200 tag.reason=OK tag.transport=$tp tag.method=OPTIONS field.response_code_match=1 \
      field.response_time'>0'
  done
done
# the Server header of Kamailio has spaces and parentheses: a tag that needs escapes
for fmt in influx json prometheus; do
  expect "$T/all.$fmt.norm" "sip:127.0.0.1:$KP_UDP" "tag.server_agent^=kamailio ("
done
grep -q 'server_agent=kamailio\\ (' "$T/all.influx" || fail "the space in server_agent is not escaped"
expect "$T/all.influx.norm" "sip:127.0.0.1:$KP_UDP" "tag.sip_uri=sip:telegraf@127.0.0.1:$KP_UDP"
expect "$T/all.influx.norm" "sip:[::1]:$KP_UDP;transport=tcp" "tag.sip_uri=sip:telegraf@[::1]:$KP_UDP;transport=tcp"

# ---- MESSAGE, expect-code, error responses ----
run_check "$T/r1" -t 5s -m MESSAGE "sip:127.0.0.1:$KP_UDP"
judge influx "$T/r1"
expect "$T/r1.norm" "sip:127.0.0.1:$KP_UDP" tag.method=MESSAGE tag.result=success
run_check "$T/r2" -t 5s --expect-code 404 -f json "sip:127.0.0.1:$KP_UDP" "sip:nobody@127.0.0.1:$KP_UDP;transport=tcp"
[ $rc = 1 ] || fail "a mismatch must give exit status 1 (got $rc)"
judge json "$T/r2"
expect "$T/r2.norm" "sip:127.0.0.1:$KP_UDP" tag.result=response_code_mismatch field.result_code=1 \
  tag.status_code=200 field.response_code_match=0
expect "$T/r2.norm" "sip:nobody@127.0.0.1:$KP_UDP;transport=tcp" tag.result=success tag.status_code=404 \
  "tag.reason=Not Found" field.response_code_match=1
run_plain "$T/r3" -t 5s "sip:nobody@[::1]:$KP_UDP"
judge influx "$T/r3"
expect "$T/r3.norm" "sip:nobody@[::1]:$KP_UDP" tag.result=error_response field.result_code=11 tag.status_code=404 \
  field.response_code_match=0

# ---- refused, timeout, parse errors (no response: no status, no time) ----
run_check "$T/r4" -t 1500ms -f prometheus "sip:127.0.0.1:$CLOSED;transport=tcp" "sip:127.0.0.1:$CLOSED" \
  "sip:127.0.0.1:$SILENT" "sip:bad:uri" "http://example.com" "sip:[::1]:$CLOSED;transport=ws"
[ $rc = 1 ] || fail "failures must give exit status 1 (got $rc)"
judge prometheus "$T/r4"
expect "$T/r4.norm" "sip:127.0.0.1:$CLOSED;transport=tcp" tag.result=connection_refused field.result_code=3 \
  tag.status_code! field.response_time! tag.transport=tcp
expect "$T/r4.norm" "sip:127.0.0.1:$CLOSED" tag.result=connection_refused field.result_code=3
expect "$T/r4.norm" "sip:[::1]:$CLOSED;transport=ws" tag.result=connection_refused
expect "$T/r4.norm" "sip:127.0.0.1:$SILENT" tag.result=timeout field.result_code=2 tag.status_code! \
  field.response_time! field.response_code_match! "tag.sip_uri=sip:telegraf@127.0.0.1:$SILENT"
expect "$T/r4.norm" "sip:bad:uri" tag.result=parse_error field.result_code=6 tag.method=OPTIONS tag.transport! \
  tag.sip_uri!
expect "$T/r4.norm" "http://example.com" tag.result=parse_error
# the silent server saw the request retransmitted (UDP, T1 = 500 ms doubling)
n=$(grep -c '"first": "OPTIONS' "$T/responder-$SILENT.log")
[ "$n" -ge 2 ] || fail "no retransmission over UDP in 1.5 s (saw $n copies)"

# ---- digest authentication: 401 (alice, UDP) and 407 (bob, TCP) ----
printf 'wonderland\n' >"$T/alice.pw"
printf 'builder' >"$T/bob.pw"
A="sip:alice@127.0.0.1:$KP_UDP"
B="sip:bob@127.0.0.1:$KP_UDP;transport=tcp"
run_check "$T/a1" -t 5s "$A" "$B"
judge influx "$T/a1"
expect "$T/a1.norm" "$A" tag.result=auth_required field.result_code=12 tag.status_code=401 tag.reason=Unauthorized \
  field.response_time'>0' field.response_code_match!
expect "$T/a1.norm" "$B" tag.result=auth_required tag.status_code=407
run_check "$T/a2" -t 5s -u alice --password-file "$T/alice.pw" -vv "$A"
[ $rc = 0 ] || { cat "$T/a2.err" >&2; fail "alice with the right password (exit $rc)"; }
judge influx "$T/a2"
expect "$T/a2.norm" "$A" tag.result=success tag.status_code=200
run_check "$T/a3" -t 5s -u bob --password-file "$T/bob.pw" -f json "$B"
judge json "$T/a3"
expect "$T/a3.norm" "$B" tag.result=success tag.status_code=200 tag.transport=tcp
run_check "$T/a4" -t 5s -u alice --password 'Wr0ng pass' -vv "$A" "sips:bob@127.0.0.1:$KP_TLS" "$CA"
judge influx "$T/a4"
expect "$T/a4.norm" "$A" tag.result=auth_failed field.result_code=13 tag.status_code=401
expect "$T/a4.norm" "sips:bob@127.0.0.1:$KP_TLS" tag.result=auth_failed tag.status_code=407 tag.transport=tls
# the password is in no output, no log line (even -vv), no tag
for f in "$T/a2" "$T/a2.err" "$T/a4" "$T/a4.err"; do
  grep -q 'wonderland\|Wr0ng' "$f" && fail "a password leaked into $f"
done
run_plain "$T/a5" -u alice --password-file "$T/does-not-exist" "$A"
[ $rc = 2 ] || fail "an unreadable --password-file is a usage error (got $rc)"

# ---- TLS options ----
run_check "$T/t1" -t 5s "sips:127.0.0.1:$KP_TLS"
judge influx "$T/t1"
expect "$T/t1.norm" "sips:127.0.0.1:$KP_TLS" tag.result=connection_failed field.result_code=4
run_check "$T/t2" -t 5s --insecure-skip-verify "sips:127.0.0.1:$KP_TLS" "sip:127.0.0.1:$KP_WSS;transport=wss"
[ $rc = 0 ] || fail "--insecure-skip-verify must accept the self-signed certificate"
run_plain "$T/t3" -t 5s "$CA" --tls-server-name wrong.example "sips:127.0.0.1:$KP_TLS"
judge influx "$T/t3"
expect "$T/t3.norm" "sips:127.0.0.1:$KP_TLS" tag.result=connection_failed
run_check "$T/t4" -t 5s "$CA" --tls-server-name localhost --tls-min-version TLS13 "sips:127.0.0.1:$KP_TLS"
[ $rc = 0 ] || { cat "$T/t4.err" >&2; fail "TLS 1.3 with --tls-server-name localhost"; }
run_plain "$T/t5" -t 5s "$CA" --tls-max-version TLS12 "sips:[::1]:$KP_TLS"
[ $rc = 0 ] || fail "TLS 1.2"
run_plain "$T/t6" "$CA" --tls-min-version TLS13 --tls-max-version TLS12 "sips:[::1]:$KP_TLS"
[ $rc = 2 ] || fail "min above max is a usage error (got $rc)"

# ---- a client certificate (--tls-cert, --tls-key) and the version bounds,
# against openssl s_server: it demands a certificate signed by the test's
# client CA (-Verify 1 -verify_return_error), speaks only TLS 1.2, and
# prints what it reads (it never answers: a timeout is a good handshake).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ckey.pem" -out "$T/ccert.pem" -days 2 \
  -subj "/CN=sipflow-check-client" >/dev/null 2>&1 || fail "openssl cannot make a client certificate"
P_SRV=$(free_ports 1)
mkfifo "$T/srv.in"
exec 9<>"$T/srv.in"     # s_server's stdin stays open: at EOF it would drop the client
openssl s_server -accept "127.0.0.1:$P_SRV" -cert "$T/cert.pem" -key "$T/key.pem" -Verify 1 \
  -CAfile "$T/ccert.pem" -verify_return_error -tls1_2 <&9 >"$T/srv.out" 2>"$T/srv.err" &
track $!
i=0; while ! grep -q '^ACCEPT' "$T/srv.out" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && fail "openssl s_server did not start: $(cat "$T/srv.err")"; sleep 0.05
done
S="sips:127.0.0.1:$P_SRV"
run_check "$T/c1" -t 4s "$CA" --tls-cert "$T/ccert.pem" --tls-key "$T/ckey.pem" "$S"
judge influx "$T/c1"
expect "$T/c1.norm" "$S" tag.result=timeout
run_plain "$T/c2" -t 1s "$CA" "$S"
judge influx "$T/c2"
expect "$T/c2.norm" "$S" tag.result=connection_failed
run_plain "$T/c3" -t 1s "$CA" --tls-cert "$T/ccert.pem" --tls-key "$T/ckey.pem" --tls-min-version TLS13 "$S"
judge influx "$T/c3"
expect "$T/c3.norm" "$S" tag.result=connection_failed
i=0; while ! grep -q "^OPTIONS sips:" "$T/srv.out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(grep -c "^OPTIONS sips:telegraf@127.0.0.1:$P_SRV SIP/2.0" "$T/srv.out")" = 1 ] ||
  fail "s_server should have read one OPTIONS, over the handshake with the client certificate"
grep -q "subject=CN *= *sipflow-check-client" "$T/srv.out" || fail "s_server saw no client certificate"
grep -q "did not return a certificate" "$T/srv.err" || fail "s_server should have refused the client without one"
grep -q "unsupported protocol" "$T/srv.err" || fail "TLS 1.3 only should not reach a TLS 1.2 server"
exec 9>&-

# ---- usage errors ----
for bad in "-m REGISTER" "-f xml" "-t soon" "--expect-code 42" "--local-address nowhere" "--dns-server x"; do
  # shellcheck disable=SC2086
  run_plain "$T/u" $bad "sip:127.0.0.1:$KP_UDP"
  [ $rc = 2 ] || fail "'$bad' must be a usage error (got $rc)"
done
run_check "$T/u"
[ $rc = 2 ] || fail "no URI must be a usage error"
echo "check_kamailio: all rows as expected"
