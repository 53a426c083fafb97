"""Stage 2, derivation, once for both forms: chain-rule paths, reverse accumulation over the
edges' pullbacks (local rules: `partials` for scalars, `matrix_rules` for matrices), one
table of textbook rules, and the `Derivation` of each parameter.
"""
