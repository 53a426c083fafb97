"""The definitions a generated torch program carries for registry functions.

A module written for torch (either form) defines each function it calls with
one of these (NumPy and jax modules copy the function's NumPy form instead);
an entry of :mod:`symprop.registry.functions` names its own here, under the
name of its NumPy form (``max`` defines ``maximum``).  ``DTYPE`` is the module's
floating type.

>>> print(TORCH_SOURCES["relu"], end="")
def relu(x):
    return torch.relu(x)
"""

TORCH_SOURCES = {
    "sigmoid": "def sigmoid(x):\n    return torch.sigmoid(x)\n",
    "relu": "def relu(x):\n    return torch.relu(x)\n",
    "leaky_relu": ("def leaky_relu(x, slope):\n"
                   "    return torch.nn.functional.leaky_relu(x, float(slope))\n"),
    "softplus": "def softplus(x):\n    return torch.nn.functional.softplus(x)\n",
    "step": ("def step(x, at_zero=0):\n"
             "    return torch.heaviside(x, torch.as_tensor(float(at_zero), dtype=x.dtype))\n"),
    "gelu": ("def gelu(x):\n"
             "    return torch.nn.functional.gelu(x, approximate=\"tanh\")\n"),
    "silu": "def silu(x):\n    return torch.nn.functional.silu(x)\n",
    "softmax": ("def softmax(k, *logits):\n"
                "    return torch.softmax(torch.stack(torch.broadcast_tensors(*logits)), dim=0)"
                "[int(k) - 1]\n"),
    "mod": "def mod(x, y):\n    return torch.remainder(x, y)\n",
    "max": ("def maximum(*args):\n"
            "    first = next(a for a in args if isinstance(a, torch.Tensor))\n"
            "    for a in args:\n"
            "        first = torch.maximum(first, torch.as_tensor(a, dtype=DTYPE, device=first.device))\n"
            "    return first\n"),
    "min": ("def minimum(*args):\n"
            "    first = next(a for a in args if isinstance(a, torch.Tensor))\n"
            "    for a in args:\n"
            "        first = torch.minimum(first, torch.as_tensor(a, dtype=DTYPE, device=first.device))\n"
            "    return first\n"),
    "cot": "def cot(x):\n    return 1 / torch.tan(x)\n",
    "sec": "def sec(x):\n    return 1 / torch.cos(x)\n",
    "csc": "def csc(x):\n    return 1 / torch.sin(x)\n",
    "where": ("def where(condition, a, b):\n"
              "    device = condition.device\n"
              "    return torch.where(condition, torch.as_tensor(a, dtype=DTYPE, device=device),\n"
              "                       torch.as_tensor(b, dtype=DTYPE, device=device))\n"),
}
