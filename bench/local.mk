# bench/: the capture generator and make bench
