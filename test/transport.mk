# test/transport.mk
