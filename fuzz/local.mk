# fuzz/: libFuzzer targets (make fuzz)
