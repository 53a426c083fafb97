"""Stage 1, the intermediate representation: declared names, their shapes, and the edges between them.

One `graph.Graph` holds scalar vertices (as in *Back Propagation*) or layer-level matrices
(as in *Backprop Implementation*), scalars allowed beside them; it declares through
`declarations.Declarations`, and every edge carries its local pullback (`edges.Edge`), so
the later stages serve both; what differs is the graph's `forms.Form`, which its vertices'
shapes decide.
"""
