# test/core.mk: the probe core (decoder, options, fields) and the program
check_PROGRAMS += test/test_decode
TESTS += test/test_decode
test_test_decode_SOURCES = test/test_decode.c
test_test_decode_CFLAGS = $(TEST_CFLAGS)
test_test_decode_LDADD = $(TEST_LIBS)
# the fast path of sf_decode_frame() against the general code
check_PROGRAMS += test/test_decode_fast
TESTS += test/test_decode_fast
test_test_decode_fast_SOURCES = test/test_decode_fast.c test/tframe.h
test_test_decode_fast_CFLAGS = $(TEST_CFLAGS)
test_test_decode_fast_LDADD = $(TEST_LIBS)

TESTS += test/man.sh
EXTRA_DIST += test/man.sh
TESTS += test/cli.sh
EXTRA_DIST += test/cli.sh
TESTS += test/signals.sh
EXTRA_DIST += test/signals.sh
TESTS += test/install.sh
EXTRA_DIST += test/install.sh
TESTS += test/quickstart.sh
EXTRA_DIST += test/quickstart.sh
TESTS += test/live-idle.sh
EXTRA_DIST += test/live-idle.sh
TESTS += test/live-drain.sh
EXTRA_DIST += test/live-drain.sh
TESTS += test/syslog.sh
EXTRA_DIST += test/syslog.sh
TESTS += test/stats-keys.sh
EXTRA_DIST += test/stats-keys.sh
