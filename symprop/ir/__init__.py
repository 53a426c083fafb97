"""Stage 1, the intermediate representation: declared names, their shapes, and the edges between them.

`Graph` holds scalar vertices (as in *Back Propagation*), `MatrixGraph` layer-level ones (as in *Backprop Implementation*); both
declare through `declarations.Declarations`, and every edge carries its local pullback
(`graph.Edge`), so the later stages serve both; what differs is the graph's `forms.Form`.
"""
