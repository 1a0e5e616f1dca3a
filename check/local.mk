# check/: sipflow-check
