#!/bin/sh
# SIP over TCP gives the same events as over UDP (packetbeat cannot do TCP
# in its SIP module's UDP path; sipflow reassembles and frames TCP itself).
# test/events_tcp.py turns packetbeat's UDP capture into one TCP connection
# with messages cut across segments and two messages sharing one, and its
# TCP capture into UDP datagrams; the events of each pair must be equal but
# for network.transport, iana_number and community_id (checked apart).
. "$top_srcdir/test/lib.sh"
need python3
B=$TESTDATA/beats
PY="python3 $top_srcdir/test/events_tcp.py"
OPTS="--events-auth --events-body --events-original"
$PY to-tcp "$B/sip.pcap" "$T/sip-over-tcp.pcap" || fail "to-tcp"
$PY to-udp "$B/sip_tcp.pcap" "$T/tcp-over-udp.pcap" || fail "to-udp"
for f in "$B/sip.pcap" "$T/sip-over-tcp.pcap" "$B/sip_tcp.pcap" "$T/tcp-over-udp.pcap"; do
  n=$(basename "$f" .pcap)
  # shellcheck disable=SC2086
  $SIPFLOW_RUN -q -r "$f" --events "$T/$n.jsonl" $OPTS --stats "$T/$n.stats" || fail "sipflow on $n"
done
[ "$(json_get "$T/sip-over-tcp.stats" sip.tcp_messages)" = 12 ] || fail "the TCP version did not carry 12 messages"
[ "$(json_get "$T/tcp-over-udp.stats" sip.udp_messages)" = 7 ] || fail "the UDP version did not carry 7 messages"
[ "$(json_get "$T/sip-over-tcp.stats" sip.udp_messages)" = 0 ] || fail "the TCP version counted UDP messages"
[ "$(json_get "$T/tcp-over-udp.stats" sip.tcp_messages)" = 0 ] || fail "the UDP version counted TCP messages"
printf 'sip.pcap, UDP vs TCP: '
$PY compare "$T/sip.jsonl" "$T/sip-over-tcp.jsonl" || fail "UDP and TCP events differ (sip.pcap)"
printf 'sip_tcp.pcap, TCP vs UDP: '
$PY compare "$T/sip_tcp.jsonl" "$T/tcp-over-udp.jsonl" || fail "TCP and UDP events differ (sip_tcp.pcap)"
echo ok
