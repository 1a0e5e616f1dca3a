# test/parser.mk: the SIP message, URI and SDP parsers, and sipflow --dissect
check_PROGRAMS += test/test_sip_msg
TESTS += test/test_sip_msg test/rfc4475.sh
test_test_sip_msg_SOURCES = test/test_sip_msg.c
test_test_sip_msg_CFLAGS = $(TEST_CFLAGS)
test_test_sip_msg_LDADD = $(TEST_LIBS)
EXTRA_DIST += test/rfc4475.sh test/dissect_check.py test/data/rfc4475
