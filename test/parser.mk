# test/parser.mk
