r"""A spec's ``[notes]`` table: the claims a source wrote, which ``symprop notes`` remarks on.

Each entry of ``claims`` is a gradient, ``{ wrt, claim, source }``, read as a
``(wrt, claim, source)`` triple, or a definition of the loss, ``{ loss, source }``, read
as a :class:`~symprop.verify.loss_claims.LossClaim`.  The strings are only checked
here (kind, length); their LaTeX is screened and read when the notes verify them.

>>> from symprop.front.spec import loads_spec
>>> spec = loads_spec('''
... [mlp]
... layers = [2, 1]
... [notes]
... claims = [{ loss = 'J = \\sum ylog(p)', source = "the post" },
...           { wrt = "b2_1", claim = 'a_1^{[2]} - y' }]
... ''')
>>> spec.claims
(LossClaim(loss='J = \\sum ylog(p)', source='the post'), ('b2_1', 'a_1^{[2]} - y', 'the source'))
>>> loads_spec('[mlp]\nlayers = [2, 1]\n[notes]\nclaims = [{ source = "the post" }]')
Traceback (most recent call last):
...
symprop.errors.SympropError: <spec>: [notes] claims[1]: expected either wrt and claim (a gradient) or loss (a definition of the loss), got neither
"""
from __future__ import annotations

from .tables import kind

NOTES_KEYS = {"claims"}
CLAIM_KEYS = {"wrt", "claim", "source", "loss"}
MAX_NOTES_CLAIMS = 20        # each is verified when the notes are written
MAX_CLAIM_CHARS = 4000       # as the claim readers read at most (parse.latex_text.MAX_LENGTH)
MAX_SOURCE_CHARS = 200       # who wrote it, in words


def read_notes(reader, table) -> tuple:
    """``[notes] claims`` checked by ``reader`` (the spec's, which names file and key in its
    errors): a tuple of ``(wrt, claim, source)`` triples and :class:`LossClaim` s."""
    table = reader.table("[notes]", table)
    reader.no_unknown_keys("[notes]", table, NOTES_KEYS)
    claims = table.get("claims", [])
    if not isinstance(claims, list):
        raise reader.error("[notes] claims", f"expected a list of tables, got {kind(claims)}")
    if len(claims) > MAX_NOTES_CLAIMS:
        raise reader.error("[notes] claims", f"{len(claims)} claims; at most {MAX_NOTES_CLAIMS}")
    return tuple(_claim(reader, f"[notes] claims[{i}]", claim)
                 for i, claim in enumerate(claims, 1))


def _claim(reader, where, claim):
    from ..verify.loss_claims import LossClaim

    claim = reader.table(where, claim)
    reader.no_unknown_keys(where, claim, CLAIM_KEYS)
    gradient = [k for k in ("wrt", "claim") if k in claim]
    if gradient and "loss" in claim:
        raise reader.error(where, f"expected either wrt and claim (a gradient) or loss (a "
                                  f"definition of the loss), got both {gradient[0]} and loss")
    if not gradient and "loss" not in claim:
        raise reader.error(where, "expected either wrt and claim (a gradient) or loss (a "
                                  "definition of the loss), got neither")
    source = reader.string(f"{where} source", claim.get("source", "the source"),
                   MAX_SOURCE_CHARS)
    if "loss" in claim:
        return LossClaim(reader.string(f"{where} loss", claim["loss"], MAX_CLAIM_CHARS), source)
    for key in ("wrt", "claim"):
        reader.require(where, claim, key)
    return (reader.string(f"{where} wrt", claim["wrt"]),
            reader.string(f"{where} claim", claim["claim"], MAX_CLAIM_CHARS), source)


__all__ = ["CLAIM_KEYS", "MAX_NOTES_CLAIMS", "NOTES_KEYS", "read_notes"]
