# test/events.mk
