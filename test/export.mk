# test/export.mk: the outputs (IPFIX file/UDP/TCP, text dumps).
#  - test_export: unit tests of the pure parts (destinations, UTF-8 cuts,
#    message queue, record plan, dump escaping and names);
#  - export_gen writes known records through the real outputs, and the shell
#    tests have independent decoders (tshark, ipfix2csv, ipfixDump, nfacctd)
#    judge the result with test/export_judge.py;
#  - export_elements prints our element table for those decoders.
check_PROGRAMS += test/test_export test/export_gen test/export_elements
TESTS += test/test_export
test_test_export_SOURCES = test/test_export.c
test_test_export_CFLAGS = $(TEST_CFLAGS)
test_test_export_LDADD = $(TEST_LIBS)
test_export_gen_SOURCES = test/export_gen.c
test_export_gen_CFLAGS = $(TEST_CFLAGS)
test_export_gen_LDADD = $(TEST_LIBS)
test_export_elements_SOURCES = test/export_elements.c
test_export_elements_CFLAGS = $(TEST_CFLAGS)
test_export_elements_LDADD = $(TEST_LIBS)
EXPORT_TESTS = test/export-ipfix-file.sh test/export-ipfix-udp.sh test/export-ipfix-tcp.sh test/export-dump.sh
TESTS += $(EXPORT_TESTS)
EXTRA_DIST += $(EXPORT_TESTS) test/export_judge.py test/export_sink.py test/export-net.sh
# test_ipfix_enc: the encoder's messages against libfixbuf's fBufAppend()
# output for the same records, byte for byte.
check_PROGRAMS += test/test_ipfix_enc
TESTS += test/test_ipfix_enc
test_test_ipfix_enc_SOURCES = test/test_ipfix_enc.c
test_test_ipfix_enc_CFLAGS = $(TEST_CFLAGS)
test_test_ipfix_enc_LDADD = $(TEST_LIBS)
