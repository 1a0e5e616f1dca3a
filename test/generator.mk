# test/generator.mk: bench/sipgen (the project's capture generator), checked
# by independent decoders (tshark, libpcap), and the bench helper programs.
GENERATOR_TESTS = test/generator-tshark.sh test/generator-records.sh test/generator-determinism.sh \
	test/bench-tools.sh
TESTS += $(GENERATOR_TESTS)
EXTRA_DIST += $(GENERATOR_TESTS) test/generator_records.py
