# test/export.mk: the outputs (IPFIX file/UDP/TCP, text dumps).
#  - export_gen writes known records through the real outputs, and the shell
#    tests have independent decoders (tshark, ipfix2csv, ipfixDump, nfacctd)
#    judge the result with test/export_judge.py;
#  - export_elements prints our element table for those decoders.
check_PROGRAMS += test/export_gen test/export_elements
test_export_gen_SOURCES = test/export_gen.c
test_export_gen_CFLAGS = $(TEST_CFLAGS)
test_export_gen_LDADD = $(TEST_LIBS)
test_export_elements_SOURCES = test/export_elements.c
test_export_elements_CFLAGS = $(TEST_CFLAGS)
test_export_elements_LDADD = $(TEST_LIBS)
EXPORT_TESTS = test/export-ipfix-file.sh
TESTS += $(EXPORT_TESTS)
EXTRA_DIST += $(EXPORT_TESTS) test/export_judge.py
