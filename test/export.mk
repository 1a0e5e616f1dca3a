# test/export.mk
