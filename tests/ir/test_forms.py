"""A graph's form owns what differs between the scalar and the matrix form: no consumer asks which."""
import re
from pathlib import Path

import symprop
from symprop.ir.forms import MATRIX, SCALAR

PACKAGE = Path(symprop.__file__).parent
KIND_TEST = re.compile(r"isinstance\([^()]*,\s*\(?[\w., ]*\b(Graph|MatrixGraph)\b"
                       r"|type\([^()]*\)\s*(is|==)\s*(Graph|MatrixGraph)\b")
# Nor its form's name: a form's difference is a field of its Form (symprop/ir/forms.py).
NAME_TEST = re.compile(r"form\.name\s*(==|!=)")


def test_outside_the_ir_no_code_asks_which_form_a_graph_is():
    found = []
    for path in PACKAGE.rglob("*.py"):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("ir/"):
            continue
        text = path.read_text(encoding="utf-8")
        # parse/ has an is_matrix of its own: whether a parsed VALUE is a matrix expression.
        if "is_matrix" in text and not where.startswith("parse/"):
            found.append(f"{where}: is_matrix")
        found += [f"{where}: {m.group(0)}" for m in KIND_TEST.finditer(text)]
        found += [f"{where}: {m.group(0)}" for m in NAME_TEST.finditer(text)]
    assert not found, found


def test_the_ir_keeps_no_is_matrix_of_a_graph():
    assert not [p for p in (PACKAGE / "ir").rglob("*.py") if "is_matrix" in p.read_text()]


def test_both_forms_define_every_field_as_a_function():
    for name, value in vars(SCALAR).items():
        assert callable(value) == callable(getattr(MATRIX, name)), name
    assert SCALAR.spec_check(None, {"x": 1.0}) is None   # scalar values checked when used
