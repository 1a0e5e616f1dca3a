# bench/: the capture generator (sipgen), the libpcap floor and `make bench`.
# BENCH_TARGETS lists what `make bench` runs; other areas append theirs.
noinst_PROGRAMS += bench/sipgen bench/floor bench/measure
bench_sipgen_SOURCES = bench/sipgen.c bench/sipgen.h bench/sipgen_call.c bench/sipgen_net.c \
	bench/sipgen_plan.c bench/sipgen_plan.h bench/sipgen_sip.c
bench_sipgen_CFLAGS = $(SF_CFLAGS) -O2
bench_sipgen_LDADD = -lm
bench_floor_SOURCES = bench/floor.c
bench_floor_CFLAGS = $(SF_CFLAGS) $(PCAP_CFLAGS) -O2
bench_floor_LDADD = $(PCAP_LIBS)
bench_measure_SOURCES = bench/measure.c
bench_measure_CFLAGS = $(SF_CFLAGS)
EXTRA_DIST += bench/run-bench.sh bench/README.md

BENCH_TARGETS += bench-run
.PHONY: bench-run
bench-run: bench/sipgen bench/floor bench/measure src/sipflow
	SIPFLOW='$(abs_top_builddir)/src/sipflow' SIPGEN='$(abs_top_builddir)/bench/sipgen' \
	FLOOR='$(abs_top_builddir)/bench/floor' MEASURE='$(abs_top_builddir)/bench/measure' \
	SF_BENCH_CACHE="$${SF_BENCH_CACHE:-$(abs_top_builddir)/bench-cache}" \
	$(SHELL) $(srcdir)/bench/run-bench.sh

# bench_parse: the parser alone (parse, parse + SDP, full) on the UDP
# messages of a sipgen capture (5,000 calls: 10% IPv6, 10% compact forms,
# 15% failed), cached next to the other benchmark captures.
noinst_PROGRAMS += bench/bench_parse
bench_bench_parse_SOURCES = bench/bench_parse.c
bench_bench_parse_LDADD = $(SF_SIP_LIBS) $(SF_CORE_LIBS)
bench-parse: bench/bench_parse bench/sipgen
	@cache="$${SF_BENCH_CACHE:-$(abs_top_builddir)/bench-cache}"; f="$$cache/parse-5000.pcap"; \
	$(MKDIR_P) "$$cache"; \
	test -s "$$f" || ./bench/sipgen -q --calls 5000 --seed 5 --ipv6 .1 --compact .1 --fail .15 \
	  --no-records --out "$$f" || exit 1; \
	./bench/bench_parse --pcap "$$f"
BENCH_TARGETS += bench-parse
.PHONY: bench-parse

# bench-live: sipflow -i lo against sipp calls at rising rates (issue 7, "Live
# capture").  Needs root and sipp (skips otherwise); never part of make check
# nor of `make bench`: it generates live traffic for minutes.
EXTRA_DIST += bench/live-bench.sh
.PHONY: bench-live
bench-live: src/sipflow
	SIPFLOW='$(abs_top_builddir)/src/sipflow' $(SHELL) $(srcdir)/bench/live-bench.sh
