# test/export-net.sh: helpers for the export tests that run real collectors
# on loopback (sourced after lib.sh).  Peers run in the background of the
# test and are stopped by their pid; ports are chosen free at run time.

# free_port udp|tcp ADDR: a port nobody uses on ADDR right now
free_port() {
  python3 -c 'import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind((sys.argv[2], 0))
print(s.getsockname()[1])' "$1" "$2"
}

# have_ipv6: TRUE when ::1 can be used
have_ipv6() {
  python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null
}

# wait_port udp|tcp PORT: wait (at most 10 s) until something listens on PORT
wait_port() {
  _opt=-Hlnu
  [ "$1" = tcp ] && _opt=-Hlnt
  _i=0
  while [ $_i -lt 100 ]; do
    [ -n "$(ss $_opt "sport = :$2" 2>/dev/null)" ] && return 0
    sleep 0.1
    _i=$((_i + 1))
  done
  return 1
}

# stop PID [SIGNAL]: signal a peer and wait for it (at most 10 s, then KILL)
stop() {
  kill -"${2:-TERM}" "$1" 2>/dev/null || return 0
  _i=0
  while kill -0 "$1" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# PEERS: pids to stop when the test ends, whatever happens
PEERS=""
trap 'for p in $PEERS; do kill -KILL $p 2>/dev/null; done; rm -rf "$T"' EXIT

# nfacctd_start NAME ADDR PORT: an nfacctd (pmacct) writing JSON lines of
# every SIP primitive to $T/NAME.json; sets NFACCTD_PID.  The primitives
# are our element table (export_elements pmacct).
nfacctd_start() {
  "$top_builddir/test/export_elements" pmacct >"$T/primitives.lst"
  _prims=$(awk '{ sub("name=", "", $1); printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$T/primitives.lst")
  cat >"$T/$1.conf" <<EOF
daemonize: false
logfile: $T/$1.log
nfacctd_ip: $2
nfacctd_port: $3
aggregate_primitives: $T/primitives.lst
plugins: print[sip]
aggregate[sip]: src_host, dst_host, src_port, dst_port, proto, $_prims
print_output[sip]: json
print_output_file[sip]: $T/$1.json
print_output_file_append[sip]: true
print_refresh_time[sip]: 1
EOF
  : >"$T/$1.json"
  nfacctd -f "$T/$1.conf" >"$T/$1.out" 2>&1 &
  NFACCTD_PID=$!
  PEERS="$PEERS $NFACCTD_PID"
  wait_port udp "$3" || fail "nfacctd did not start: $(cat "$T/$1.out" "$T/$1.log" 2>/dev/null | tail -5)"
}

# the SIP primitives, for export_judge.py --prims
sip_prims() {
  awk '{ sub("name=", "", $1); printf "%s%s", (NR > 1 ? "," : ""), $1 }' "$T/primitives.lst"
}
