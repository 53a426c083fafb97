"""What users touch: the command line, spec files, ready-made networks and the seeds' graphs.

See docs/architecture.md.
"""
