# test/: unit tests (cmocka) and golden tests.  Each area lists its tests in
# its own fragment; all run through test/run-test.sh (valgrind).
TEST_EXTENSIONS = .sh
LOG_COMPILER = $(srcdir)/test/run-test.sh
SH_LOG_COMPILER = $(srcdir)/test/run-test.sh
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	SIPFLOW='$(abs_top_builddir)/src/sipflow'; export top_srcdir top_builddir SIPFLOW;
EXTRA_DIST += test/run-test.sh test/lib.sh
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
TEST_LIBS = $(SF_SIP_LIBS) $(SF_CORE_LIBS) $(CMOCKA_LIBS)

if ENABLE_TESTS
include test/core.mk
include test/parser.mk
include test/transport.mk
include test/export.mk
include test/tracking.mk
include test/events.mk
include test/generator.mk
include test/check.mk
include test/interop.mk
endif
