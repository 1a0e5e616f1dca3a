#!/bin/sh
# samples/demo.sh BUILD: run sipflow on the bundled captures, write an
# IPFIX file, a text dump and the counters, then summarise the calls.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/demo
rm -rf "$out"
mkdir -p "$out/dump"
"$build/src/sipflow" -q \
    -r "$here/wireshark-wiki-sip.pcap" -r "$here/packetbeat-sip.pcap" \
    -n "file:$out/calls.ipfix" -P "$out/dump" --dont-nest-dump-dirs \
    --json "$out/calls.json" --stats "$out/stats.json"
echo "sipflow demo: read samples/wireshark-wiki-sip.pcap and samples/packetbeat-sip.pcap"
echo "  IPFIX file : $out/calls.ipfix ($(wc -c < "$out/calls.ipfix") bytes)"
echo "  text dump  : $(ls "$out"/dump/*.flows | head -n 3 | tr '\n' ' ')"
echo "  counters   : $out/stats.json"
echo
# One line per call from the dump: its header names the columns.
cat "$out"/dump/*.flows | awk -F'|' '
    NR == 1 || /^SIP_CALL_ID|IPV4_SRC_ADDR/ {
        for (i = 1; i <= NF; i++) col[$i] = i
        if (NR == 1) printf "%-34s %-10s %-14s %-17s %5s %s\n", "CALL-ID", "FROM", "TO", "STATE", "CODE", "CODECS"
        next
    }
    {
        id = $col["SIP_CALL_ID"]; if (length(id) > 34) id = substr(id, 1, 31) "..."
        printf "%-34s %-10s %-14s %-17s %5s %s\n", id, $col["SIP_CALLING_PARTY"], $col["SIP_CALLED_PARTY"],
               $col["SIP_CALL_STATE"], $col["SIP_RESPONSE_CODE"], $col["SIP_RTP_CODECS"]
        n++
    }
    END { printf "\n%d records (calls and registrations)\n", n }'
