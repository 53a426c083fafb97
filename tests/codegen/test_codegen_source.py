"""The generated source: the seed's numbers, its shape, the saved standalone module."""
import ast
import inspect
import subprocess
import sys
import traceback

import numpy as np
import pytest

from corpus import SEED_POINT, logistic_regression, seed_network
from symprop import Graph

# Seed 000, "Forward pass" / "Backward pass" cells: L = 0.4741, dL_dw1 = -0.5663, ...
SEED_NUMBERS = {"L": 0.4741, "w1": -0.5663, "w2": -0.9439, "b": -0.3775}


def assignments(source, function="gradients"):
    """``{target name: [source line, ...]}`` of the assignments in the generated function."""
    tree = ast.parse(source)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    lines = source.splitlines()
    found = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                found.setdefault(target.id, []).append(lines[node.lineno - 1])
    return found


def test_seed_numbers():
    f = logistic_regression().compile()
    loss, grads = f(**SEED_POINT)
    assert round(float(loss), 4) == SEED_NUMBERS["L"]
    assert list(grads) == ["w1", "w2", "b"]
    for name in ("w1", "w2", "b"):
        assert round(float(grads[name]), 4) == SEED_NUMBERS[name]


def test_seed_source_reads_like_the_seed_cells():
    source = logistic_regression().compile().source
    assigned = assignments(source)
    # Forward pass, node by node, each once.
    assert assigned["z"] == ["    z = b + w1*x1 + w2*x2"]
    assert assigned["yhat"] == ["    yhat = sigmoid(z)"]
    assert len(assigned["L"]) == 1
    # Backward pass: one dL_d<node> per needed node; dL/dyhat was merged away by a rule.
    adjoint_vars = sorted(k for k in assigned if k.startswith("dL_d"))
    assert adjoint_vars == ["dL_db", "dL_dw1", "dL_dw2", "dL_dz"]
    assert all(len(assigned[k]) == 1 for k in adjoint_vars)
    assert assigned["dL_dz"][0].strip() == (
        "dL_dz = -y + yhat  # dL/dz = dyhat/dz * dL/dyhat (sigmoid with binary cross-entropy)")
    assert assigned["dL_dw1"][0].strip() == "dL_dw1 = x1*dL_dz  # dL/dw1 = dz/dw1 * dL/dz"
    assert assigned["dL_db"][0].strip() == "dL_db = dL_dz  # dL/db = dz/db * dL/dz"
    assert "# dL/dyhat is not needed: merged into dL/dz" in source
    # Backward lines run loss end first.
    order = [source.index(f"    {v} =") for v in ("dL_dz", "dL_db", "dL_dw2", "dL_dw1")]
    assert order == sorted(order)
    assert source.index("    L = ") < order[0]
    assert 'return L, {"w1": dL_dw1, "w2": dL_dw2, "b": dL_db}' in source
    # Module and function docstrings; only the NumPy forms used are copied.
    tree = ast.parse(source)
    assert "Gradient of the loss L" in ast.get_docstring(tree)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "gradients")
    assert [a.arg for a in fn.args.args] == ["x1", "x2", "y", "w1", "w2", "b"]
    assert "dL/dw1" in ast.get_docstring(fn)
    helpers = sorted(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
    assert helpers == ["gradients", "sigmoid", "softplus"]


def test_seed_network_has_one_commented_line_per_needed_adjoint():
    g = seed_network()
    source = g.compile().source
    assigned = assignments(source)
    # Every node but the output activation (merged into dL/dz2_1) and the loss, every parameter.
    expected = {f"dL_d{s}" for s in g.symbols if g.kind(s) in ("node", "parameter")} - {
        "dL_da2_1"}
    assert {k for k in assigned if k.startswith("dL_d")} == expected
    for name in expected:
        (line,) = assigned[name]
        code, comment = line.split("  # ")
        assert comment.startswith(f"dL/d{name[4:]}")
    assert "dL_dz1_1 = a1_1*(1 - a1_1)*dL_da1_1  # dL/dz1_1 = da1_1/dz1_1 * dL/da1_1" in source


def test_unused_adjoint_of_an_input_only_node_is_explained():
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    s = g.node("s", 2 * x)  # depends on inputs only: no gradient flows through it
    g.loss("L", (w * s - y) ** 2)
    source = g.compile().source
    assert "dL_ds =" not in source
    assert "# dL/ds is not needed: no parameter's gradient goes through s" in source


def test_node_off_the_loss_and_parameter_without_path():
    g = Graph()
    x, y = g.inputs("x y")
    w, c = g.params("w c")
    g.node("q", c * x)
    g.loss("L", (w * x - y) ** 2)
    f = g.compile()
    assert "# q does not reach L: not computed" in f.source
    assert "# c has no path to L: dL/dc = 0 exactly" in f.source
    _, grads = f(x=2.0, y=1.0, w=3.0, c=4.0)
    assert grads["c"] == 0.0 and grads["w"] == pytest.approx(2 * (3 * 2 - 1) * 2)


def test_saved_module_imports_only_numpy_and_math_and_runs_standalone(tmp_path):
    f = logistic_regression().compile()
    path = f.save(tmp_path / "seed_grads.py")
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported <= {"numpy", "math"} and "numpy" in imported  # math: the standard library
    script = ("import seed_grads\n"
              "loss, g = seed_grads.gradients(x1=1.5, x2=2.5, y=1, w1=-4, w2=3, b=-1)\n"
              "print(f'{loss:.4f} {g[\"w1\"]:.4f} {g[\"w2\"]:.4f} {g[\"b\"]:.4f}')\n"
              "import sys; assert 'symprop' not in sys.modules and 'sympy' not in sys.modules\n")
    # -I: isolated (no PYTHONPATH, no user site); -S: no site-packages beyond numpy's path.
    numpy_dir = str(__import__("pathlib").Path(np.__file__).parent.parent)
    done = subprocess.run([sys.executable, "-I", "-S", "-c",
                           f"import sys; sys.path[:0] = [{str(tmp_path)!r}, {numpy_dir!r}]\n"
                           + script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0.4741", "-0.5663", "-0.9439", "-0.3775"]


def test_generated_function_shows_its_source():
    f = logistic_regression().compile()
    assert "z = b + w1*x1 + w2*x2" in inspect.getsource(f.function)
    try:
        f.function("not", "numbers", 1, 2, 3, 4)
    except TypeError:
        text = traceback.format_exc()
    else:  # pragma: no cover
        pytest.fail("strings should not multiply")
    assert "z = b + w1*x1 + w2*x2" in text


def test_no_string_evaluation_in_the_package():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "symprop" / "codegen"
    for path in root.glob("*.py"):
        text = path.read_text()
        assert "exec(" not in text and "eval(" not in text, path


def test_a_graph_of_thousands_of_parameters_compiles_its_entry():
    # A wide layer's parameters are the entry's keyword arguments, screened by one sum:
    # a flat chain of 5,000 additions would exceed the compiler's recursion limit.
    import sympy

    from symprop import Graph
    from symprop.codegen.arguments import ArgumentCheck

    g = Graph()
    names = [f"w{i}" for i in range(5000)]
    g.loss("L", sympy.Add(*g.params(" ".join(names))))
    entry = ArgumentCheck(g, tuple(names), floats=True).float_entry(
        lambda *values: (sum(values), {}), lambda values: ("checked", values["w7"]))
    values = dict.fromkeys(names, 0.5)
    assert entry(**values) == (2500.0, {})
    values["w7"] = float("inf")
    assert entry(**values) == ("checked", float("inf"))
