# check/: sipflow-check, active SIP health checks (a drop-in for Telegraf's
# inputs.sip).  It links the SIP parser and the few core helpers it uses
# (sf_json, sf_log, sf_opt, sf_error), never libpcap or libfixbuf.
noinst_LIBRARIES += check/libsfcheck.a
check_libsfcheck_a_SOURCES = \
	check/ck_conn.c check/ck_conn.h \
	check/ck_digest.c check/ck_digest.h \
	check/ck_dns.c check/ck_dns.h \
	check/ck_locate.c check/ck_locate.h \
	check/ck_loop.c check/ck_loop.h \
	check/ck_output.c check/ck_output.h \
	check/ck_probe.c check/ck_probe.h \
	check/ck_request.c check/ck_request.h \
	check/ck_result.c check/ck_result.h \
	check/ck_target.c check/ck_target.h \
	check/ck_tls.c check/ck_tls.h \
	check/ck_ws.c check/ck_ws.h
check_libsfcheck_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SF_CHECK_LIBS = check/libsfcheck.a $(SF_SIP_LIBS) lib/libsfcore.a $(OPENSSL_LIBS) $(GLIB_LIBS)

bin_PROGRAMS += bin/sipflow-check
bin_sipflow_check_SOURCES = check/sipflow-check.c
bin_sipflow_check_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
bin_sipflow_check_LDADD = $(SF_CHECK_LIBS)

# make fuzz: the libFuzzer target of sipflow-check's parsers (clang only;
# FUZZ_SECONDS is fuzz/local.mk's).  test/check_fuzz.sh runs it briefly in
# make check.
EXTRA_DIST += check/fuzz_check.c
CK_FUZZ_SRC = check/fuzz_check.c check/ck_digest.c check/ck_dns.c check/ck_loop.c check/ck_output.c \
	check/ck_result.c check/ck_target.c check/ck_ws.c plugin/sip/sip_hdr.c plugin/sip/sip_msg.c \
	lib/sf_json.c lib/sf_error.c
check/fuzz_check: $(CK_FUZZ_SRC:%=$(srcdir)/%) $(srcdir)/check/ck_digest.h $(srcdir)/check/ck_dns.h \
		$(srcdir)/check/ck_ws.h $(srcdir)/check/ck_target.h config.h
	@$(MKDIR_P) check
	$(AM_V_CCLD)$(CLANG) -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined $(DEFS) -I$(top_builddir) $(AM_CPPFLAGS) -I$(srcdir)/check \
	  $(GLIB_CFLAGS) $(OPENSSL_CFLAGS) -o $@ $(CK_FUZZ_SRC:%=$(srcdir)/%) $(OPENSSL_LIBS) $(GLIB_LIBS)
fuzz-check: check/fuzz_check
	@$(MKDIR_P) check/fuzz-corpus
	./check/fuzz_check -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=check/crash- \
	  check/fuzz-corpus $(srcdir)/test/data/check/fuzz-seeds
.PHONY: fuzz-check
if HAVE_CLANG
FUZZ_TARGETS += fuzz-check
endif
CLEANFILES += check/fuzz_check
