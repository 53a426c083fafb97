"""The registry's record of one function: :class:`Entry`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Entry:
    r"""What symprop knows of one function; adding a function is adding one of these.

    ``numpy`` is a function of :mod:`symprop.registry.numpy_forms` (copied into generated
    code), ``torch`` a callable over torch tensors taking the same arguments as
    the sympy function, ``latex`` the operator's LaTeX name as printed, ``reads``
    the other LaTeX spellings claims may use for it (:attr:`spellings` has them
    all), ``activation``/``output`` whether ``mlp()`` takes it for hidden layers /
    the output layer, ``vector_valued`` whether it maps a whole vector (softmax:
    ``sympy_class(k, z_1, ..., z_K)`` is component k), ``phrase`` its name in
    prose, ``torch_source`` its definition in generated torch programs
    (:mod:`symprop.registry.torch_sources`), ``jax_source`` its definition in
    generated jax programs where the NumPy form's cannot be carried over
    (by default a jax module copies the NumPy form, ``np.`` read as ``jnp.``),
    ``log_form`` and ``log_complement_form`` the stable logs a loss takes of it
    (:mod:`symprop.registry.stable`), ``kink``, ``zero_below`` and ``form_change``
    where the verifier must draw points with care (:mod:`symprop.registry.kinks`),
    ``flat`` whether its derivative is 0 wherever it exists (PyTorch takes it so
    everywhere), ``call`` what a spec file's call of ``name`` builds (by default
    ``sympy_class``) and ``aliases`` the other names spec files may call it by.

    A kink is also a change of form, and a function that is zero on one side of
    its kink has one:

    >>> Entry("sigmoid", None, None, None, r"\sigma").spellings
    ('\\sigma', '\\operatorname{sigmoid}')
    >>> Entry("kinked", None, None, None, "", kink=True).form_change
    True
    """

    name: str
    sympy_class: type
    numpy: Callable | None
    torch: Callable
    latex: str
    activation: bool = False
    output: bool = False
    vector_valued: bool = False
    reads: tuple[str, ...] = ()
    phrase: str = ""
    torch_source: str | None = None
    log_form: Callable | None = None              # log f(args), never forming f
    log_complement_form: Callable | None = None   # log(1 - f(args)), likewise
    kink: bool = False            # the derivative jumps where the first argument is 0
    zero_below: bool = False      # ... and f(u) is 0 exactly on one side of u = 0
    form_change: bool = False     # the formula changes where the first argument is 0
    flat: bool = False            # the derivative is 0 wherever it exists (sign, step)
    jax_source: str | None = None
    call: Callable | None = None  # what spec files' name(...) builds; None: sympy_class
    aliases: tuple[str, ...] = ()  # NumPy's spellings spec files may also write (arcsin)

    def __post_init__(self):
        if not self.phrase:
            object.__setattr__(self, "phrase", self.name)
        if self.zero_below and not self.kink:
            raise ValueError(f"{self.name}: zero_below says where a kink is; set kink=True")
        if self.kink:
            object.__setattr__(self, "form_change", True)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every LaTeX spelling read in: the printed one, ``\\operatorname{name}``, ``reads``."""
        named = rf"\operatorname{{{self.name.replace('_', '')}}}"
        return tuple(dict.fromkeys(s for s in (self.latex, named, *self.reads) if s))

    @property
    def callable(self) -> Callable:
        """What a spec file's ``name(...)`` builds: ``call``, or the sympy class."""
        return self.call or self.sympy_class
