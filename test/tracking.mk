# test/tracking.mk
