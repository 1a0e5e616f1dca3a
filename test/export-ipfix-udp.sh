#!/bin/sh
# export-ipfix-udp: -n udp:// to real nfacctd (pmacct) collectors on
# loopback, judged on their JSON output; template refresh for a collector
# that starts after the export began.
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/export-net.sh"
need python3
need nfacctd
need ss
GEN="$SF_VG $top_builddir/test/export_gen"
JUDGE="python3 $top_srcdir/test/export_judge.py"

# 1. the hand-made records to two destinations at once (IPv4, and IPv6 when
#    the host has it): each gets every record, over its own session
P4=$(free_port udp 127.0.0.1)
nfacctd_start nf4 127.0.0.1 "$P4"
pid4=$NFACCTD_PID
dests="-n udp://127.0.0.1:$P4"
if have_ipv6; then
  P6=$(free_port udp ::1)
  nfacctd_start nf6 ::1 "$P6"
  pid6=$NFACCTD_PID
  dests="$dests -n udp://[::1]:$P6"
else
  echo "note: no IPv6 on this host: udp://[::1] is not tested" >&2
fi
# shellcheck disable=SC2086
$GEN --set fixed $dests --stats "$T/st1" || fail "export_gen failed"
sleep 1
stop "$pid4" INT
$JUDGE nfacctd "$T/nf4.json" fixed --prims "$(sip_prims)" || fail "nfacctd (IPv4) disagrees"
if [ -n "${pid6:-}" ]; then
  stop "$pid6" INT
  $JUDGE nfacctd "$T/nf6.json" fixed --prims "$(sip_prims)" || fail "nfacctd (IPv6) disagrees"
  [ "$(json_get "$T/st1" 1.records_sent)" = 4 ] || fail "the IPv6 destination did not send 4 records"
fi
[ "$(json_get "$T/st1" 0.records_sent)" = 4 ] || fail "stats: records_sent"
[ "$(json_get "$T/st1" 0.messages)" = 2 ] || fail "stats: 4 records need 2 messages of 1400 bytes"

# 2. template refresh: 10 records are sent (and lost) before the collector
#    exists; it starts, the exporter keeps ticking (capture time moves 1 s
#    per 100 ms, templates every 2 s of capture time), then 10 more records.
#    The collector can decode those only from a refreshed template.
refresh_run() {   # NAME REFRESH
  P=$(free_port udp 127.0.0.1)
  rm -f "$T/paused" "$T/go"
  $GEN --set gen --count 20 --before 10 --emit-before --marker "$T/paused" --go "$T/go" --settle 1 \
    --refresh "$2" -n "udp://127.0.0.1:$P" --stats "$T/$1.stats" &
  gpid=$!
  PEERS="$PEERS $gpid"
  i=0
  while [ ! -f "$T/paused" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  nfacctd_start "$1" 127.0.0.1 "$P"
  touch "$T/go"
  wait "$gpid" || fail "export_gen failed"
  sleep 1
  stop "$NFACCTD_PID" INT
}
refresh_run refresh 2
$JUDGE nfacctd "$T/refresh.json" gen:10-20 --prims "$(sip_prims)" ||
  fail "records sent after a template refresh were not decoded"
[ "$(json_get "$T/refresh.stats" 0.templates_sent)" -ge 3 ] || fail "templates were not refreshed"
# the control: without a refresh during the run the same collector decodes nothing
refresh_run norefresh 86400
[ ! -s "$T/norefresh.json" ] || fail "the control run should decode nothing: the test cannot tell"
echo "ok: UDP export judged by nfacctd"
