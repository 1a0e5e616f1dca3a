#!/bin/sh
# tools/deps.sh [build|test|bench]: install the Debian packages sipflow needs.
# As root it runs apt-get itself (non-interactive).  As anyone else it prints
# the single apt-get line that is needed and fails, instead of letting the
# build fail later with an obscure message.
set -u
kind=${1:-build}
build="make gcc autoconf automake pkg-config libpcap-dev libfixbuf-dev libglib2.0-dev uthash-dev libssl-dev"
# the judges and peers the tests run (tshark, nfacctd, ipfixDump, ipfix2csv, sipp, kamailio...)
tests="libcmocka-dev valgrind clang tshark tcpdump pmacct libfixbuf-tools python3-ipfix sip-tester \
 kamailio kamailio-tls-modules kamailio-websocket-modules dnsmasq-base openssl iproute2 time mandoc \
 python3-prometheus-client"
case "$kind" in
  build) want="$build" ;;
  test|bench) want="$build $tests" ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || st=""
  case "$st" in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "sipflow needs these Debian packages. Run, as root:" >&2
  echo "  apt-get install -y$missing" >&2
  exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, never prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -q >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null || {
  echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
# Debian starts kamailio as a service on install; the tests run their own.
if command -v systemctl >/dev/null 2>&1; then systemctl stop kamailio >/dev/null 2>&1 || true; fi
pkill -x kamailio 2>/dev/null || true
exit 0
