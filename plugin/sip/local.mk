# plugin/sip/: the SIP dissector
noinst_LIBRARIES += plugin/sip/libsfsip.a
plugin_sip_libsfsip_a_SOURCES = \
	plugin/sip/sip_call.c plugin/sip/sip_call.h plugin/sip/sip_call_int.h plugin/sip/sip_call_export.c \
	plugin/sip/sip_dissect.c plugin/sip/sip_dissect.h \
	plugin/sip/sip_events.c plugin/sip/sip_events.h \
	plugin/sip/sip_events_fields.c plugin/sip/sip_events_int.h plugin/sip/sip_fields.h \
	plugin/sip/sip_hdr.c plugin/sip/sip_hdr.h \
	plugin/sip/sip_msg.c plugin/sip/sip_msg.h \
	plugin/sip/sip_plugin.c plugin/sip/sip_plugin.h \
	plugin/sip/sip_sdp.c plugin/sip/sip_sdp.h plugin/sip/sip_text.h \
	plugin/sip/sip_uri.c plugin/sip/sip_uri.h
SF_SIP_LIBS = plugin/sip/libsfsip.a
