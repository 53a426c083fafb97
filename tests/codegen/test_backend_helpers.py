"""Matrix programs copy the NumPy forms without their one-example float branch."""
import pytest

from symprop import mlp
from symprop.registry.functions import ACTIVATIONS


@pytest.mark.parametrize("activation", [a for a in ACTIVATIONS if a != "identity"])
def test_matrix_source_needs_no_math(activation):
    source = mlp([3, 4, 2], activation=activation, form="matrix").compile().source
    assert "math." not in source and "is float" not in source
    assert f"def {activation}(" in source or activation == "tanh"  # np.tanh: no helper
