#!/bin/sh
# check_scale.sh: 50 servers at once, many rounds, one event loop.
#  1. under valgrind (when the harness uses it): 10 rounds of 50 checks over
#     UDP, TCP, TLS and WS; no error, no leak at exit;
#  2. without valgrind: SF_SCALE_ROUNDS rounds (default 300) every
#     SF_SCALE_INTERVAL (default 0.1 s): every check succeeds, the rounds
#     keep their schedule, and the resident memory does not grow.  The
#     figures are printed; only gross failures are asserted (performance is
#     measured, not asserted: the machine is shared).
. "$top_srcdir/test/lib.sh"
. "$top_srcdir/test/check_lib.sh"

KAM_CHILDREN=4 start_kamailio
ROUNDS=${SF_SCALE_ROUNDS:-300}
INTERVAL=${SF_SCALE_INTERVAL:-0.1}
S=""
i=1; while [ $i -le 20 ]; do S="$S sip:u$i@127.0.0.1:$KP_UDP"; i=$((i + 1)); done
i=1; while [ $i -le 15 ]; do S="$S sip:t$i@[::1]:$KP_UDP;transport=tcp"; i=$((i + 1)); done
i=1; while [ $i -le 10 ]; do S="$S sips:s$i@127.0.0.1:$KP_TLS"; i=$((i + 1)); done
i=1; while [ $i -le 5 ]; do S="$S sip:w$i@127.0.0.1:$KP_WS;transport=ws"; i=$((i + 1)); done
CA="--tls-ca=$T/cert.pem"

# 1. valgrind
# shellcheck disable=SC2086
run_check "$T/vg" -t 5s "$CA" --interval 500ms --count 10 $S
[ $rc = 0 ] || { tail -5 "$T/vg.err" >&2; fail "50 servers x 10 rounds: exit status $rc"; }
judge influx "$T/vg"
[ "$($JUDGE count "$T/vg.norm")" = 500 ] || fail "expected 500 rows"
grep -v 'result=success' "$T/vg" | head -3 | grep . && fail "some checks failed"

# 2. timing and memory
# shellcheck disable=SC2086
"$CHECK_BIN" -t 5s "$CA" --interval "$INTERVAL" --count "$ROUNDS" $S >"$T/big" 2>"$T/big.err" &
PID=$!
track $PID
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null; }
total=$($PY -c "print($ROUNDS * $INTERVAL)")
sleep "$($PY -c "print(max(1.0, $total * 0.1))")"; rss_early=$(rss)
sleep "$($PY -c "print(max(1.0, $total * 0.8))")"; rss_late=$(rss)
wait $PID; st=$?
[ $st = 0 ] || { tail -5 "$T/big.err" >&2; fail "$ROUNDS rounds: exit status $st"; }
skipped=$(grep -c 'skipped to the next slot' "$T/big.err")
$PY - "$T/big" "$ROUNDS" "$INTERVAL" "${rss_early:-0}" "${rss_late:-0}" "$skipped" <<'PYEOF' || fail "scale run"
import collections, sys
path, rounds, interval, rss0, rss1 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
skipped = int(sys.argv[6])
ts = collections.Counter()
ok = 0
for line in open(path):
    ts[int(line.rsplit(" ", 1)[1])] += 1
    ok += " result=success" in line or ",result=success," in line
starts = sorted(ts)
assert len(starts) == rounds, "%d rounds printed, %d expected" % (len(starts), rounds)
assert all(n == 50 for n in ts.values()), "a round without 50 results"
gaps = [(b - a) / 1e9 for a, b in zip(starts, starts[1:])]
mean = sum(gaps) / len(gaps)
worst = max(abs(g - interval) for g in gaps)
span = (starts[-1] - starts[0]) / 1e9
print("scale: %d rounds x 50 servers, %d checks, %d ok; round spacing mean %.4f s (nominal %.3f), "
      "worst deviation %.4f s, span %.2f s (nominal %.2f)" % (rounds, 50 * rounds, ok, mean, interval, worst,
                                                             span, interval * (rounds - 1)))
print("scale: resident memory %d kB after 10%% of the run, %d kB after 90%%" % (rss0, rss1))
assert ok == 50 * rounds, "%d checks failed" % (50 * rounds - ok)
# gross failures only: the schedule is fixed (missed slots are skipped, not
# shifted, and each skip is warned about on stderr), so with no skip the span
# is the nominal one plus scheduling jitter; it is never shorter
print("scale: %d slots skipped (the machine was busy)" % skipped)
nominal = interval * (rounds - 1)
assert span > nominal - max(0.5, interval), "rounds started early"
assert skipped or span < nominal + max(1.0, 0.1 * interval * rounds), "the schedule drifted"
assert rss1 - rss0 < 4096, "resident memory grew by %d kB" % (rss1 - rss0)
PYEOF
echo "check_scale: 50 servers kept their schedule"
