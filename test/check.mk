# test/check.mk: sipflow-check.  Unit tests of its pure parts, then checks
# against real servers on loopback: Kamailio (UDP, TCP, TLS, WS, WSS, digest
# auth), sipp (INVITE), dnsmasq (RFC 3263 SRV) and a scripted UDP responder.
check_PROGRAMS += test/test_check
TESTS += test/test_check
test_test_check_SOURCES = test/test_check.c
test_test_check_CFLAGS = $(TEST_CFLAGS) $(OPENSSL_CFLAGS) -I$(srcdir)/check
test_test_check_LDADD = $(SF_CHECK_LIBS) $(CMOCKA_LIBS)
TESTS += test/check_man.sh test/check_kamailio.sh test/check_responder.sh test/check_invite.sh test/check_srv.sh \
	test/check_scale.sh
EXTRA_DIST += test/check_man.sh test/check_lib.sh test/check_judge.py test/check_responder.py \
	test/check_kamailio.sh test/check_responder.sh test/check_invite.sh test/check_srv.sh \
	test/check_scale.sh test/data/check
if HAVE_CLANG
TESTS += test/check_fuzz.sh
test/check_fuzz.log: check/fuzz_check
endif
EXTRA_DIST += test/check_fuzz.sh
