# bench/: the capture generator (sipgen), the libpcap floor and `make bench`.
# BENCH_TARGETS lists what `make bench` runs; other areas append theirs.
noinst_PROGRAMS += bench/sipgen
bench_sipgen_SOURCES = bench/sipgen.c bench/sipgen.h bench/sipgen_call.c bench/sipgen_net.c \
	bench/sipgen_plan.c bench/sipgen_plan.h bench/sipgen_sip.c
bench_sipgen_CFLAGS = $(SF_CFLAGS) -O2
bench_sipgen_LDADD = -lm
