#!/bin/sh
# check_srv.sh: RFC 3263 server location through SRV records that dnsmasq
# serves on loopback (--dns-server).  A sip: URI without port or transport
# asks _sip._udp, _sip._tcp and _sips._tcp and takes the first service that
# has records; sips: asks only _sips._tcp; a port skips SRV; SRV priority is
# honoured and an unreachable target falls over to the next (RFC 3263 4.3);
# an unknown name is connection_failed.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/check_lib.sh"
need dnsmasq
command -v dnsmasq >/dev/null 2>&1 || skip "dnsmasq is not installed"

start_kamailio
set -- $(free_ports 3)
DNSP=$1 CLOSED=$2 SILENT=$3
start_responder silent "$SILENT"
D=sipflow.test
dnsmasq -k --conf-file=/dev/null --port="$DNSP" --listen-address=127.0.0.1 --bind-interfaces \
  --no-resolv --no-hosts --local=/$D/ --pid-file="$T/dnsmasq.pid" --log-queries --log-facility="$T/dns.log" \
  --host-record=sip1.$D,127.0.0.1,::1 --host-record=plain.$D,127.0.0.1 \
  --srv-host=_sip._udp.udp.$D,sip1.$D,"$KP_UDP",10,10 \
  --srv-host=_sip._tcp.tcponly.$D,sip1.$D,"$KP_UDP",10,10 \
  --srv-host=_sips._tcp.secure.$D,sip1.$D,"$KP_TLS",10,10 \
  --srv-host=_sip._udp.prio.$D,sip1.$D,"$SILENT",20,10 \
  --srv-host=_sip._udp.prio.$D,sip1.$D,"$KP_UDP",10,10 \
  --srv-host=_sip._tcp.failover.$D,sip1.$D,"$CLOSED",10,10 \
  --srv-host=_sip._tcp.failover.$D,sip1.$D,"$KP_UDP",20,10 \
  >"$T/dnsmasq.out" 2>&1 &
track $!
i=0; while ! grep -q "started" "$T/dns.log" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

DNS="--dns-server=127.0.0.1:$DNSP"
run_check "$T/srv" -t 4s "$DNS" --tls-ca="$T/cert.pem" --tls-server-name=localhost -f json \
  "sip:udp.$D" "sip:tcponly.$D" "sips:secure.$D" "sip:prio.$D" "sip:failover.$D;transport=tcp" \
  "sip:plain.$D:$KP_UDP" "sip:missing.$D" "sip:alice@udp.$D"
judge json "$T/srv"
expect "$T/srv.norm" "sip:udp.$D" tag.result=success tag.transport=udp "tag.sip_uri=sip:telegraf@udp.$D"
expect "$T/srv.norm" "sip:tcponly.$D" tag.result=success tag.transport=tcp
expect "$T/srv.norm" "sips:secure.$D" tag.result=success tag.transport=tls "tag.sip_uri=sips:telegraf@secure.$D"
expect "$T/srv.norm" "sip:prio.$D" tag.result=success
expect "$T/srv.norm" "sip:failover.$D;transport=tcp" tag.result=success tag.transport=tcp
expect "$T/srv.norm" "sip:plain.$D:$KP_UDP" tag.result=success
expect "$T/srv.norm" "sip:missing.$D" tag.result=connection_failed field.result_code=4
expect "$T/srv.norm" "sip:alice@udp.$D" tag.result=auth_required
# the questions dnsmasq was asked
q() { grep -c "query\[$1\] $2 from" "$T/dns.log"; }
for s in _sip._udp _sip._tcp _sips._tcp; do
  [ "$(q SRV $s.udp.$D)" -ge 1 ] || fail "sip:udp.$D did not ask $s (RFC 3263 4.1)"
done
[ "$(q SRV _sips._tcp.secure.$D)" -ge 1 ] || fail "sips: did not ask _sips._tcp"
[ "$(q SRV _sip._udp.secure.$D)" = 0 ] || fail "sips: must not ask _sip._udp"
[ "$(q SRV _sip._udp.failover.$D)" = 0 ] || fail ";transport=tcp must ask only _sip._tcp"
[ "$(q SRV _sip._udp.plain.$D)" = 0 ] || fail "a URI with a port must not ask SRV"
[ "$(q A plain.$D)" -ge 1 ] || fail "no A question for plain.$D"
# no port and no SRV records: A/AAAA of the host itself, after the three
# SRV questions (RFC 3263 4.2; the result depends on what, if anything,
# listens on 127.0.0.1:5060 here, so only the questions are judged)
n0=$(wc -l <"$T/dns.log")
run_plain "$T/aonly" -t 2s "$DNS" "sip:plain.$D"
judge influx "$T/aonly"
expect "$T/aonly.norm" "sip:plain.$D" tag.transport=udp
tail -n +$((n0 + 1)) "$T/dns.log" | grep -o "query\[[A-Z]*\] [^ ]*plain\.$D" | sed 's/query\[\([A-Z]*\)\] /\1 /' >"$T/aonly.q"
$PY - "$T/aonly.q" "$D" <<'PYEOF' || fail "sip:plain.$D: not SRV first, then A/AAAA (RFC 3263)"
import sys
q = [l.split() for l in open(sys.argv[1])]
d = sys.argv[2]
srv = [n for t, n in q if t == "SRV"]
assert set(srv) == {"_sip._udp.plain." + d, "_sip._tcp.plain." + d, "_sips._tcp.plain." + d}, q
last_srv = max(i for i, (t, n) in enumerate(q) if t == "SRV")
addr = [i for i, (t, n) in enumerate(q) if t in ("A", "AAAA") and n == "plain." + d]
assert addr and min(addr) > last_srv, q
PYEOF
# a second round: records with TTL 0 are asked again, and still work
run_plain "$T/srv2" -t 4s "$DNS" --count 2 --interval 300ms "sip:udp.$D"
judge influx "$T/srv2"
[ "$($JUDGE count "$T/srv2.norm")" = 2 ] || fail "two rounds, two rows"
expect "$T/srv2.norm" "sip:udp.$D" tag.result=success
# no DNS server at all: connection_failed, quickly
run_plain "$T/nodns" -t 4s --dns-server="127.0.0.1:$CLOSED" "sip:udp.$D"
judge influx "$T/nodns"
expect "$T/nodns.norm" "sip:udp.$D" tag.result=connection_failed
echo "check_srv: RFC 3263 location as expected"
