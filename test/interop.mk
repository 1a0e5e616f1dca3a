# test/interop.mk: call records judged by independent decoders (issue 4).
#  - calls_ref.py computes every call record of a capture from tshark's own
#    SIP/SDP dissection (README "Call records" applied to tshark's fields);
#  - calls_judge.py compares what sipflow exported, decoded by tshark,
#    nfacctd or ipfix2csv, with those records, field by field;
#  - calls-golden.sh: the corpus captures and hand-written dialogs
#    (calls_scenarios.py), expected records in test/data/calls-golden/;
#  - calls-generated.sh: bench/sipgen captures, against both calls_ref.py and
#    sipgen's own per-call expectations;
#  - interop-live.sh: sipp calls on loopback captured live, records to a real
#    nfacctd (UDP) and ipfix2csv (TCP), ipfixDump on the file (needs root).
INTEROP_TESTS = test/calls-golden.sh test/calls-generated.sh test/interop-live.sh
TESTS += $(INTEROP_TESTS)
EXTRA_DIST += $(INTEROP_TESTS) test/calls_ref.py test/calls_judge.py test/calls_scenarios.py \
	test/data/calls-golden test/data/interop test/data/sipp
