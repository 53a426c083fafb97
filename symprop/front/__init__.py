"""What users touch: the command line, spec files, ready-made networks and the lessons' graphs.

See docs/architecture.md.
"""
