#!/bin/sh
# Every --stats key is documented in README.md's "Counters" section, and
# every key documented there exists.  sipflow runs with every output on
# (IPFIX to a file and to a TCP collector, --json, -P, --events) over two
# bundled captures (UDP and TCP); the JSON is flattened to dotted keys,
# outputs[] by kind (outputs.ipfix.records), and the per-method and
# per-status-class keys, which follow the method table, collapse to
# sip.methods.* and sip.status_classes.*.  README's section gives each
# group under a '### `group`' heading, one table row per key.
. "$top_srcdir/test/lib.sh"
need python3
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT

# a TCP collector that takes whatever comes (for the TCP-only keys)
python3 - "$T/port" <<'EOF_PY' &
import socket, sys, os
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); s.listen(4)
tmp = sys.argv[1] + ".tmp"
open(tmp, "w").write(str(s.getsockname()[1]))
os.rename(tmp, sys.argv[1])
while True:
    c, _ = s.accept()
    while c.recv(65536):
        pass
    c.close()
EOF_PY
PIDS=$!
n=0; while [ ! -s "$T/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -s "$T/port" ] || fail "the TCP collector did not start"

i=0
for cap in "$top_srcdir/samples/packetbeat-sip.pcap" "$TESTDATA/beats/sip_tcp.pcap"; do
  i=$((i + 1))
  $SIPFLOW_RUN -r "$cap" -n "file:$T/out$i.ipfix" -n "tcp://127.0.0.1:$(cat "$T/port")" \
    --json "$T/out$i.json" -P "$T/dump$i" --events "$T/events$i.json" --stats "$T/stats$i.json" \
    2>"$T/err$i" || { cat "$T/err$i"; fail "sipflow -r $cap failed"; }
  [ -s "$T/stats$i.json" ] || fail "no --stats from $cap"
done

python3 - "$top_srcdir/README.md" "$T"/stats*.json > "$T/report" <<'EOF_PY'
import json, re, sys

COLLAPSE = ("sip.methods", "sip.status_classes")

def flatten(d, prefix, out):
    for k, v in d.items():
        key = prefix + k
        if key == "outputs":
            for o in v:
                flatten(o, "outputs.%s." % o["kind"], out)
        elif isinstance(v, dict):
            if key in COLLAPSE:
                out.add(key + ".*")
            else:
                flatten(v, key + ".", out)
        else:
            out.add(key)

have = set()
for path in sys.argv[2:]:
    flatten(json.load(open(path)), "", have)

doc, group, inside = set(), "", False
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("## "):
        inside = line.strip() == "## Counters"
        continue
    if not inside:
        continue
    m = re.match(r"### `([^`]+)`", line)
    if m:
        group = m.group(1)
        continue
    m = re.match(r"\|([^|]*)\|", line)
    if m:
        for k in re.findall(r"`([^`]+)`", m.group(1)):
            doc.add(group + "." + k if group else k)

missing = sorted(have - doc)
stale = sorted(doc - have)
for k in missing:
    print("not documented in README.md Counters:", k)
for k in stale:
    print("documented in README.md Counters but not in --stats:", k)
print("keys: %d in --stats, %d documented" % (len(have), len(doc)))
sys.exit(1 if missing or stale else 0)
EOF_PY
st=$?
cat "$T/report"
[ $st = 0 ] || fail "README.md's Counters section and --stats disagree"
[ "$(sed -n 's/^keys: \([0-9]*\) .*/\1/p' "$T/report")" -gt 150 ] || fail "too few --stats keys found"
echo "stats-keys: every --stats key is documented in README.md, and only those"
