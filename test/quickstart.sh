#!/bin/sh
# The README's quick start, piece by piece (the full `make demo` needs a
# fresh clone and apt-get, which `make check` cannot redo):
#  - samples/demo.sh, what `make demo` runs after building: it writes an
#    IPFIX file that ipfixDump reads, a text dump and the counters, and
#    summarises one line per record, covering every Call-ID tshark sees in
#    the samples;
#  - tools/deps.sh, the dependency step of `make demo` and `make check`: run
#    by a user who is not root while a package is missing, it prints the one
#    apt-get line needed and fails, and never runs apt-get itself.
. "$top_srcdir/test/lib.sh"

# ---- the README shows the two commands first ----
awk '/^    / { print; n++ } n && !/^    / { exit }' "$top_srcdir/README.md" | sed 's/ *#.*//;s/^ *//' > "$T/first"
printf 'make demo\nmake check\n' | diff - "$T/first" || fail "README's first commands are not make demo, make check"

# ---- samples/demo.sh on this build ----
# Call-IDs of the two samples, from
#   tshark -r FILE -Y 'sip.Request-Line || sip.Status-Line' -T fields -e sip.Call-ID | sort -u
CALL_IDS="1-2187@10.0.2.20 1-2189@10.0.2.20 105090259-446faf7a@192.168.1.2 11894297-4432a9f8@192.168.1.2
24487391-449bf2a0@192.168.1.2 29858147-465b0752@29858051-465b07b2 578222729-4665d775@578222732-4665d772
85216695-42dcdb1d@192.168.1.2"
if command -v tshark >/dev/null 2>&1; then
  for f in "$top_srcdir"/samples/*.pcap; do
    tshark -r "$f" -Y 'sip.Request-Line || sip.Status-Line' -T fields -e sip.Call-ID 2>/dev/null
  done | sort -u > "$T/tshark.ids"
  echo "$CALL_IDS" | tr ' ' '\n' | sort -u | diff - "$T/tshark.ids" ||
    fail "tshark now sees other Call-IDs in samples/ than this test records"
fi
mkdir -p "$T/build/src"
ln -s "$SIPFLOW" "$T/build/src/sipflow"
sh "$top_srcdir/samples/demo.sh" "$T/build" > "$T/demo.out" 2> "$T/demo.err" ||
  { cat "$T/demo.out" "$T/demo.err"; fail "samples/demo.sh failed"; }
out=$T/build/demo
[ -s "$out/calls.ipfix" ] || fail "demo: no IPFIX file"
ls "$out"/dump/*.flows > /dev/null 2>&1 || fail "demo: no text dump"
[ "$(json_get "$out/stats.json" capture.sources)" = 2 ] || fail "demo: the counters do not show two captures"
n=$(sed -n 's/^\([0-9]*\) records (calls and registrations)$/\1/p' "$T/demo.out")
[ -n "$n" ] && [ "$n" -gt 0 ] || { cat "$T/demo.out"; fail "demo: no summary of records"; }
# one summary line per record, one per Call-ID at least (cut to 31 characters + "...")
lines=$(sed -n '/^CALL-ID /,/^$/p' "$T/demo.out" | sed '1d;/^$/d' | wc -l)
[ "$lines" = "$n" ] || fail "demo: $lines summary lines, but it says $n records"
for id in $CALL_IDS; do
  if [ ${#id} -gt 34 ]; then id="$(printf '%s' "$id" | cut -c1-31)..."; fi
  grep -q "^$id " "$T/demo.out" || { cat "$T/demo.out"; fail "demo: no line for Call-ID $id"; }
done
if command -v ipfixDump >/dev/null 2>&1; then
  ipfixDump --in "$out/calls.ipfix" --stats > "$T/ipfix.stats" 2>&1 || fail "ipfixDump cannot read the demo's IPFIX file"
  grep -q " $n Data Records" "$T/ipfix.stats" || { cat "$T/ipfix.stats"; fail "demo: ipfixDump does not count $n records"; }
fi

# ---- tools/deps.sh as a user who is not root ----
# Stubs: dpkg-query says libpcap-dev is missing, id says uid 1000, and an
# apt-get that must never run.
mkdir -p "$T/bin"
cat > "$T/bin/dpkg-query" <<'EOF'
#!/bin/sh
for a in "$@"; do last=$a; done
[ "$last" = libpcap-dev ] && exit 1
echo "install ok installed"
EOF
printf '#!/bin/sh\necho 1000\n' > "$T/bin/id"
printf '#!/bin/sh\ntouch "%s/apt-get-ran"\nexit 1\n' "$T" > "$T/bin/apt-get"
chmod +x "$T/bin/dpkg-query" "$T/bin/id" "$T/bin/apt-get"
for kind in build test; do
  PATH="$T/bin:$PATH" sh "$top_srcdir/tools/deps.sh" $kind > "$T/deps.out" 2> "$T/deps.err"; st=$?
  [ "$st" != 0 ] || fail "deps.sh $kind: exit 0 although libpcap-dev is missing"
  [ ! -e "$T/apt-get-ran" ] || fail "deps.sh $kind ran apt-get as a user who is not root"
  [ "$(grep -c 'apt-get' "$T/deps.err")" = 1 ] || { cat "$T/deps.err"; fail "deps.sh $kind: not one apt-get line"; }
  grep -q '^ *apt-get install -y libpcap-dev$' "$T/deps.err" ||
    { cat "$T/deps.err"; fail "deps.sh $kind: the apt-get line is not 'apt-get install -y libpcap-dev'"; }
done
echo "quickstart: demo.sh wrote IPFIX ($n records, read by ipfixDump), dump and counters; deps.sh as non-root prints one apt-get line"
