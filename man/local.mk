dist_man_MANS += man/sipflow.8
dist_man_MANS += man/sipflow-check.1
