r"""``[notes] claims`` in a spec: gradient entries ``{ wrt, claim, source }`` and loss entries
``{ loss, source }``, each bad entry refused in one line that names it."""
import pytest

from symprop.errors import SympropError
from symprop.front.spec import SPEC_KEYS, loads_spec
from symprop.verify.loss_claims import LossClaim

MLP = '[mlp]\nlayers = [2, 1]\n'


def _claims(entries: str):
    return loads_spec(MLP + "[notes]\nclaims = [" + entries + "]\n", source="net.toml").claims


def test_a_loss_entry_is_a_loss_claim_beside_gradient_triples():
    claims = _claims(r"""{ loss = 'J = \sum ylog(p)', source = "Backprop Implementation" },
                         { wrt = "b2_1", claim = 'a_1^{[2]} - y' },
                         { loss = 'L = (a - y)^2' }""")
    assert claims == (LossClaim(r"J = \sum ylog(p)", "Backprop Implementation"),
                      ("b2_1", "a_1^{[2]} - y", "the source"),
                      LossClaim("L = (a - y)^2", "the source"))


def test_the_loss_key_is_a_spec_key():
    assert "loss" in SPEC_KEYS["notes.claims"]


@pytest.mark.parametrize("entries, message", [
    ('{ wrt = "W2", claim = "x" }, { loss = "J = y", wrt = "W2" }',
     "net.toml: [notes] claims[2]: expected either wrt and claim (a gradient) or loss (a "
     "definition of the loss), got both wrt and loss"),
    ('{ loss = "J = y", claim = "x" }',
     "net.toml: [notes] claims[1]: expected either wrt and claim (a gradient) or loss (a "
     "definition of the loss), got both claim and loss"),
    ('{ source = "the post" }',
     "net.toml: [notes] claims[1]: expected either wrt and claim (a gradient) or loss (a "
     "definition of the loss), got neither"),
    ('{ loss = 3 }', "net.toml: [notes] claims[1] loss: expected a string, got an integer"),
    ('{ loss = "' + "y" * 4001 + '" }',
     "net.toml: [notes] claims[1] loss: 4001 characters; at most 4000"),
    ('{ wrt = "b2_1", claim = "' + "y" * 4001 + '" }',
     "net.toml: [notes] claims[1] claim: 4001 characters; at most 4000"),
    ('{ loss = "J = y", source = "' + "s" * 201 + '" }',
     "net.toml: [notes] claims[1] source: 201 characters; at most 200"),
    ('{ loss = "J = y", by = "me" }', "net.toml: [notes] claims[1]: unknown key(s) 'by'"),
])
def test_a_bad_entry_is_one_line_naming_it(entries, message):
    with pytest.raises(SympropError) as info:
        _claims(entries)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_a_loss_that_does_not_read_is_left_to_the_notes_to_remark_on():
    # Only its kind and length are checked on loading; the notes say it cannot be read.
    assert _claims(r'{ loss = "J = \\input{x}" }') == (LossClaim(r"J = \input{x}"),)
