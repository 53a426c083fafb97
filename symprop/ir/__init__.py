"""Stage 1, the intermediate representation: declared names, their shapes, and the edges between them.

`Graph` holds scalar vertices (seed 000), `MatrixGraph` layer-level ones (seed 001);
see docs/architecture.md.
"""
