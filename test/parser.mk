# test/parser.mk: the SIP message, URI and SDP parsers, and sipflow --dissect
check_PROGRAMS += test/test_sip_msg test/test_sip_uri test/test_sip_sdp
TESTS += test/test_sip_msg test/test_sip_uri test/test_sip_sdp test/rfc4475.sh
test_test_sip_msg_SOURCES = test/test_sip_msg.c
test_test_sip_msg_CFLAGS = $(TEST_CFLAGS)
test_test_sip_msg_LDADD = $(TEST_LIBS)
test_test_sip_uri_SOURCES = test/test_sip_uri.c
test_test_sip_uri_CFLAGS = $(TEST_CFLAGS)
test_test_sip_uri_LDADD = $(TEST_LIBS)
test_test_sip_sdp_SOURCES = test/test_sip_sdp.c
test_test_sip_sdp_CFLAGS = $(TEST_CFLAGS)
test_test_sip_sdp_LDADD = $(TEST_LIBS)
# the fast paths of the header and URI parsers against the general code
check_PROGRAMS += test/test_sip_hdr_fast
TESTS += test/test_sip_hdr_fast
test_test_sip_hdr_fast_SOURCES = test/test_sip_hdr_fast.c
test_test_sip_hdr_fast_CFLAGS = $(TEST_CFLAGS)
test_test_sip_hdr_fast_LDADD = $(TEST_LIBS)
EXTRA_DIST += test/rfc4475.sh test/dissect_check.py test/data/rfc4475
check_PROGRAMS += test/dissect_pcap
test_dissect_pcap_SOURCES = test/dissect_pcap.c
test_dissect_pcap_CFLAGS = $(TEST_CFLAGS)
test_dissect_pcap_LDADD = $(TEST_LIBS)
TESTS += test/parser-corpus.sh test/sip-counts.sh
EXTRA_DIST += test/parser-corpus.sh test/sip-counts.sh test/beats_check.py test/dissect_pcap.c \
	test/data/pcapplusplus test/data/suricata-verify test/data/beats test/data/zeek test/data/ndpi \
	test/data/sip-counts.tsv
