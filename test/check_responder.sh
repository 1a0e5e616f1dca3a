#!/bin/sh
# check_responder.sh: sipflow-check against a scripted server, for what a
# real server does not show on demand: reason phrases and Server headers
# full of spaces, commas, quotes, equals and backslashes (escaping in every
# format); UDP retransmission timing (RFC 3261 17.1.2.2: T1 = 500 ms
# doubling); stray responses; a stale nonce; SHA-512-256 and several
# challenges (RFC 8760); unsupported challenges; a TCP peer that closes or
# talks nonsense; and the network errors a private network namespace gives.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/check_lib.sh"

set -- $(free_ports 10)
P_ODD=$1 P_DROP=$2 P_STRAY=$3 P_STALE=$4 P_WRONG=$5 P_MULTI=$6 P_SHA1=$7 P_CLOSE=$8 P_JUNK=$9 P_HDR=${10}
REASON='Ok, "quoted" = fine\ really'
AGENT='Acme PBX, v="1.0" \ build=7 \'
start_responder reply "$P_ODD" --reason "$REASON" --server "$AGENT"
start_responder drop "$P_DROP" --drop 3
start_responder strays "$P_STRAY"
start_responder digest "$P_STALE" --algorithms SHA-512-256 --password 's3cret pw' --stale-once
start_responder digest "$P_WRONG" --algorithms SHA-256 --password 'right'
start_responder digest "$P_MULTI" --algorithms SHA-512-256,MD5 --password 'multi'
start_responder digest "$P_SHA1" --algorithms SHA-1
start_responder reply "$P_HDR"
start_responder tcp-close "$P_CLOSE"
start_responder tcp-garbage "$P_JUNK"

# ---- escaping: what the judge reads back must be exactly what was sent ----
U="sip:127.0.0.1:$P_ODD"
for fmt in influx json prometheus; do
  run=run_plain; [ $fmt = influx ] && run=run_check
  $run "$T/odd.$fmt" -t 3s -f $fmt "$U"
  judge $fmt "$T/odd.$fmt"
  expect "$T/odd.$fmt.norm" "$U" "tag.reason=$REASON" "tag.server_agent=$AGENT" tag.result=success
done
grep -q '"' "$T/odd.influx" || fail "no quotes in the influx line?"

# ---- --output: influx appends; prometheus replaces the file each round ----
run_plain "$T/o1" -t 3s -f json -o "$T/out.json" --count 2 --interval 200ms "$U"
run_plain "$T/o2" -t 3s -f json -o "$T/out.json" "$U"
[ ! -s "$T/o1" ] && [ ! -s "$T/o2" ] || fail "--output must leave stdout empty"
judge json "$T/out.json"
[ "$($JUDGE count "$T/out.json.norm")" = 3 ] || fail "--output must append (3 rows expected)"
run_plain "$T/o3" -t 3s -f prometheus -o "$T/out.prom" --count 3 --interval 200ms "$U" "sip:127.0.0.1:$P_STRAY"
judge prometheus "$T/out.prom"
[ "$(grep -c '^sip_result_code{' "$T/out.prom")" = 2 ] || fail "the .prom file must hold one round"
[ ! -e "$T/out.prom.tmp" ] || fail "the temporary .prom file was left behind"

# ---- SIGTERM: the rounds under way finish, results are printed, exit 0 ----
$CHECK -t 3s --interval 200ms "$U" >"$T/term" 2>"$T/term.err" &
PID=$!
track $PID
# wait for two rounds (not a fixed time: under valgrind on a busy machine the
# start alone can take seconds, and a signal before the handler is set kills)
i=0
while [ "$(grep -c . "$T/term" 2>/dev/null)" -lt 2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $PID
wait $PID; st=$?
[ $st = 0 ] || { cat "$T/term.err" >&2; fail "SIGTERM: exit status $st"; }
judge influx "$T/term"
n=$($JUDGE count "$T/term.norm")
[ "$n" -ge 2 ] || fail "SIGTERM: only $n rounds printed"
expect "$T/term.norm" "$U" tag.result=success

# ---- retransmissions: 3 copies lost, the 4th answered ----
run_check "$T/drop" -t 8s "sip:127.0.0.1:$P_DROP"
judge influx "$T/drop"
expect "$T/drop.norm" "sip:127.0.0.1:$P_DROP" tag.result=success
$PY - "$T/responder-$P_DROP.log" <<'PYEOF' || fail "retransmission timing is not T1 doubling"
import json, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1]) if l.startswith("{")]
gaps = [b - a for a, b in zip(t, t[1:])]
print("retransmission gaps (s):", " ".join("%.3f" % g for g in gaps))
want = [0.5, 1.0, 2.0]   # RFC 3261 17.1.2.2, Timer E from T1
assert len(gaps) == 3, gaps
for g, w in zip(gaps, want):
    assert abs(g - w) < 0.25 + 0.2 * w, (g, w)
PYEOF
# the same request each time (same branch and Call-ID)
[ "$($PY -c 'import json,sys; print(len({(d["branch"], d["call_id"]) for d in map(json.loads, [l for l in open(sys.argv[1]) if l.startswith("{")])}))' "$T/responder-$P_DROP.log")" = 1 ] ||
  fail "retransmissions must repeat the same transaction"

# ---- strays: another branch, another Call-ID, junk, then the answer ----
run_check "$T/stray" -t 3s -f json "sip:127.0.0.1:$P_STRAY"
judge json "$T/stray"
expect "$T/stray.norm" "sip:127.0.0.1:$P_STRAY" tag.result=success tag.status_code=200 tag.reason=OK

# ---- --from-user, --from-domain, --to-user, --user-agent: Telegraf's
# from_user (default "telegraf"), from_domain (default: the server host),
# to_user (default: from_user) and the User-Agent, as Telegraf's sip.go
# builds them: Request-URI and To sip:TO_USER@HOST:PORT, From
# sip:FROM_USER@FROM_DOMAIN.  The responder logs what it received.
run_check "$T/hdr1" -t 3s "sip:127.0.0.1:$P_HDR"
run_plain "$T/hdr2" -t 3s --from-user mon --from-domain example.org --to-user echo \
  --user-agent 'Probe/1 (a; b)' "sip:127.0.0.1:$P_HDR"
for r in hdr1 hdr2; do
  judge influx "$T/$r"
  expect "$T/$r.norm" "sip:127.0.0.1:$P_HDR" tag.result=success
done
expect "$T/hdr2.norm" "sip:127.0.0.1:$P_HDR" "tag.sip_uri=sip:echo@127.0.0.1:$P_HDR"
$PY - "$T/responder-$P_HDR.log" "$P_HDR" <<'PYEOF' || fail "From, To, Request-URI or User-Agent wrong"
import json, re, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
port = sys.argv[2]
def uri(v):
    m = re.match(r'\s*(?:"[^"]*"\s*)?<([^>]*)>', v or "")
    return m.group(1) if m else None
assert len(reqs) == 2, reqs
d, o = reqs
assert d["first"] == "OPTIONS sip:telegraf@127.0.0.1:%s SIP/2.0" % port, d
assert uri(d["from"]) == "sip:telegraf@127.0.0.1", d
assert uri(d["to"]) == "sip:telegraf@127.0.0.1:%s" % port, d
assert o["first"] == "OPTIONS sip:echo@127.0.0.1:%s SIP/2.0" % port, o
assert uri(o["from"]) == "sip:mon@example.org", o
assert re.search(r";tag=[^;]+", o["from"]), o
assert uri(o["to"]) == "sip:echo@127.0.0.1:%s" % port, o
assert o["user_agent"] == "Probe/1 (a; b)", o
print("headers: defaults and --from-user/--from-domain/--to-user/--user-agent as Telegraf builds them")
PYEOF

# ---- digest ----
printf 's3cret pw\n' >"$T/pw"
run_check "$T/stale" -t 3s -u tester --password-file "$T/pw" "sip:127.0.0.1:$P_STALE"
judge influx "$T/stale"
expect "$T/stale.norm" "sip:127.0.0.1:$P_STALE" tag.result=success
$PY - "$T/responder-$P_STALE.log" <<'PYEOF' || fail "stale nonce handling"
import json, re, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
auths = [r["authorization"] for r in reqs if r["authorization"]]
assert len(reqs) == 3 and len(auths) == 2, reqs
nonces = [re.search(r'nonce="([^"]+)"', a).group(1) for a in auths]
assert nonces[0] != nonces[1], nonces
for a in auths:
    assert "algorithm=SHA-512-256" in a and "qop=auth" in a and "nc=00000001" in a and 'cnonce="' in a, a
PYEOF
run_check "$T/wrong" -t 3s -u tester --password 'wrong' "sip:127.0.0.1:$P_WRONG" "sip:127.0.0.1:$P_SHA1"
judge influx "$T/wrong"
expect "$T/wrong.norm" "sip:127.0.0.1:$P_WRONG" tag.result=auth_failed field.result_code=13
expect "$T/wrong.norm" "sip:127.0.0.1:$P_SHA1" tag.result=auth_error field.result_code=14
run_plain "$T/right" -t 3s -u tester --password 'right' "sip:127.0.0.1:$P_WRONG"
[ $rc = 0 ] || fail "SHA-256 with the right password"
run_plain "$T/multi" -t 3s -u tester --password 'multi' "sip:127.0.0.1:$P_MULTI"
[ $rc = 0 ] || fail "several challenges"
grep -q 'algorithm=SHA-512-256' "$T/responder-$P_MULTI.log" || fail "the topmost challenge (SHA-512-256) must be used"
mkdir "$T/pwdir"
run_plain "$T/pwdir.out" -t 3s -u tester --password-file "$T/pwdir" "sip:127.0.0.1:$P_MULTI"
judge influx "$T/pwdir.out"
expect "$T/pwdir.out.norm" "sip:127.0.0.1:$P_MULTI" tag.result=auth_error
for f in "$T/stale" "$T/stale.err" "$T/wrong" "$T/wrong.err"; do
  grep -q 's3cret\|wrong' "$f" && fail "a password leaked into $f"
done

# ---- TCP peers that do not answer SIP ----
run_check "$T/tcp" -t 3s "sip:127.0.0.1:$P_CLOSE;transport=tcp" "sip:127.0.0.1:$P_JUNK;transport=tcp" \
  --local-address 192.0.2.1 "sip:127.0.0.1:$P_ODD" --local-address 127.0.0.1
# (the last --local-address wins: 127.0.0.1 works)
judge influx "$T/tcp"
expect "$T/tcp.norm" "sip:127.0.0.1:$P_CLOSE;transport=tcp" tag.result=no_response field.result_code=5
expect "$T/tcp.norm" "sip:127.0.0.1:$P_JUNK;transport=tcp" tag.result=transaction_error field.result_code=8
expect "$T/tcp.norm" "sip:127.0.0.1:$P_ODD" tag.result=success
run_plain "$T/bind" -t 3s --local-address 192.0.2.1 "sip:127.0.0.1:$P_ODD"
judge influx "$T/bind"
expect "$T/bind.norm" "sip:127.0.0.1:$P_ODD" tag.result=request_error field.result_code=7

# ---- no route, network unreachable: a network namespace with only lo ----
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
   unshare -n true 2>/dev/null; then
  unshare -n sh -c 'ip link set lo up && ip route add unreachable 198.51.100.0/24 && exec "$@"' sh \
    $CHECK -t 2s "sip:198.51.100.1:5060;transport=tcp" sip:198.51.100.2 sip:203.0.113.1 "sip:[2001:db8::1]" \
    >"$T/net" 2>"$T/net.err"
  [ $? = 99 ] && fail "valgrind errors in the namespace run"
  judge influx "$T/net"
  expect "$T/net.norm" "sip:198.51.100.1:5060;transport=tcp" tag.result=no_route field.result_code=9
  expect "$T/net.norm" "sip:198.51.100.2" tag.result=no_route
  expect "$T/net.norm" "sip:203.0.113.1" tag.result=network_unreachable field.result_code=10
  expect "$T/net.norm" "sip:[2001:db8::1]" tag.result=network_unreachable
else
  echo "note: no_route/network_unreachable not checked (needs root and unshare -n)"
fi
echo "check_responder: all rows as expected"
