r"""Real derivations from textbooks, course notes and posts, read as their authors wrote them.

The corpus is data (``tests/verify/textbook/*.toml``, one file per source family): each
file's ``[specs.NAME]`` hold the models the authors had in mind (symprop spec text, with
``[verify] convention`` the source's), and each ``[[entries]]`` one claim: ``source``,
``spec``, ``wrt``, ``claim`` (verbatim), ``expected`` (``right`` or ``wrong``, worked out by
hand), for a wrong one ``mistake`` (a phrase the diagnosis must contain: the real slip) and
``note`` (the working and the correction).

What is asserted: the corpus is large; at least 90% of the claims are read as written;
no right claim is judged wrong and no wrong one equivalent, under its source's convention;
at least 90% of the wrong ones get a diagnosis naming the mistake; and every spec's
gradients are torch's (autograd on the spec's model, built here without symprop).
"""
from __future__ import annotations

import ast
import functools
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

from symprop import SympropError
from symprop.front.spec import loads_spec

HERE = Path(__file__).parent / "textbook"
FILES = sorted(HERE.glob("*.toml"))
MIN_ENTRIES, MIN_READ, MIN_DIAGNOSED = 120, 0.90, 0.90


@functools.cache
def corpus(path: Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def entries():
    return [(path.name, i, e) for path in FILES for i, e in enumerate(corpus(path)["entries"])]


@functools.cache
def spec(file: str, name: str):
    return loads_spec(corpus(HERE / file)["specs"][name]["text"], source=f"{file}:{name}")


@functools.cache
def judged(file: str) -> list:
    """``(entry, verdict or the refusal)`` for every entry of one file, judged once."""
    out = []
    for _, _, e in [x for x in entries() if x[0] == file]:
        s = spec(file, e["spec"])
        try:
            out.append((e, s.graph.verify(e["wrt"], e["claim"], convention=s.convention)))
        except SympropError as refusal:
            out.append((e, refusal))
    return out


def test_the_corpus_is_large_and_every_entry_is_complete():
    found = entries()
    assert len(found) >= MIN_ENTRIES, len(found)
    for file, i, e in found:
        assert {"source", "spec", "wrt", "claim", "expected", "note"} <= set(e), (file, i)
        assert e["expected"] in ("right", "wrong") and e["spec"] in corpus(HERE / file)["specs"]
        assert ("mistake" in e) == (e["expected"] == "wrong"), (file, i)
    wrong = sum(e["expected"] == "wrong" for _, _, e in found)
    assert 0.25 <= wrong / len(found) <= 0.45, wrong


def test_verdicts_readings_and_diagnoses():
    """No right claim judged wrong, no wrong one equivalent; 9 in 10 read, 9 in 10 diagnosed.

    One test, so that each claim is judged once (in one worker), however tests are shared out.
    """
    results = [r for p in FILES for r in judged(p.name)]
    misjudged = [f"{e['source']}: {e['claim']} -- expected {e['expected']}, got "
                 f"{v.equivalent} ({v.diagnosis})" for e, v in results
                 if not isinstance(v, SympropError)
                 and (v.equivalent is True) != (e["expected"] == "right")]
    assert not misjudged, "\n".join(misjudged)
    unread = [f"{e['source']}: {e['claim']} -- {v}" for e, v in results
              if isinstance(v, SympropError)]
    assert 1 - len(unread) / len(results) >= MIN_READ, "unread:\n" + "\n".join(unread)
    wrong = [(e, v) for e, v in results if e["expected"] == "wrong"]
    missed = [f"{e['source']}: wanted {e['mistake']!r}, got "
              f"{v if isinstance(v, SympropError) else v.diagnosis}"
              for e, v in wrong if isinstance(v, SympropError) or e["mistake"] not in v.diagnosis]
    assert 1 - len(missed) / len(wrong) >= MIN_DIAGNOSED, "\n".join(missed)


# ------------------------------------------------------------------ torch, independently
_TORCH = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "exp": torch.exp,
          "log": torch.log, "sin": torch.sin, "cos": torch.cos, "sqrt": torch.sqrt}


def _evaluate(node, names):
    """A spec's expression over torch tensors, by walking its syntax tree (corpus data only)."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, names)
    if isinstance(node, ast.Constant):
        return torch.tensor(float(node.value), dtype=torch.float64)
    if isinstance(node, ast.Name):
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, names)
    if isinstance(node, ast.BinOp):
        a, b = _evaluate(node.left, names), _evaluate(node.right, names)
        return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b, ast.Div: a / b,
                ast.Pow: a ** b}[type(node.op)] if not isinstance(node.op, ast.Pow) else a ** b
    if isinstance(node, ast.Call) and node.func.id == "softmax":
        k, *zs = node.args
        return torch.softmax(torch.stack([_evaluate(z, names) for z in zs]), 0)[k.value - 1]
    if isinstance(node, ast.Call):
        return _TORCH[node.func.id](*[_evaluate(a, names) for a in node.args])
    raise AssertionError(ast.dump(node))


def _graph_case(table, rng):
    """Torch's gradient of every parameter and node of a [graph] spec at a random point."""
    graph = table["graph"]
    values = {n: torch.tensor(rng.uniform(0.1, 0.9) if n in graph.get("inputs", []) else
                              rng.uniform(-1.5, 1.5), dtype=torch.float64, requires_grad=True)
              for n in graph.get("inputs", []) + graph["params"]}
    hot = graph.get("one_hot", [])
    if hot:
        total = sum(values[y].item() for y in hot)
        for y in hot:
            values[y] = torch.tensor(values[y].item() / total, dtype=torch.float64)
    names = dict(values)
    for name, text in graph["nodes"].items():
        names[name] = _evaluate(ast.parse(text, mode="eval"), names)
        names[name].retain_grad()
    names[graph["loss"]].backward()
    point = {n: v.item() for n, v in values.items()}
    return point, {n: t.grad.item() for n, t in names.items()
                   if n not in graph.get("inputs", []) and n != graph["loss"] and t.grad is not None}


def _mlp_case(table, rng, m=4):
    """Torch's weight and bias gradients of an [mlp] matrix spec (columns are examples)."""
    net, act = table["mlp"], {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                              "identity": lambda z: z}
    layers = net["layers"]
    t = lambda a: torch.tensor(a, dtype=torch.float64, requires_grad=True)   # noqa: E731
    point = {"X": rng.normal(size=(layers[0], m))}
    if net.get("output") == "softmax":
        point["Y"] = np.eye(layers[-1])[:, rng.integers(0, layers[-1], m)]
    else:
        point["Y"] = rng.uniform(0.1, 0.9, size=(layers[-1], m))
    for l, (n_in, n_out) in enumerate(zip(layers, layers[1:]), 1):
        point[f"W{l}"], point[f"b{l}"] = rng.normal(size=(n_out, n_in)), rng.normal(size=(n_out, 1))
    tensors = {k: t(v) for k, v in point.items()}
    A = tensors["X"]
    for l in range(1, len(layers)):
        Z = tensors[f"W{l}"] @ A + tensors[f"b{l}"]
        last = l == len(layers) - 1
        A = (torch.softmax(Z, 0) if last and net.get("output") == "softmax" else
             act[net.get("output", "sigmoid") if last else net.get("activation", "sigmoid")](Z))
    Y = tensors["Y"]
    per_example = {"bce": -(Y * torch.log(A) + (1 - Y) * torch.log(1 - A)),
                   "mse": (A - Y) ** 2, "ce": -(Y * torch.log(A))}[net.get("loss", "bce")]
    (per_example.sum() / m).backward()
    return point, {k: tensors[k].grad.numpy() for k in point if k not in ("X", "Y")}


@pytest.mark.parametrize("file", [p.name for p in FILES])
def test_every_specs_gradients_are_torchs(file):
    rng = np.random.default_rng(5)
    for name, table in corpus(HERE / file)["specs"].items():
        parsed = tomllib.loads(table["text"])
        g = spec(file, name).graph
        if "graph" in parsed:
            point, torch_grads = _graph_case(parsed, rng)
            wanted = {e["wrt"] for e in corpus(HERE / file)["entries"] if e["spec"] == name}
            from symprop.verify.targets import derivation

            for wrt in sorted(wanted | set(parsed["graph"]["params"])):
                ours = float(derivation(g, g.symbol(wrt)).evaluate(**point))
                assert math.isclose(ours, torch_grads[wrt], rel_tol=1e-8, abs_tol=1e-10), \
                    (name, wrt, ours, torch_grads[wrt])
        else:
            point, torch_grads = _mlp_case(parsed, rng)
            _, grads = g.compile()(**point)
            for param, value in torch_grads.items():
                np.testing.assert_allclose(np.asarray(grads[param]), value, rtol=1e-8,
                                           atol=1e-10, err_msg=f"{name} {param}")
