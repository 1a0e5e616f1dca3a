# src/: the sipflow program, a thin layer over lib/ and the plugins
sbin_PROGRAMS += src/sipflow
src_sipflow_SOURCES = src/sipflow.c src/plugins.c src/plugins.def
src_sipflow_LDADD = $(SF_SIP_LIBS) $(SF_CORE_LIBS)
