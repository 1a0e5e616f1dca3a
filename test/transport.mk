# test/transport.mk: TCP and IP fragment reassembly, tunnels, SIP on any port
check_PROGRAMS += test/test_tcp
TESTS += test/test_tcp
test_test_tcp_SOURCES = test/test_tcp.c
test_test_tcp_CFLAGS = $(TEST_CFLAGS)
test_test_tcp_LDADD = $(TEST_LIBS)
check_PROGRAMS += test/test_frag
TESTS += test/test_frag
test_test_frag_SOURCES = test/test_frag.c test/tframe.h
test_test_frag_CFLAGS = $(TEST_CFLAGS)
test_test_frag_LDADD = $(TEST_LIBS)
check_PROGRAMS += test/test_tunnel
TESTS += test/test_tunnel
test_test_tunnel_SOURCES = test/test_tunnel.c test/tframe.h
test_test_tunnel_CFLAGS = $(TEST_CFLAGS)
test_test_tunnel_LDADD = $(TEST_LIBS)
TESTS += test/transport-counts.sh
EXTRA_DIST += test/transport-counts.sh test/data/transport-counts.tsv \
	test/data/suricata-verify/sip-body-frames test/data/suricata-verify/sip-body-large \
	test/data/suricata-verify/sip-method test/data/suricata-verify/sip-pattern-matching \
	test/data/suricata-verify/sip-tcp-method test/data/suricata-verify/sip-tcp-pattern-matching
TESTS += test/transport-generated.sh
EXTRA_DIST += test/transport-generated.sh
check_PROGRAMS += test/test_transport_sip
TESTS += test/test_transport_sip
test_test_transport_sip_SOURCES = test/test_transport_sip.c test/tframe.h
test_test_transport_sip_CFLAGS = $(TEST_CFLAGS)
test_test_transport_sip_LDADD = $(TEST_LIBS)
