#!/bin/sh
# bench/sipgen's captures, read by tshark: the SIP message count and the
# counts per method and per status code that tshark's SIP dissector finds
# must equal the manifest's; so must the IP fragments, the TCP segments and
# the calls tshark sees over VLAN, IPv6, TCP and fragmented INVITEs; and
# every checksum must verify with no warning.  tshark 4.0 cannot frame
# compact "l:" over TCP, so compact headers get a capture without TCP.
. "$top_srcdir/test/lib.sh"
need tshark
need python3
SIPGEN=$top_builddir/bench/sipgen
CK="-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE"

# manifest FILE KEY: a number from FILE.json
manifest() { json_get "$1.json" "$2"; }

# "req METHOD N" / "rsp CODE N" lines, sorted, from the manifest ...
expected_counts() {
  python3 -c 'import json,sys
m=json.load(open(sys.argv[1]))
for k,v in m["requests"].items(): print("req", k, v)
for k,v in m["responses"].items(): print("rsp", k, v)' "$1.json" | sort
}
# ... and from tshark -z sip,stat
tshark_counts() {
  awk '/^\* SIP Status Codes/ {s="rsp"; next} /^\* List of SIP Request/ {s="req"; next}
       /^\*/ {s=""} s=="rsp" && /^ +SIP [0-9]+ / {print "rsp", $2, $(NF-1)}
       s=="req" && /^ +[A-Z]+ +: / {print "req", $1, $(NF-1)}' "$1" | sort
}
# one pass of tshark over FILE: "frames N", "ip_fragment_frames N", "tcp_data_segments N"
# and, for each property, the number of distinct Call-IDs in SIP frames with it
structure() {
  tshark -r "$1" -T fields -E separator=/t -e frame.number -e ip.flags.mf -e ip.frag_offset \
      -e ipv6.fraghdr.offset -e tcp.len -e vlan.id -e ipv6.src -e tcp.srcport -e ip.fragment.count \
      -e ipv6.fragment.count -e sip.Call-ID 2>/dev/null |
  awk -F'\t' '{ frames++
      if ($2 == "1" || ($3 != "" && $3 > 0) || $4 != "") frag++
      if ($5 > 0) tcp++
      if ($11 == "") next
      n = split($11, ids, ",")
      for (i = 1; i <= n; i++) {
        if ($6 != "") vlan[ids[i]] = 1
        if ($7 != "") v6[ids[i]] = 1
        if ($8 != "") tc[ids[i]] = 1
        if ($9 != "" || $10 != "") fr[ids[i]] = 1
      } }
    END { print "frames", frames + 0; print "ip_fragment_frames", frag + 0; print "tcp_data_segments", tcp + 0
      n = 0; for (k in vlan) n++; print "vlan_calls", n
      n = 0; for (k in v6) n++; print "ipv6_calls", n
      n = 0; for (k in tc) n++; print "tcp_calls", n
      n = 0; for (k in fr) n++; print "frag_calls", n }'
}

check() {
  f=$1
  tshark -q -z sip,stat -r "$f" >"$T/stat" 2>/dev/null || fail "$f: tshark failed"
  want=$(manifest "$f" sip_messages)
  got=$(sed -n 's/^Number of SIP messages: //p' "$T/stat")
  [ "$got" = "$want" ] || fail "$f: tshark counts $got SIP messages, the manifest $want"
  [ "$(sed -n 's/^Number of resent SIP messages: //p' "$T/stat")" = 0 ] || fail "$f: tshark sees retransmissions"
  expected_counts "$f" >"$T/want"
  tshark_counts "$T/stat" >"$T/got"
  [ -s "$T/got" ] || fail "$f: no per-method counts parsed from tshark"
  diff -u "$T/want" "$T/got" || fail "$f: per-method/status counts differ (manifest vs tshark)"

  structure "$f" >"$T/structure"
  while read -r key n; do
    m=$(manifest "$f" "$key")
    [ "$n" = "$m" ] || fail "$f: tshark gives $key $n, the manifest $m"
  done <"$T/structure"
  [ "$(wc -l <"$T/structure")" = 7 ] || fail "$f: tshark's structure pass failed"
  n=$(tshark -r "$f" $CK -Y 'ip.checksum.status==0 || udp.checksum.status==0 || tcp.checksum.status==0 ||
        _ws.malformed || _ws.expert.severity >= 0x600000' 2>/dev/null | wc -l)
  [ "$n" = 0 ] || fail "$f: $n frames with a bad checksum, malformed, or an expert warning"
  echo "ok: $f: $want SIP messages, $(wc -l <"$T/want") method/status counts agree with tshark"
}

"$SIPGEN" -q --calls 300 --seed 11 --ipv6 .2 --vlan .2 --tcp .2 --frag .1 --fail .3 --talk-median 300 \
  --out "$T/mixed.pcap" || fail "sipgen failed"
"$SIPGEN" -q --calls 300 --seed 12 --ipv6 .2 --vlan .2 --frag .1 --fail .3 --compact .5 \
  --out "$T/compact.pcap" || fail "sipgen failed"
"$SIPGEN" -q --calls 200 --seed 13 --open-calls --cps 50 --ipv6 .2 --vlan .2 --tcp .2 --frag .1 \
  --out "$T/open.pcap" || fail "sipgen failed"
# the captures must exercise what they claim to
for k in ipv6_calls vlan_calls tcp_calls frag_calls tcp_keepalives ip_fragment_frames early_media_calls; do
  [ "$(manifest "$T/mixed.pcap" $k)" -gt 0 ] || fail "mixed capture: no $k"
done
[ "$(manifest "$T/compact.pcap" compact_calls)" -gt 0 ] || fail "compact capture: no compact calls"
for f in "$T/mixed.pcap" "$T/compact.pcap" "$T/open.pcap"; do
  check "$f"
done

# --open-calls: every INVITE and ACK comes before the first BYE
last_setup=$(tshark -r "$T/open.pcap" -Y 'sip.Method == "INVITE" || sip.Method == "ACK"' -T fields \
  -e frame.number 2>/dev/null | tail -n 1)
first_bye=$(tshark -r "$T/open.pcap" -Y 'sip.Method == "BYE"' -T fields -e frame.number 2>/dev/null | head -n 1)
[ -n "$last_setup" ] && [ -n "$first_bye" ] && [ "$last_setup" -lt "$first_bye" ] ||
  fail "open calls: a setup message (frame $last_setup) comes after the first BYE (frame $first_bye)"
[ "$(manifest "$T/open.pcap" max_concurrency)" = 200 ] || fail "open calls: not all 200 calls open at once"
echo "ok: --open-calls: all 200 calls set up before the first BYE (frame $first_bye)"
