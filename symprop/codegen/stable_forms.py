"""The helpers only generated code calls (not registry functions), in each library's form.

``logsumexp`` (the stable rewrites of :mod:`.stable` call it) and ``masked``
(a gradient through a step) are NumPy functions copied verbatim into NumPy
modules, like :mod:`symprop.registry.numpy_forms`; torch and jax modules define
them with ``TORCH_FORMS`` and ``JAX_FORMS``, by the NumPy form's name.  The
column softmax of matrix programs is written once for every library.

These are no function knowledge, so they live here and not in the registry:
no user's expression calls them and no entry names them; the code generator
introduces them itself (a stable rewrite, a product with a step), the same for
every function, and the tables hold nothing per registry function.  A registry
function's forms for each library are its entry's (``numpy``, ``torch_source``,
``jax_source``).

>>> float(logsumexp(np.float64(1000.0), np.float64(1000.0)))  # no overflow
1000.6931471805599
"""
import math

import numpy as np

__all__ = ["COLUMN_SOFTMAX", "JAX_FORMS", "TORCH_FORMS", "logsumexp", "masked"]


def logsumexp(*logits):
    """log(sum_k exp(z_k)), shifted by the largest logit so that nothing overflows."""
    if all(type(z) is float for z in logits):
        top = max(logits)
        return top + math.log(sum(math.exp(z - top) for z in logits))
    top = np.maximum.reduce(np.broadcast_arrays(*logits))
    return top + np.log(sum(np.exp(z - top) for z in logits))


def masked(mask, value):
    """mask * value, and 0 wherever the mask (a step) is 0, even where value is inf or NaN.

    PyTorch's ReLU, step and max pass gradients through a mask, not a product:
    sqrt(relu(x)) has gradient 0, not 0 * inf, at x < 0.
    """
    if type(mask) is float and type(value) is float:
        return 0.0 if mask == 0.0 else mask * value
    with np.errstate(invalid="ignore"):  # 0 * inf, about to be masked away
        product = mask * value
    return np.where(mask == 0, 0.0, product)


TORCH_FORMS = {
    "logsumexp": ("def logsumexp(*logits):\n"
                  "    return torch.logsumexp(torch.stack(torch.broadcast_tensors(*logits)), dim=0)\n"),
    "masked": ("def masked(mask, value):\n"
               "    return torch.where(mask == 0, 0.0, mask * value)  # 0, even where value is inf\n"),
}

JAX_FORMS = {
    "masked": ("def masked(mask, value):\n"
               "    return jnp.where(mask == 0, 0.0, mask * value)  # 0, even where value is inf\n"),
}

# {M}: the library's module; {MAX}, {SUM}, {AXIS}, {KEEP}: its reductions' spelling.
COLUMN_SOFTMAX = '''
def softmax_columns(z):
    """The softmax of each column, shifted by the column maximum for stability."""
    e = {M}.exp(z - {MAX}(z, {AXIS}=0, {KEEP}=True))
    return e / {SUM}(e, {AXIS}=0, {KEEP}=True)


def logsumexp_columns(z):
    """log of the sum of exp over each column, shifted: finite for any finite z."""
    top = {MAX}(z, {AXIS}=0, {KEEP}=True)
    return top + {M}.log({SUM}({M}.exp(z - top), {AXIS}=0, {KEEP}=True))
'''
