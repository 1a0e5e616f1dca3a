dist_man_MANS += man/sipflow.8
