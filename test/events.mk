# test/events.mk: --events, one packetbeat-style JSON event per SIP message
#  - test_sip_events: Community ID vectors, each field of the event, secrets;
#  - events-beats.sh: parity with packetbeat's three golden files;
#  - events-tcp.sh: the same events over TCP as over UDP;
#  - events-sipp.sh: a live sipp call on loopback, in order.
check_PROGRAMS += test/test_sip_events
TESTS += test/test_sip_events
test_test_sip_events_SOURCES = test/test_sip_events.c
test_test_sip_events_CFLAGS = $(TEST_CFLAGS)
test_test_sip_events_LDADD = $(TEST_LIBS)
EVENTS_TESTS = test/events-beats.sh test/events-tcp.sh test/events-sipp.sh
TESTS += $(EVENTS_TESTS)
EXTRA_DIST += $(EVENTS_TESTS) test/events_compare.py test/events_tcp.py test/data/events
