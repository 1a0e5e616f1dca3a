# lib/: the probe core (knows nothing about SIP)
noinst_LIBRARIES += lib/libsfcore.a
lib_libsfcore_a_SOURCES = \
	lib/sf_capture.c lib/sf_capture.h \
	lib/sf_community_id.c lib/sf_community_id.h \
	lib/sf_core.c lib/sf_core.h \
	lib/sf_counters.c lib/sf_counters.h \
	lib/sf_decode.c lib/sf_decode.h \
	lib/sf_dumpfmt.c lib/sf_dumpfmt.h \
	lib/sf_error.c lib/sf_error.h \
	lib/sf_fields.c lib/sf_fields.h \
	lib/sf_frag.c lib/sf_frag.h \
	lib/sf_ipfix_enc.c lib/sf_ipfix_enc.h \
	lib/sf_ipfix_model.c lib/sf_ipfix_model.h \
	lib/sf_json.c lib/sf_json.h \
	lib/sf_log.c lib/sf_log.h \
	lib/sf_msgq.c lib/sf_msgq.h \
	lib/sf_opt.c lib/sf_opt.h \
	lib/sf_out_dump.c lib/sf_out_ipfix.c lib/sf_out_json.c \
	lib/sf_output.h lib/sf_outputs.c lib/sf_outputs.h \
	lib/sf_packet.h lib/sf_plugin.h \
	lib/sf_sock.c lib/sf_sock.h \
	lib/sf_spawn.c lib/sf_spawn.h \
	lib/sf_tcp.c lib/sf_tcp.h \
	lib/sf_view.h lib/sf_copy.h \
	lib/sf_wheel.c lib/sf_wheel.h lib/sf_list.h lib/sf_fmt.h
SF_CORE_LIBS = lib/libsfcore.a $(FIXBUF_LIBS) $(PCAP_LIBS) $(GLIB_LIBS) -lm
