r"""A right derivation, mutated at random, is never judged right.

symprop's own gradient of each graph (``derive(p).result`` and its chain-rule paths,
as expression trees) is mutated at a site hypothesis picks: a path dropped from the
sum over paths, a factor dropped, the 1/m of the batch mean dropped, a transpose
dropped, indices swapped (w_{jk} for w_{kj}, a_1 for a_2, W_2 for W_3), a sign
flipped, a term dropped.  The mutant is written in LaTeX by symprop's own printer, so
it is well formed: a refusal to read it is a failure.

Whether a mutation changed the mathematics is decided by this module alone: the
mutant and the right expression are evaluated, by a forward pass of the graph's own
definitions written here (sympy at 30 digits for scalar graphs, NumPy for matrix
graphs), at random points drawn here.  A neutral mutant (a factor 1 dropped, two
equal symbols swapped) is discarded with ``assume``; a mutant that differs must get
``equivalent is False``, a diagnosis and a counterexample, and what ``verify`` read
must be the mutant (its reading evaluates to the mutant's values: a claim misread is
no evidence); where the mutant's shapes do not fit at all (a transpose dropped from a
non-square product) it must get ``equivalent is False`` and a diagnosis naming the
shapes.  Each right expression is itself checked once against central finite
differences of the loss, so the test rests on nothing symprop decides.

Each mutation is its own test, with ``examples(3)`` examples in the "ci" profile (ten
times as many, drawn at random, in "thorough").
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from sympy import (HadamardPower, HadamardProduct, Identity, MatAdd, MatMul, MatrixSymbol,
                   OneMatrix, Transpose, ZeroMatrix)
from sympy.matrices.exceptions import ShapeError

from corpus import CORPUS
from hypothesis_profiles import examples
from symprop import SympropError, mlp
from symprop.ir.matrix_ops import Apply, Softmax
from symprop.latex.matrix_printer import matrix_latex
from symprop.latex.printer import latex

DIGITS = 30
POINTS = 2                 # random points per example where mutant and right are compared
DIFFERS = 1e-9             # relative difference (of max(1, |right|)) that counts as a change
BATCHES = (4, 5)           # batch sizes of the matrix points (a shape that fits one only is wrong)

# ------------------------------------------------------------------ the graphs
SCALAR_GRAPHS = {
    "mlp_2_2_1": lambda: mlp([2, 2, 1]),
    "softmax_2_3_2": lambda: mlp([2, 3, 2], output="softmax", loss="ce", one_hot=True),
    **{name: CORPUS[name] for name in ("chain_rule_case2", "multiple_paths", "seed_network",
                                       "tanh_mse", "relu_softmax_ce", "leaky_relu_mse")},
}
SCALAR_TARGETS = [
    ("mlp_2_2_1", "w1_1_1"), ("mlp_2_2_1", "w1_2_2"), ("mlp_2_2_1", "w2_1_1"),
    ("mlp_2_2_1", "b1_2"),
    ("softmax_2_3_2", "w1_1_1"), ("softmax_2_3_2", "w1_2_3"), ("softmax_2_3_2", "w2_1_2"),
    ("softmax_2_3_2", "w2_3_1"), ("softmax_2_3_2", "b1_2"),
    ("chain_rule_case2", "x"), ("multiple_paths", "w"), ("multiple_paths", "u"),
    ("seed_network", "w1_1_2"), ("tanh_mse", "w1_1_2"), ("tanh_mse", "w2_3_1"),
    ("relu_softmax_ce", "w2_2_1"), ("relu_softmax_ce", "w1_1_1"), ("leaky_relu_mse", "w1_2_1"),
]
MATRIX_GRAPHS = {
    "matrix_softmax_2_3_2": lambda: mlp([2, 3, 2], output="softmax", loss="ce", one_hot=True,
                                        form="matrix"),
    # square layers: a dropped W^T still fits, and W_1 for W_2 (A_1 for A_2) is a valid product
    "matrix_tanh_3_3_3": lambda: mlp([3, 3, 3], activation="tanh", output="identity",
                                     loss="mse", form="matrix"),
    "matrix_relu_2_3_1": lambda: mlp([2, 3, 1], activation="relu", form="matrix"),
}
MATRIX_TARGETS = [(name, p) for name, params in [
    ("matrix_softmax_2_3_2", ("W1", "b1", "W2", "b2")),
    ("matrix_tanh_3_3_3", ("W1", "b1", "W2", "b2")),
    ("matrix_relu_2_3_1", ("W1", "b1", "W2")),
] for p in params]


@functools.cache
def graph(name):
    return {**SCALAR_GRAPHS, **MATRIX_GRAPHS}[name]()


@functools.cache
def derivation(name, wrt):
    return graph(name).derive(wrt)


# ------------------------------------------------------------------ scalar points, our own
def scalar_point(g, seed):
    """Inputs in (0.1, 0.9) (one-hot targets summing to 1), parameters in ±(0.1, 1.5), and
    every node's value by the graph's own definitions, at ``DIGITS`` digits."""
    rng = np.random.default_rng(seed)
    values = {s: sympy.Float(rng.uniform(0.1, 0.9), DIGITS) for s in g.input_symbols}
    for group in g.one_hot_groups:
        total = sum(values[s] for s in group)
        values.update({s: values[s] / total for s in group})
    for s in g.param_symbols:
        values[s] = sympy.Float(rng.choice([-1, 1]) * rng.uniform(0.1, 1.5), DIGITS)
    return forward(g, values)


def forward(g, values):
    values = dict(values)
    for n in g.node_symbols:
        values[n] = sympy.N(g.expr(n).xreplace(values), DIGITS)
    return values


def scalar_value(expr, values) -> float:
    value = complex(sympy.N(sympy.sympify(expr).xreplace(values), DIGITS))
    assert value.imag == 0 and np.isfinite(value.real), (expr, value)
    return value.real


# ------------------------------------------------------------------ matrix points, our own
def _dims(shape, m, batch):
    return tuple(int(sympy.sympify(d).subs(batch, m)) for d in shape)


class Misfit(Exception):
    """Shapes that do not fit: the expression is no matrix at all."""


# NumPy forms of our own for the functions the matrix graphs apply entry by entry
NUMPY = {"sigmoid": lambda x: 1 / (1 + np.exp(-x)), "relu": lambda x: np.maximum(x, 0.0)}


@functools.cache
def _entrywise(function):
    """``function`` (a one-variable Lambda) entry by entry in NumPy, first checked against
    sympy's own value of it at a few numbers."""
    f = sympy.lambdify(function.variables, function.expr, modules=[NUMPY, "numpy"])
    for t in (-0.7, 0.3, 1.1):
        assert f(np.array([t]))[0] == pytest.approx(
            float(sympy.N(function(sympy.Float(t, DIGITS)))), rel=1e-12, abs=1e-12), function
    return lambda x: np.asarray(f(x), dtype=float) * np.ones_like(x)


def matrix_value(e, env, m, batch):
    """``e`` evaluated with NumPy: the matrices of ``env`` by name, ``batch`` = ``m``."""
    if not getattr(e, "is_Matrix", False):
        return float(sympy.sympify(e).subs(batch, m))
    if isinstance(e, MatrixSymbol):
        return env[e.name]
    if isinstance(e, OneMatrix):
        return np.ones(_dims(e.shape, m, batch))
    if isinstance(e, ZeroMatrix):
        return np.zeros(_dims(e.shape, m, batch))
    if isinstance(e, Identity):
        return np.eye(_dims(e.shape, m, batch)[0])
    if isinstance(e, Transpose):
        return matrix_value(e.arg, env, m, batch).T
    if isinstance(e, Apply):
        return _entrywise(e.function)(matrix_value(e.arg, env, m, batch))
    if isinstance(e, Softmax):
        z = matrix_value(e.arg, env, m, batch)
        exp = np.exp(z - z.max(axis=0))
        return exp / exp.sum(axis=0)
    if isinstance(e, HadamardPower):
        return matrix_value(e.base, env, m, batch) ** matrix_value(e.exp, env, m, batch)
    args = [matrix_value(a, env, m, batch) for a in e.args]
    scalar = float(np.prod([a for a in args if not isinstance(a, np.ndarray)]))
    mats = [a for a in args if isinstance(a, np.ndarray)]
    if isinstance(e, MatMul):
        out = mats[0]
        for b in mats[1:]:
            if out.shape[1] != b.shape[0]:
                raise Misfit(f"{out.shape} times {b.shape}")
            out = out @ b
        return scalar * out
    if isinstance(e, (MatAdd, HadamardProduct)):
        if len({a.shape for a in mats}) != 1 or len(mats) != len(args):
            raise Misfit(f"{type(e).__name__} of shapes {[a.shape for a in mats]}")
        return np.sum(mats, axis=0) if isinstance(e, MatAdd) else np.prod(mats, axis=0)
    raise NotImplementedError(f"no evaluation of {type(e).__name__} in this test")


def matrix_point(g, seed, m):
    """X in N(0, 1), one-hot target columns (others in (0.1, 0.9)), parameters in
    0.8 N(0, 1), and every node by the graph's own definitions."""
    rng = np.random.default_rng(seed)
    one_hot = {s for group in g.one_hot_groups for s in group}
    targets = g.expr(g.loss_symbol).targets
    env = {}
    for s in g.input_symbols:
        rows, cols = _dims(s.shape, m, g.batch)
        if s in one_hot:
            env[s.name] = np.eye(rows)[:, rng.integers(0, rows, cols)]
        elif s == targets:
            env[s.name] = rng.uniform(0.1, 0.9, (rows, cols))
        else:
            env[s.name] = rng.normal(size=(rows, cols))
    for s in g.param_symbols:
        env[s.name] = 0.8 * rng.normal(size=_dims(s.shape, m, g.batch))
    return matrix_forward(g, env, m)


def matrix_forward(g, env, m):
    env = dict(env)
    for n in g.node_symbols:
        if n != g.loss_symbol:
            env[n.name] = matrix_value(g.expr(n), env, m, g.batch)
    return env


def matrix_loss(g, env, m) -> float:
    loss = g.expr(g.loss_symbol)
    per_entry, a, y = loss.per_entry()
    f = sympy.lambdify((a, y), per_entry, modules="numpy")
    outputs = matrix_value(loss.outputs, env, m, g.batch)
    targets = matrix_value(loss.targets, env, m, g.batch)
    return float(np.sum(f(outputs, targets))) / m


# ------------------------------------------------------------------ the right derivations
@functools.cache
def right_scalar(name, wrt):
    """symprop's gradient, checked first (once) against central finite differences of the
    loss at a point of our own: the right expression every mutant is compared with."""
    g, d = graph(name), derivation(name, wrt)
    values = scalar_point(g, 12345)
    p, h = g.symbol(wrt), sympy.Float("1e-10", DIGITS)
    up, down = forward(g, {**values, p: values[p] + h}), forward(g, {**values, p: values[p] - h})
    fd = float((up[g.loss_symbol] - down[g.loss_symbol]) / (2 * h))
    assert scalar_value(d.result, values) == pytest.approx(fd, rel=1e-8, abs=1e-12)
    path_sum = sympy.Add(*[sympy.Mul(*path.factors) for path in d.paths])
    assert scalar_value(path_sum, values) == pytest.approx(fd, rel=1e-8, abs=1e-12)
    return d.result


@functools.cache
def right_matrix(name, wrt):
    """The same for a matrix graph: every entry of the gradient, at m = 4."""
    g, d = graph(name), derivation(name, wrt)
    m, h = BATCHES[0], 1e-6
    env = matrix_point(g, 12345, m)
    gradient = matrix_value(d.result, env, m, g.batch)
    fd = np.zeros_like(env[wrt])
    for index in np.ndindex(fd.shape):
        shifted = []
        for step in (h, -h):
            moved = dict(env)
            moved[wrt] = env[wrt].copy()
            moved[wrt][index] += step
            shifted.append(matrix_loss(g, matrix_forward(g, moved, m), m))
        fd[index] = (shifted[0] - shifted[1]) / (2 * h)
    np.testing.assert_allclose(gradient, fd, rtol=1e-5, atol=1e-8)
    return d.result


# ------------------------------------------------------------------ expression trees
def positions(expr, wanted, at=()):
    """Every position (a tuple of argument indices) of a subexpression ``wanted`` accepts."""
    if wanted(expr):
        yield at
    if isinstance(expr, (Apply, sympy.Lambda)) or not isinstance(expr, sympy.Basic):
        return
    for i, arg in enumerate(expr.args):
        yield from positions(arg, wanted, at + (i,))


def rebuild(func, args):
    """``func(*args)``, a product or Hadamard product of one factor being that factor; a
    product whose shapes no longer fit is built as written (a claim can be so)."""
    if func in (MatMul, HadamardProduct, MatAdd) and len(args) == 1:
        return args[0]
    try:
        return func(*args)
    except ShapeError:
        return sympy.Basic.__new__(func, *args)


def replace_at(expr, at, change):
    if not at:
        return change(expr)
    args = list(expr.args)
    args[at[0]] = replace_at(args[at[0]], at[1:], change)
    return rebuild(expr.func, args)


def renamed(expr, old, new):
    """``expr`` with ``old`` written ``new`` (shapes that then misfit kept as written)."""
    if expr == old:
        return new
    if isinstance(expr, MatrixSymbol) or old not in expr.free_symbols:
        return expr
    return rebuild(expr.func, [renamed(a, old, new) for a in expr.args])


def subexpr(expr, at):
    for i in at:
        expr = expr.args[i]
    return expr


def without(i):
    """Drop argument ``i`` of a product or a sum."""
    return lambda e: rebuild(e.func, e.args[:i] + e.args[i + 1:])


def times_batch(i, batch):
    """Argument ``i`` of a product (a scalar such as 1/m or 2/m) times m: its 1/m dropped."""
    def change(e):
        c = sympy.simplify(e.args[i] * batch)
        assert batch not in c.free_symbols, e.args[i]
        return rebuild(e.func, e.args[:i] + ((c,) if c != 1 else ()) + e.args[i + 1:])
    return change


def negate_arg(i, negate):
    return lambda e: rebuild(e.func, e.args[:i] + (negate(e.args[i]),) + e.args[i + 1:])


def is_matrix(e):
    return getattr(e, "is_Matrix", False)


def has_batch(e, batch):
    return not is_matrix(e) and batch in sympy.sympify(e).free_symbols


def _scalar_negate(e):
    return -e


def _matrix_negate(e):
    return MatMul(sympy.Integer(-1), e)


# Index swaps.  Scalar names: w{l}_{j}_{k} (swap j and k), z{l}_{i}, a{l}_{i}, x{i}, y{i}
# (another unit of the layer); matrix names: A{l}, Z{l}, W{l}, b{l} (another layer).
WEIGHT = re.compile(r"^(w\d+)_(\d+)_(\d+)$")
UNIT = re.compile(r"^([za]\d+_|[xy])(\d+)$")
LAYER = re.compile(r"^([AZWb])(\d+)$")


def scalar_partners(g, s):
    names = {str(t) for t in g.symbols}
    found = []
    if match := WEIGHT.match(s.name):
        layer, j, k = match.groups()
        found = [f"{layer}_{k}_{j}"] if j != k else []
    elif match := UNIT.match(s.name):
        stem, i = match.groups()
        found = sorted(n for n in names if UNIT.match(n) and UNIT.match(n).group(1) == stem
                       and n != s.name)
    return [g.symbol(n) for n in found if n in names]


def matrix_partners(g, s):
    match = LAYER.match(s.name)
    if not match:
        return []
    names = {str(t) for t in g.symbols}
    return [g.symbol(n) for n in sorted(names) if LAYER.match(n)
            and LAYER.match(n).group(1) == match.group(1) and n != s.name]


# ------------------------------------------------------------------ the mutations
def scalar_mutants(kind, name, wrt):
    """``[(description, mutant expression)]``: every mutant of ``kind`` of the right gradient."""
    g, d = graph(name), derivation(name, wrt)
    result, factors = d.result, [tuple(path.factors) for path in d.paths]

    def path_sum(paths):
        return sympy.Add(*[sympy.Mul(*f) for f in paths])

    found = []
    if kind == "drop a path" and len(factors) > 1:
        found = [(f"without path {d.paths[i]}", path_sum(factors[:i] + factors[i + 1:]))
                 for i in range(len(factors))]
    elif kind == "drop a factor":
        found = [(f"without the factor {subexpr(result, at).args[j]} of {subexpr(result, at)}",
                  replace_at(result, at, without(j)))
                 for at in positions(result, lambda e: isinstance(e, sympy.Mul))
                 for j in range(len(subexpr(result, at).args))]
        found += [(f"path {d.paths[i]} without its factor {f[j]}",
                   path_sum(factors[:i] + [f[:j] + f[j + 1:]] + factors[i + 1:]))
                  for i, f in enumerate(factors) for j in range(len(f))]
    elif kind == "swap indices":
        found = [(f"{t} written for {s}", result.xreplace({s: t}))
                 for s in sorted(result.free_symbols, key=str) for t in scalar_partners(g, s)]
    elif kind == "flip a sign":
        found = [("the whole gradient negated", -result)]
        found += [(f"term {j} of {subexpr(result, at)} negated",
                   replace_at(result, at, negate_arg(j, _scalar_negate)))
                  for at in positions(result, lambda e: isinstance(e, sympy.Add))
                  for j in range(len(subexpr(result, at).args))]
        found += [(f"path {d.paths[i]} added with the wrong sign",
                   path_sum(factors[:i] + [(-1,) + f] + factors[i + 1:]))
                  for i, f in enumerate(factors) if len(factors) > 1]
    return found


def matrix_mutants(kind, name, wrt):
    """``[(description, mutant tree, (position, new subtree) or (old, new) symbols)]``."""
    g, d = graph(name), derivation(name, wrt)
    result, batch = d.result, g.batch

    def each(wanted, change, what):
        return [(f"{what} at {subexpr(result, at)}", replace_at(result, at, change),
                 (at, change(subexpr(result, at)))) for at in positions(result, wanted)]

    def each_arg(wanted, arg_wanted, change, what):
        found = []
        for at in positions(result, wanted):
            for j, arg in enumerate(subexpr(result, at).args):
                if not arg_wanted(arg):
                    continue
                try:
                    mutant = replace_at(result, at, change(j))
                except TypeError:       # a scalar left in a sum of matrices: no expression
                    continue
                found.append((f"{what} {arg} of {subexpr(result, at)}", mutant,
                              (at, change(j)(subexpr(result, at)))))
        return found

    if kind == "drop 1/m":          # the scalar 1/m (2/m) written 1 (2)
        return each_arg(lambda e: isinstance(e, MatMul), lambda a: has_batch(a, batch),
                        lambda j: times_batch(j, batch), "1/m dropped from")
    if kind == "drop a transpose":
        return each(lambda e: isinstance(e, Transpose), lambda e: e.arg, "transpose dropped")
    if kind == "drop a factor":          # a factor other than 1/m, a matrix left after it
        return [found for found in each_arg(
            lambda e: isinstance(e, (MatMul, HadamardProduct)),
            lambda a: not has_batch(a, batch), without, "without the factor")
            if is_matrix(found[1])]
    if kind == "drop a term":
        return each_arg(lambda e: isinstance(e, MatAdd), lambda a: True, without,
                        "without the term")
    if kind == "swap indices":
        return [(f"{t} written for {s}", renamed(result, s, t), (s, t))
                for s in sorted(result.free_symbols, key=str) if isinstance(s, MatrixSymbol)
                for t in matrix_partners(g, s)]
    if kind == "flip a sign":
        return [("the whole gradient negated", _matrix_negate(result),
                 ((), _matrix_negate(result)))] + each_arg(
            lambda e: isinstance(e, MatAdd), lambda a: True,
            lambda j: negate_arg(j, _matrix_negate), "negated: the term")
    raise AssertionError(kind)


def mutant_latex(g, result, mutant, change) -> str:
    """The mutant in symprop's LaTeX.  Where its shapes no longer fit (sympy then refuses to
    print it), the right gradient is printed with a placeholder of the changed part's shape
    and the placeholder's LaTeX replaced by the new part's: symprop's LaTeX, mutated."""
    try:
        return matrix_latex(mutant, g)
    except ShapeError:
        pass
    where, new = change
    if isinstance(where, MatrixSymbol):              # every `where` written `new`
        placeholder = MatrixSymbol("Placeholder", *where.shape)
        text = matrix_latex(result.xreplace({where: placeholder}), g)
        return text.replace(matrix_latex(placeholder, g), matrix_latex(new, g))
    placeholder = MatrixSymbol("Placeholder", *subexpr(result, where).shape)
    text = matrix_latex(replace_at(result, where, lambda e: placeholder), g)
    mark = matrix_latex(placeholder, g)
    assert text.count(mark) == 1, (text, mark)
    return text.replace(mark, _grouped(new, g))


def _grouped(e, g) -> str:
    if isinstance(e, MatrixSymbol) or not is_matrix(e):
        return matrix_latex(e, g)
    return rf"\left({_loose_latex(e, g)}\right)"


def _loose_latex(e, g) -> str:
    """symprop's LaTeX of ``e``, or, where its own factors misfit, theirs joined."""
    try:
        return matrix_latex(e, g)
    except ShapeError:
        pass
    if isinstance(e, MatMul):
        return " ".join(_grouped(a, g) if isinstance(a, (MatAdd, HadamardProduct, MatMul))
                        else _loose_latex(a, g) for a in e.args)
    if isinstance(e, HadamardProduct):
        return r" \odot ".join(_grouped(a, g) for a in e.args)
    raise AssertionError(f"no LaTeX for {type(e).__name__} in this test")


# ------------------------------------------------------------------ the properties
SCALAR_KINDS = ["drop a path", "drop a factor", "swap indices", "flip a sign"]
MATRIX_KINDS = ["drop 1/m", "drop a transpose", "drop a factor", "swap indices", "flip a sign",
                "drop a term"]
SEEDS = st.integers(0, 2**32 - 1)


def judged(g, wrt, claim, described):
    try:
        return g.verify(wrt, claim)
    except SympropError as error:  # symprop's own printer wrote it: it must be read
        pytest.fail(f"the mutant ({described}) was refused: {claim!r}: {error}")


@pytest.mark.parametrize("kind", SCALAR_KINDS)
@settings(max_examples=examples(3))
@given(data=st.data(), seed=SEEDS)
def test_a_scalar_mutant_is_never_right(kind, data, seed):
    name, wrt = data.draw(st.sampled_from(SCALAR_TARGETS), label="target")
    mutants = scalar_mutants(kind, name, wrt)
    assume(mutants)
    described, mutant = mutants[data.draw(st.integers(0, len(mutants) - 1), label="site")]
    note(f"mutant: {described}")
    right = right_scalar(name, wrt)
    g = graph(name)
    points = [scalar_point(g, seed + i) for i in range(POINTS)]
    changed = [abs(scalar_value(mutant, v) - scalar_value(right, v))
               > DIFFERS * max(1.0, abs(scalar_value(right, v))) for v in points]
    assume(any(changed))                      # a neutral mutant says nothing

    claim = latex(mutant, g)
    note(f"claim: {claim}")
    verdict = judged(g, wrt, claim, described)
    assert verdict.equivalent is False, (name, wrt, described, claim)
    assert verdict.diagnosis, (name, wrt, claim)
    example = verdict.counterexample
    assert example and example["claim"] != example["truth"], (name, wrt, claim, example)
    # and what it judged is what was written: its reading of the claim is the mutant
    read = verdict.claim
    for v in points:
        assert scalar_value(read, v) == pytest.approx(scalar_value(mutant, v), rel=1e-9,
                                                      abs=1e-12), (claim, read)


@pytest.mark.parametrize("kind", MATRIX_KINDS)
@settings(max_examples=examples(3))
@given(data=st.data(), seed=SEEDS)
def test_a_matrix_mutant_is_never_right(kind, data, seed):
    name, wrt = data.draw(st.sampled_from(MATRIX_TARGETS), label="target")
    mutants = matrix_mutants(kind, name, wrt)
    assume(mutants)
    described, mutant, change = mutants[data.draw(st.integers(0, len(mutants) - 1),
                                                  label="site")]
    note(f"mutant: {described}")
    right = right_matrix(name, wrt)
    g = graph(name)
    shape = g.symbol(wrt).shape
    fits, changed, envs = True, False, {}
    for i, m in enumerate(BATCHES):
        env = envs[m] = matrix_point(g, seed + i, m)
        truth = matrix_value(right, env, m, g.batch)
        try:
            value = matrix_value(mutant, env, m, g.batch)
        except Misfit:
            fits = False
            break
        if value.shape != shape:                # a matrix, but not the gradient's shape
            fits = False
            break
        changed |= bool(np.any(np.abs(value - truth) > DIFFERS * np.maximum(1.0, np.abs(truth))))
    assume(not fits or changed)               # a neutral mutant says nothing

    claim = mutant_latex(g, right, mutant, change)
    note(f"claim: {claim}")
    verdict = judged(g, wrt, claim, described)
    assert verdict.equivalent is False, (name, wrt, described, claim)
    assert verdict.diagnosis, (name, wrt, claim)
    if fits:
        example = verdict.counterexample
        assert example and example["claim"] != example["truth"], (name, wrt, claim, example)
        read = verdict.claim
        for m, env in envs.items():
            np.testing.assert_allclose(matrix_value(read, env, m, g.batch),
                                       matrix_value(mutant, env, m, g.batch),
                                       rtol=1e-9, atol=1e-12, err_msg=claim)
    else:                                     # no matrix of the gradient's shape at all
        assert "×" in verdict.diagnosis, (name, wrt, claim, verdict.diagnosis)

