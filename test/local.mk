# test/: unit tests (cmocka) and golden tests over captures
