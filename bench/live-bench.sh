#!/bin/sh
# bench/live-bench.sh: can sipflow keep up with a live interface (issue 7,
# "Live capture")?  `make bench-live` runs it; it is never part of make check
# and asserts nothing.  See bench/README.md, section "Live capture".
#
# For each call rate, on the loopback interface:
#   1. sipflow -i lo -f "udp port UAS" -n file:/dev/null --stats FILE starts;
#   2. a sipp UAS (`sipp -sn uas`) answers on 127.0.0.1:UAS;
#   3. a sipp UAC (`sipp -sn uac -r RATE -m N`) runs in the foreground: N calls
#      (RATE x $SF_LIVE_SECONDS), each INVITE 180 200 ACK BYE 200;
#   4. once sipflow has read everything the kernel handed it (its packet count,
#      polled with SIGUSR1, stands still), sipflow is stopped with SIGINT and
#      the UAS by its pid; sipflow's --stats file is read after it exits.
# It prints, per rate: the rate sipp reached (calls placed over the time it
# took to place them, from its -trace_stat dumps), its calls, the SIP messages
# sipflow counted, the kernel's received and dropped counts (pcap_stats), the
# records exported, sipflow's CPU use (its CPU time from /proc/PID/schedstat,
# sampled every 50 ms, over sipp's placing time) and its CPU time per SIP
# message, and the CPU of the two sipp processes, which compete with sipflow
# for the same cores.  Then the
# highest rate at which the kernel dropped nothing.
#
# It stops early once sipp reaches less than 90% of the rate asked for: a
# higher rate would not load sipflow more.
#
# Environment:
#   SIPFLOW              the program (make bench-live sets it)
#   SF_LIVE_RATES        call rates, calls/s (default "100 300 1000 3000 10000 30000")
#   SF_LIVE_SECONDS      seconds of calls per rate (default 5; at least 200 calls)
#   SF_LIVE_BUFFER       sipflow -B, kernel buffer in MiB (default: sipflow's, 64)
#   SF_LIVE_IMMEDIATE=1  run sipflow with --immediate
#   SF_LIVE_KEEP=1       keep the work directory (sipp's and sipflow's outputs)
# Skips (exit 0, saying why) unless run as root with sipp (Debian package
# sip-tester) and python3 installed.
set -u
: "${SIPFLOW:?}"
RATES=${SF_LIVE_RATES:-100 300 1000 3000 10000 30000}
SECS=${SF_LIVE_SECONDS:-5}
BUFFER=${SF_LIVE_BUFFER:-}
IMMEDIATE=${SF_LIVE_IMMEDIATE:-0}
KEEP=${SF_LIVE_KEEP:-0}

say() { printf '%s\n' "$*"; }
skip() { say "live-bench: skipped: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "capturing on lo needs root (run: sudo make bench-live)"
command -v sipp >/dev/null 2>&1 || skip "sipp is not installed (Debian package sip-tester)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (it reads the JSON and CSV statistics)"
[ -r /proc/self/stat ] || skip "no /proc to read CPU times from"
[ -x "$SIPFLOW" ] || { say "live-bench: $SIPFLOW is not built" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/sipflow-live.XXXXXX") || exit 1
SF_PID="" UAS_PID="" UAC_PID="" SAMPLER_PID=""
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  for p in $UAC_PID $SAMPLER_PID $UAS_PID $SF_PID; do kill -KILL "$p" 2>/dev/null; done
  if [ "$KEEP" = 1 ]; then say "live-bench: kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free UDP ports on 127.0.0.1: the UAS, the UAC, and a media base for each
# (sipp binds its RTP echo ports even when the scenario has no media)
PORTS=$(python3 - <<'EOF'
import socket
held, out = [], []
while len(out) < 4:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    base = s.getsockname()[1]
    try:
        for i in range(1, 4):
            t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            t.bind(("127.0.0.1", base + i))
            held.append(t)
    except OSError:
        continue
    held.append(s)
    out.append(base)
print(*out)
EOF
) || exit 1
# shellcheck disable=SC2086
set -- $PORTS
P_UAS=$1 P_UAC=$2 MP_UAS=$3 MP_UAC=$4

# the CPU sampler: every 50 ms, one line "epoch sipflow uas uac" of the CPU
# time (ns) each has used: the first field of /proc/PID/schedstat (exact),
# else utime+stime of /proc/PID/stat; uac counts once $W/uac.pid names it, and
# a process that has exited keeps its last value.
# It runs until stopped, and costs far less than a shell loop's forks.
cat >"$W/sampler.py" <<'EOF'
import os, sys, time
out, pidfile, pids = sys.argv[1], sys.argv[2], sys.argv[3:]
tck = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    try:
        with open("/proc/%s/schedstat" % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/%s/stat" % pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
        return (int(v[11]) + int(v[12])) * 10**9 // tck
    except (OSError, ValueError, IndexError):
        return None
last = [0, 0, 0]
with open(out, "w", buffering=1) as f:
    while True:
        if len(pids) < 3 and os.path.exists(pidfile):
            pids.append(open(pidfile).read().strip())
        for i, p in enumerate(pids):
            v = cpu(p)
            last[i] = v if v is not None else last[i]   # a process gone keeps its last value
        f.write("%.6f %d %d %d\n" % (time.time(), *last))
        time.sleep(0.05)
EOF
# rcvbuf_errors: UDP datagrams the kernel dropped because a socket's receive
# buffer was full (RcvbufErrors of /proc/net/snmp, all sockets): sipp's losses
rcvbuf_errors() {
  awk '$1 == "Udp:" { if (!c) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i } else { print $c; exit } }' \
    /proc/net/snmp 2>/dev/null
}
# wait_udp PORT: wait (5 s at most) for a socket bound to UDP PORT
wait_udp() {
  _hex=$(printf ':%04X' "$1")
  _i=0
  while [ $_i -lt 50 ]; do
    awk -v p="$_hex" 'index($2, p) && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
      /proc/net/udp && return 0
    sleep 0.1
    _i=$((_i + 1))
  done
  return 1
}
# wait_line FILE TEXT: wait (10 s at most) for TEXT in FILE
wait_line() {
  _i=0
  while ! grep -q "$2" "$1" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
  grep -q "$2" "$1" 2>/dev/null
}
# packets FILE: capture.packets of a --stats file, or -1 while there is none
packets() {
  python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["capture"]["packets"])
except Exception: print(-1)' "$1"
}
# drained STATS: poll sipflow with SIGUSR1 until its packet count has stood
# still for 3 polls (0.3 s: 3 times its 100 ms read timeout), 30 s at most
drained() {
  _last=-2 _same=0 _i=0
  while [ $_same -lt 3 ] && [ $_i -lt 300 ]; do
    kill -USR1 "$SF_PID" 2>/dev/null || return 1
    sleep 0.1
    _n=$(packets "$1")
    if [ "$_n" = "$_last" ] && [ "$_n" != -1 ]; then _same=$((_same + 1)); else _same=0; fi
    _last=$_n
    _i=$((_i + 1))
  done
}

ROWS=$W/rows
: >"$ROWS"
opts=""
[ -n "$BUFFER" ] && opts="-B $BUFFER"
[ "$IMMEDIATE" = 1 ] && opts="$opts --immediate"
say "live capture on lo: sipflow ${opts:+$opts }-f 'udp port $P_UAS' -n file:/dev/null; sipp uas 127.0.0.1:$P_UAS, uac :$P_UAC"
say "$(nproc) cores; sipp (uac + uas) runs on the same cores as sipflow; $SECS s of calls per rate"
for rate in $RATES; do
  n=$((rate * SECS))
  [ $n -lt 200 ] && n=200
  st=$W/stats-$rate.json
  rm -f "$st"
  # shellcheck disable=SC2086
  "$SIPFLOW" -v -i lo -f "udp port $P_UAS" $opts -n file:/dev/null --stats "$st" >/dev/null 2>"$W/sipflow-$rate.err" &
  SF_PID=$!
  if ! wait_line "$W/sipflow-$rate.err" "capturing on lo"; then
    say "live-bench: sipflow did not start: $(tail -5 "$W/sipflow-$rate.err")" >&2
    exit 1
  fi
  (cd "$W" && exec sipp -sn uas -i 127.0.0.1 -p "$P_UAS" -mp "$MP_UAS" -nostdin \
    >"$W/uas-$rate.out" 2>&1) &
  UAS_PID=$!
  if ! wait_udp "$P_UAS"; then
    say "live-bench: sipp (uas) did not start: $(tail -5 "$W/uas-$rate.out")" >&2
    exit 1
  fi
  rm -f "$W/uac.pid"
  python3 "$W/sampler.py" "$W/cpu-$rate" "$W/uac.pid" "$SF_PID" "$UAS_PID" &
  SAMPLER_PID=$!
  sleep 0.2
  rb0=$(rcvbuf_errors)
  # the caller, in the foreground: the script waits for it
  (cd "$W" && exec sipp -sn uac -i 127.0.0.1 -p "$P_UAC" -mp "$MP_UAC" -r "$rate" -m "$n" -nostdin \
    -trace_stat -stf "$W/uac-$rate.csv" -fd 100ms -timeout "$((SECS * 4 + 30))s" "127.0.0.1:$P_UAS" \
    >"$W/uac-$rate.out" 2>&1) &
  UAC_PID=$!
  echo "$UAC_PID" >"$W/uac.pid"
  wait "$UAC_PID"
  uac_rc=$?
  UAC_PID=""
  drained "$st"
  rb1=$(rcvbuf_errors)
  kill -TERM "$SAMPLER_PID"
  wait "$SAMPLER_PID" 2>/dev/null
  SAMPLER_PID=""
  kill -INT "$SF_PID"
  wait "$SF_PID"
  sf_rc=$?
  SF_PID=""
  kill -TERM "$UAS_PID" 2>/dev/null
  wait "$UAS_PID" 2>/dev/null
  UAS_PID=""
  [ "$sf_rc" = 0 ] || say "note: sipflow exited with $sf_rc at $rate calls/s: $(tail -3 "$W/sipflow-$rate.err")"
  case $uac_rc in
    0|1) ;;       # 1: some calls failed; counted below
    *) say "note: sipp (uac) exited with $uac_rc at $rate calls/s: $(tail -3 "$W/uac-$rate.out")" ;;
  esac
  # one row: rate, then the measurements (see the header printed below)
  python3 - "$rate" "$st" "$W/uac-$rate.csv" "$W/cpu-$rate" "$((${rb1:-0} - ${rb0:-0}))" >>"$ROWS" <<'EOF' \
    || say "note: no statistics for $rate calls/s"
import bisect, csv, json, sys
rate, stf, csvf, cpuf, rcvbuf = sys.argv[1:]
s = json.load(open(stf))
rows = list(csv.reader(open(csvf), delimiter=";"))
dumps = [dict(zip(rows[0], r)) for r in rows[1:]]
d = dumps[-1]
# the time sipp took to place its calls: from its start to the first dump
# (every 100 ms) that counts them all; failed calls may hold it long after
# that (32 s for a lost message), which must not count
calls = int(d["OutgoingCall(C)"])
epoch = lambda v: float(v.split("\t")[-1])
start = epoch(d["StartTime"])
end = epoch(next(r for r in dumps if int(r["OutgoingCall(C)"]) == calls)["CurrentTime"])
samples = [[float(x) for x in l.split()] for l in open(cpuf) if len(l.split()) == 4]
times = [x[0] for x in samples]
def at(t, col):
    """CPU ns of column col at time t, interpolated between samples"""
    i = min(max(bisect.bisect_left(times, t), 1), len(times) - 1)
    (ta, *a), (tb, *b) = samples[i - 1], samples[i]
    return a[col] + (b[col] - a[col]) * min(max((t - ta) / (tb - ta), 0), 1) if tb > ta else b[col]
wall = end - start
sf_cpu = (at(end, 0) - at(start, 0)) / 1e9
sipp_cpu = (at(end, 1) + at(end, 2) - at(start, 1) - at(start, 2)) / 1e9
sf_total = (samples[-1][1] - samples[0][1]) / 1e9       # the whole run, for the cost per message
cap, sip = s["capture"], s["sip"]
records = sum(o["records"] for o in s["outputs"] if o["kind"] == "ipfix")
msgs = sip["messages"]
print(rate, "%.1f" % (calls / wall), calls, d["SuccessfulCall(C)"], d["FailedCall(C)"],
      msgs, cap["kernel_received"], cap["kernel_dropped"], records,
      "%.1f" % (100 * sf_cpu / wall), "%.2f" % (1e6 * sf_total / msgs if msgs else 0),
      "%.0f" % (100 * sipp_cpu / wall), cap["packets"], sip["calls"]["retransmissions"], "%.2f" % wall, rcvbuf)
EOF
  reached=$(awk -v r="$rate" '$1 == r { print $2 }' "$ROWS")
  if [ -n "$reached" ] && awk -v a="$reached" -v r="$rate" 'BEGIN { exit !(a < 0.9 * r) }'; then
    say "sipp reached $reached of $rate calls/s: stopping here (a higher rate would not load sipflow more)"
    break
  fi
done

say ""
# rows: rate reached calls ok failed msgs k_rx k_drop records sf_cpu us_msg sipp_cpu packets retrans placing_s rcvbuf
awk 'BEGIN {
  printf "%6s %8s %7s %6s %9s %7s %10s %9s %8s %7s %7s %8s %9s\n", "rate", "sipp c/s", "calls", "failed",
    "SIP msgs", "retrans", "kernel rx", "k dropped", "records", "sf CPU", "us/msg", "sipp CPU", "sock lost"
}
{ printf "%6d %8.0f %7d %6d %9d %7d %10d %9d %8d %6s%% %7s %7s%% %9d\n", $1, $2, $3, $5, $6, $14, $7, $8, $9, $10,
    $11, $12, $16
  if ($8 == 0 && !dropped && $2 > best) { best = $2; asked = $1 }
  if ($8 != 0) dropped = 1
  last_asked = $1; last_reached = $2
  if ($8 == 0 && $13 * 2 != $7) odd = odd " " $1
}
END {
  print ""
  if (NR == 0) print "no measurement"
  else if (best == "") print "the kernel dropped packets at every rate"
  else {
    tail = ""
    if (!dropped) tail = "; no drop at any rate"
    if (!dropped && last_reached < 0.9 * last_asked) tail = tail ": sipp, not sipflow, was the limit"
    printf "highest call rate with no kernel drop: %.0f calls/s (sipp'"'"'s rate, asked %d)%s\n", best, asked, tail
  }
  if (odd != "") print "note: with no drop, packets read x 2 differs from kernel received at:" odd
}' "$ROWS"
cat <<'EOF'
sipp c/s: calls placed / the time sipp took to place them (its -trace_stat dumps, every 100 ms).
SIP msgs, retrans, records: sipflow's --stats (sip.messages, sip.calls.retransmissions, IPFIX records);
a call is INVITE 180 200 ACK BYE 200: with no failed call, SIP msgs = 6 x calls + retrans.
kernel rx, k dropped: pcap_stats; on lo the kernel counts each packet twice (its sent and received
copies; libpcap skips the sent one).  sf CPU: sipflow's CPU time (/proc/PID/schedstat) over sipp's
placing time, sampled every 50 ms, in % of one core; us/msg: sipflow's CPU time over the whole run per
SIP message.  sipp CPU: like sf CPU, for sipp's uac + uas, which share the cores with sipflow.
sock lost: UDP datagrams dropped on a full socket receive buffer (RcvbufErrors, all sockets of the
machine): sipp's own losses, which make its retransmissions and failed calls.
EOF
exit 0
