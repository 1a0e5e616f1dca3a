# test/core.mk
