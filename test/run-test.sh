#!/bin/sh
# test/run-test.sh: how `make check` runs every test (automake LOG_COMPILER).
#
# A compiled test runs under valgrind (errors and leaks fail the test); a
# shell test gets $SIPFLOW_RUN, the command that runs sipflow the same way.
# SF_VALGRIND=0 turns valgrind off (for a quick run or an ASan build).
# Helpers the scripts share are in test/lib.sh.
set -u
test_prog=$1; shift
if [ "${SF_VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null 2>&1; then
  VG="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-fds=no"
else
  VG=""
fi
export SF_VG="$VG"
export SIPFLOW_RUN="$VG ${SIPFLOW:-$top_builddir/src/sipflow}"
case "$test_prog" in
  *.sh) exec sh "$test_prog" "$@" ;;
  *) exec $VG "$test_prog" "$@" ;;
esac
