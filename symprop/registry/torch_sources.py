"""The definitions a generated torch program carries for registry functions.

A matrix-form module written for torch defines each function it applies with
one of these (NumPy and jax modules copy the function's NumPy form instead);
an entry of :mod:`symprop.registry.functions` names its own here.

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
}
