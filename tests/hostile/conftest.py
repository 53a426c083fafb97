# The fork server is a program the harness starts, not a module to collect doctests from.
collect_ignore = ["forkserver.py"]
