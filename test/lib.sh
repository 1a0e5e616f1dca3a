# test/lib.sh: shared helpers for the shell tests (sourced).
# Every test prints TAP-free plain lines; exit 0 pass, 77 skip, else fail.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
SIPFLOW=${SIPFLOW:-$top_builddir/src/sipflow}
SIPFLOW_RUN=${SIPFLOW_RUN:-$SIPFLOW}
TESTDATA=$top_srcdir/test/data
# a fresh scratch directory per test, removed on exit
T=$(mktemp -d "${TMPDIR:-/tmp}/sipflow-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root (live capture on loopback)"; }
# json_get FILE KEY.PATH: print a value from a JSON document (python3 is
# in Debian's base system through the test dependencies).
json_get() { python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d=d[k] if isinstance(d,dict) else d[int(k)]
print(d)' "$1" "$2"; }
