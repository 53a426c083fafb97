"""The definitions a generated torch program carries for registry functions.

A module written for torch (either form) defines each function it calls with
one of these (NumPy and jax modules copy the function's NumPy form instead);
each is the ``torch_source`` of one entry of :mod:`symprop.registry.table`,
defining the function under the name of its NumPy form (``max`` defines
``maximum``).  ``DTYPE`` is the module's floating type.

>>> print(RELU, end="")
def relu(x):
    return torch.relu(x)
"""

SIGMOID = "def sigmoid(x):\n    return torch.sigmoid(x)\n"

RELU = "def relu(x):\n    return torch.relu(x)\n"

LEAKY_RELU = ("def leaky_relu(x, slope):\n"
              "    return torch.nn.functional.leaky_relu(x, float(slope))\n")

SOFTPLUS = "def softplus(x):\n    return torch.nn.functional.softplus(x)\n"

STEP = ("def step(x, at_zero=0):\n"
        "    return torch.heaviside(x, torch.as_tensor(float(at_zero), dtype=x.dtype))\n")

GELU = ("def gelu(x):\n"
        "    return torch.nn.functional.gelu(x, approximate=\"tanh\")\n")

SILU = "def silu(x):\n    return torch.nn.functional.silu(x)\n"

SOFTMAX = ("def softmax(k, *logits):\n"
           "    return torch.softmax(torch.stack(torch.broadcast_tensors(*logits)), dim=0)"
           "[int(k) - 1]\n")

MOD = "def mod(x, y):\n    return torch.remainder(x, y)\n"

MAX = ("def maximum(*args):\n"
       "    first = next(a for a in args if isinstance(a, torch.Tensor))\n"
       "    for a in args:\n"
       "        first = torch.maximum(first, torch.as_tensor(a, dtype=DTYPE, device=first.device))\n"
       "    return first\n")

MIN = ("def minimum(*args):\n"
       "    first = next(a for a in args if isinstance(a, torch.Tensor))\n"
       "    for a in args:\n"
       "        first = torch.minimum(first, torch.as_tensor(a, dtype=DTYPE, device=first.device))\n"
       "    return first\n")

COT = "def cot(x):\n    return 1 / torch.tan(x)\n"

SEC = "def sec(x):\n    return 1 / torch.cos(x)\n"

CSC = "def csc(x):\n    return 1 / torch.sin(x)\n"

WHERE = ("def where(condition, a, b):\n"
         "    device = condition.device\n"
         "    return torch.where(condition, torch.as_tensor(a, dtype=DTYPE, device=device),\n"
         "                       torch.as_tensor(b, dtype=DTYPE, device=device))\n")
