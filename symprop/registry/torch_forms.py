"""The torch forms of registry functions that are more than one torch call.

The autograd oracle calls these on tensors; torch is imported only when it runs.
"""
import functools


def _torch():
    import torch  # optional: imported only when the oracle runs

    return torch


def _torch_softmax(k, *logits):
    torch = _torch()
    stacked = torch.stack(torch.broadcast_tensors(*logits))
    return torch.softmax(stacked, dim=0)[int(k) - 1]


def _torch_leaky_relu(x, slope):
    # torch.where rather than F.leaky_relu, whose slope must be a Python number:
    # here it may be a parameter.  At 0 the gradient is the slope, as in F.leaky_relu.
    return _torch().where(x > 0, x, slope * x)


def _torch_piecewise(*pairs):
    """``Piecewise((e1, c1), (e2, c2), ...)``: the first branch whose condition holds."""
    torch = _torch()
    value, _ = pairs[-1]  # sympy's last condition is True whenever the user gave a default
    for branch, condition in reversed(pairs[:-1]):
        value = torch.where(condition, branch, value)
    return value


def _torch_maximum(*args):
    return functools.reduce(_torch().maximum, args)


def _torch_minimum(*args):
    return functools.reduce(_torch().minimum, args)
