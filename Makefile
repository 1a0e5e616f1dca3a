# sipflow top-level Makefile: a small hand-written wrapper.
#
#   make demo    install what is missing, build, run sipflow on samples/
#   make check   install what is missing, build, run every test
#   make bench   build and run the benchmarks (prints figures)
#   make bench-live  sipflow -i lo against sipp at rising call rates (root)
#   make fuzz    run the libFuzzer targets for FUZZ_SECONDS (default 60)
#
# The automake build lives in $(BUILD) (out of tree); packagers can ignore
# this file and use autoreconf -i && ../configure && make as usual.
BUILD ?= build
CONFIGURE_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all demo check bench bench-live fuzz install clean distclean deps deps-test configure

all: $(BUILD)/Makefile
	@$(MAKE) --no-print-directory -C $(BUILD)

deps:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test

configure: $(BUILD)/Makefile


# Generate ./configure when it is missing; automake's own rules keep it
# up to date afterwards.
$(BUILD)/Makefile:
	@test -x configure -a -f Makefile.in || autoreconf -i
	@mkdir -p $(BUILD)
	cd $(BUILD) && ../configure $(CONFIGURE_FLAGS)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh samples/demo.sh $(BUILD)

check: deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C $(BUILD) check

bench: deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C $(BUILD) bench

bench-live: deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C $(BUILD) bench-live

fuzz: deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C $(BUILD) fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

install: all
	@$(MAKE) --no-print-directory -C $(BUILD) install

clean:
	@test ! -f $(BUILD)/Makefile || $(MAKE) --no-print-directory -C $(BUILD) clean

distclean:
	rm -rf $(BUILD) autom4te.cache build-aux aclocal.m4 configure Makefile.in config.h.in config.h.in~
