# fuzz/: libFuzzer targets (make fuzz)
#
# Built by explicit rules with $(CLANG) (-fsanitize=fuzzer,address,undefined),
# straight from the parser sources, never through automake's CC.
#   make fuzz [FUZZ_SECONDS=N]   run every target N seconds (default 60) from
#                                the seeds; new inputs go to fuzz/corpus-*/,
#                                crashes to fuzz/crash-*.
# A 10-second run of each is part of make check (fuzz/fuzz-smoke.sh), and
# every input in fuzz/regressions/ is replayed there first.  A crash the
# fuzzer ever finds is added to fuzz/regressions/<target>/ for good.
FUZZ_SECONDS = 60
FUZZ_BINS = fuzz/fuzz_sip_msg fuzz/fuzz_sdp
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_builddir) -I$(srcdir)/lib -I$(srcdir)/plugin/sip \
	$(GLIB_CFLAGS)
FUZZ_MSG_SRC = $(srcdir)/fuzz/fuzz_sip_msg.c $(srcdir)/plugin/sip/sip_msg.c $(srcdir)/plugin/sip/sip_hdr.c \
	$(srcdir)/plugin/sip/sip_uri.c $(srcdir)/plugin/sip/sip_sdp.c $(srcdir)/plugin/sip/sip_dissect.c \
	$(srcdir)/lib/sf_json.c
FUZZ_SDP_SRC = $(srcdir)/fuzz/fuzz_sdp.c $(srcdir)/plugin/sip/sip_sdp.c
EXTRA_DIST += fuzz/fuzz_sip_msg.c fuzz/fuzz_sdp.c fuzz/sdp_media_same.h fuzz/sip_msg_same.h fuzz/sip.dict fuzz/seeds fuzz/regressions fuzz/fuzz-smoke.sh
CLEANFILES += $(FUZZ_BINS)

fuzz/fuzz_sip_msg: $(FUZZ_MSG_SRC) $(srcdir)/plugin/sip/sip_msg.h $(srcdir)/fuzz/sip_msg_same.h $(srcdir)/plugin/sip/sip_sdp.h \
		$(srcdir)/plugin/sip/sip_uri.h $(srcdir)/plugin/sip/sip_dissect.h config.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_MSG_SRC) $(GLIB_LIBS)

fuzz/fuzz_sdp: $(FUZZ_SDP_SRC) $(srcdir)/plugin/sip/sip_sdp.h $(srcdir)/fuzz/sdp_media_same.h config.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SDP_SRC) $(GLIB_LIBS)

# name:binary:seed directories
FUZZ_RUNS = msg:fuzz/fuzz_sip_msg:$(srcdir)/test/data/rfc4475,$(srcdir)/fuzz/regressions/msg \
	sdp:fuzz/fuzz_sdp:$(srcdir)/fuzz/seeds/sdp,$(srcdir)/fuzz/regressions/sdp

fuzz-run: $(FUZZ_BINS)
	@test -n "$(CLANG)" || { echo "make fuzz needs clang (tools/deps.sh test installs it)"; exit 1; }
	@for r in $(FUZZ_RUNS); do \
	  name=$${r%%:*}; rest=$${r#*:}; bin=$${rest%%:*}; seeds=$$(echo $${rest#*:} | tr , ' '); \
	  $(MKDIR_P) fuzz/corpus-$$name; \
	  echo "fuzz: $$bin for $(FUZZ_SECONDS) s"; \
	  ./$$bin -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 -dict=$(srcdir)/fuzz/sip.dict \
	    -artifact_prefix=fuzz/crash-$$name- fuzz/corpus-$$name $$seeds 2>fuzz/$$name.log || \
	    { tail -40 fuzz/$$name.log; echo "fuzz: $$bin crashed, input in fuzz/crash-$$name-*"; exit 1; }; \
	  grep -E '^stat::(number_of_executed_units|new_units_added)' fuzz/$$name.log; \
	done
FUZZ_TARGETS += fuzz-run
.PHONY: fuzz-run

clean-local: clean-local-fuzz
clean-local-fuzz:
	-rm -rf fuzz/corpus-msg fuzz/corpus-sdp fuzz/msg.log fuzz/sdp.log
.PHONY: clean-local-fuzz

if HAVE_CLANG
if ENABLE_TESTS
TESTS += fuzz/fuzz-smoke.sh
fuzz/fuzz-smoke.log: $(FUZZ_BINS)
endif
endif

# The reassemblers (issue "Every transport"): fuzz_tcp drives sf_tcp with
# segment sequences, fuzz_frag drives sf_decode + sf_frag with fragments;
# both check the memory caps after every step.
FUZZ_BINS += fuzz/fuzz_tcp fuzz/fuzz_frag
FUZZ_TCP_SRC = $(srcdir)/fuzz/fuzz_tcp.c $(srcdir)/lib/sf_tcp.c $(srcdir)/lib/sf_counters.c $(srcdir)/lib/sf_json.c
FUZZ_FRAG_SRC = $(srcdir)/fuzz/fuzz_frag.c $(srcdir)/lib/sf_frag.c $(srcdir)/lib/sf_decode.c \
	$(srcdir)/lib/sf_counters.c $(srcdir)/lib/sf_json.c
EXTRA_DIST += fuzz/fuzz_tcp.c fuzz/fuzz_frag.c fuzz/fuzz_input.h

fuzz/fuzz_tcp: $(FUZZ_TCP_SRC) $(srcdir)/fuzz/fuzz_input.h $(srcdir)/lib/sf_tcp.h $(srcdir)/lib/sf_plugin.h $(srcdir)/lib/sf_packet.h config.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_CFLAGS) -I$(srcdir) -o $@ $(FUZZ_TCP_SRC) $(GLIB_LIBS)

fuzz/fuzz_frag: $(FUZZ_FRAG_SRC) $(srcdir)/fuzz/fuzz_input.h $(srcdir)/lib/sf_frag.h $(srcdir)/lib/sf_decode.h $(srcdir)/lib/sf_packet.h config.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_CFLAGS) -I$(srcdir) -o $@ $(FUZZ_FRAG_SRC) $(GLIB_LIBS)

FUZZ_RUNS += tcp:fuzz/fuzz_tcp:$(srcdir)/fuzz/seeds/tcp,$(srcdir)/fuzz/regressions/tcp \
	frag:fuzz/fuzz_frag:$(srcdir)/fuzz/seeds/frag,$(srcdir)/fuzz/regressions/frag

# --events (issue "Per-message events"): fuzz_sip_events turns every message
# the parser accepts into an event, and redacts its secrets.
FUZZ_BINS += fuzz/fuzz_sip_events
FUZZ_EVENTS_SRC = $(srcdir)/fuzz/fuzz_sip_events.c $(srcdir)/plugin/sip/sip_events.c \
	$(srcdir)/plugin/sip/sip_events_fields.c $(srcdir)/plugin/sip/sip_msg.c $(srcdir)/plugin/sip/sip_hdr.c \
	$(srcdir)/plugin/sip/sip_uri.c $(srcdir)/plugin/sip/sip_sdp.c $(srcdir)/lib/sf_json.c \
	$(srcdir)/lib/sf_community_id.c $(srcdir)/lib/sf_log.c $(srcdir)/lib/sf_error.c $(srcdir)/lib/sf_decode.c \
	$(srcdir)/lib/sf_counters.c
EXTRA_DIST += fuzz/fuzz_sip_events.c

fuzz/fuzz_sip_events: $(FUZZ_EVENTS_SRC) $(srcdir)/plugin/sip/sip_events.h $(srcdir)/plugin/sip/sip_events_int.h \
		$(srcdir)/plugin/sip/sip_msg.h config.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_CFLAGS) -I$(srcdir) -o $@ $(FUZZ_EVENTS_SRC) $(GLIB_LIBS)

FUZZ_RUNS += events:fuzz/fuzz_sip_events:$(srcdir)/test/data/rfc4475,$(srcdir)/fuzz/seeds/events,$(srcdir)/fuzz/regressions/events

# The call table (issue "Call tracking"): fuzz_sip_calls sends step
# sequences of SIP datagrams through sf_core and the SIP plugin with a
# table of 8 calls, and formats every exported record.
FUZZ_BINS += fuzz/fuzz_sip_calls
FUZZ_CALLS_SRC = $(srcdir)/fuzz/fuzz_sip_calls.c \
	$(srcdir)/lib/sf_capture.c $(srcdir)/lib/sf_community_id.c $(srcdir)/lib/sf_core.c \
	$(srcdir)/lib/sf_counters.c $(srcdir)/lib/sf_decode.c $(srcdir)/lib/sf_dumpfmt.c $(srcdir)/lib/sf_error.c \
	$(srcdir)/lib/sf_fields.c $(srcdir)/lib/sf_frag.c $(srcdir)/lib/sf_ipfix_enc.c $(srcdir)/lib/sf_ipfix_model.c \
	$(srcdir)/lib/sf_json.c $(srcdir)/lib/sf_log.c $(srcdir)/lib/sf_msgq.c $(srcdir)/lib/sf_opt.c \
	$(srcdir)/lib/sf_out_dump.c $(srcdir)/lib/sf_out_ipfix.c $(srcdir)/lib/sf_out_json.c $(srcdir)/lib/sf_outputs.c \
	$(srcdir)/lib/sf_sock.c $(srcdir)/lib/sf_spawn.c $(srcdir)/lib/sf_tcp.c $(srcdir)/lib/sf_wheel.c \
	$(srcdir)/plugin/sip/sip_call.c $(srcdir)/plugin/sip/sip_call_export.c $(srcdir)/plugin/sip/sip_dissect.c \
	$(srcdir)/plugin/sip/sip_events.c $(srcdir)/plugin/sip/sip_events_fields.c $(srcdir)/plugin/sip/sip_hdr.c \
	$(srcdir)/plugin/sip/sip_msg.c $(srcdir)/plugin/sip/sip_plugin.c $(srcdir)/plugin/sip/sip_sdp.c \
	$(srcdir)/plugin/sip/sip_uri.c
EXTRA_DIST += fuzz/fuzz_sip_calls.c fuzz/sip_udp_frame.h

fuzz/fuzz_sip_calls: $(FUZZ_CALLS_SRC) $(srcdir)/plugin/sip/sip_call_int.h $(srcdir)/plugin/sip/sip_call.h \
		$(srcdir)/plugin/sip/sip_msg.h $(srcdir)/plugin/sip/sip_sdp.h $(srcdir)/lib/sf_core.h $(srcdir)/fuzz/sip_udp_frame.h config.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(CLANG) $(FUZZ_CFLAGS) $(FIXBUF_CFLAGS) $(PCAP_CFLAGS) -I$(srcdir) -o $@ $(FUZZ_CALLS_SRC) \
		$(FIXBUF_LIBS) $(PCAP_LIBS) $(GLIB_LIBS) -lm

FUZZ_RUNS += calls:fuzz/fuzz_sip_calls:$(srcdir)/fuzz/seeds/calls,$(srcdir)/fuzz/regressions/calls
