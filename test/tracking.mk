# test/tracking.mk: the call table and state machine (issue "Call tracking")
check_PROGRAMS += test/test_sip_call
TESTS += test/test_sip_call
test_test_sip_call_SOURCES = test/test_sip_call.c test/sip_call_fx.h fuzz/sip_udp_frame.h
test_test_sip_call_CFLAGS = $(TEST_CFLAGS)
test_test_sip_call_LDADD = src/plugins.$(OBJEXT) $(TEST_LIBS)
# test_sip_call_mem: strings outgrowing their record, records reused
check_PROGRAMS += test/test_sip_call_mem
TESTS += test/test_sip_call_mem
test_test_sip_call_mem_SOURCES = test/test_sip_call_mem.c test/sip_call_fx.h fuzz/sip_udp_frame.h
test_test_sip_call_mem_CFLAGS = $(TEST_CFLAGS)
test_test_sip_call_mem_LDADD = src/plugins.$(OBJEXT) $(TEST_LIBS)
