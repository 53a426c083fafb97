"""The ``symprop`` command: spec file in; derivation, module, verdict or picture out.

Exit status: 0 success (``verify``: equivalent), 1 a negative result (``verify``:
not equivalent, ``check``: disagreement), 2 bad input, with one line on standard
error naming what was wrong and where (never a traceback for a user's mistake),
3 an internal error (a bug: the traceback is shown).

>>> main(["--version"])
symprop 0.1.0
0
"""
from __future__ import annotations

import argparse
import sys
import traceback

from .. import __version__
from ..errors import SympropError, printable
from .commands import (MAX_CLAIM_BYTES, cmd_check, cmd_compile, cmd_derive,  # noqa: F401
                       cmd_graph, cmd_notes, cmd_verify, derivation_json)

MAX_MESSAGE_CHARS = 1_000
INTERNAL_ERROR = 3   # a crash must not read as verify's "not equivalent" (1)

EXAMPLES = {
    "derive": """examples:
  symprop derive examples/logistic_regression.toml --wrt w1
  symprop derive examples/seed_network.toml --wrt w1_1_1 --format latex
  symprop derive examples/chain_rule_case2.toml --wrt x --format json | jq .result
  symprop derive examples/logistic_regression.toml --wrt w1 --format markdown --steps chain,simplify""",
    "compile": """examples:
  symprop compile examples/logistic_regression.toml            # print the module
  symprop compile examples/seed_network.toml -o grads.py       # write it
  symprop compile examples/seed_network.toml --reduce mean     # batch mean
  symprop compile examples/seed_001_matrix.toml --backend torch  # matrix form, for torch
  python -c "import grads; print(grads.gradients(x=0.5, y=1, ...))\"""",
    "check": """examples:
  symprop check examples/logistic_regression.toml    # at the spec's [values]
  symprop check examples/seed_network.toml --json
exit status 1 when symprop and PyTorch autograd disagree.""",
    "verify": r"""examples:
  symprop verify examples/logistic_regression.toml --wrt w1 --claim 'x_1 (\hat{y} - y)'
  symprop verify examples/seed_network.toml --wrt w2_1_1 --claim-file my_answer.tex --json
  symprop verify examples/seed_001_matrix.toml --wrt W2 --claim '\frac{1}{m}(A_2 - Y) A_1^T'
  symprop verify examples/seed_001_matrix.toml --wrt Z2 --claim 'A_2 - Y' --convention deeplearning.ai
exit status 0 when the claim equals the gradient, 1 when it does not.""",
    "graph": """examples:
  symprop graph examples/logistic_regression.toml -o graph.svg
  symprop graph examples/seed_network.toml --wrt w1_1_1 -o paths.png   # highlight the paths""",
    "notes": """examples:
  symprop notes examples/seed_network.toml -o notes.tex
  symprop notes examples/logistic_regression.toml -o notes.pdf        # needs pdflatex
  symprop notes examples/logistic_regression.toml -o notes.md --wrt w1 --wrt b
  symprop notes examples/seed_001_matrix.toml -o notes.html --title "Softmax and cross-entropy"
  symprop notes examples/logistic_regression.toml -o lesson.ipynb      # a Jupyter notebook""",
}

DESCRIPTION = """Symbolic back-propagation: chain-rule paths, textbook gradients, LaTeX
derivations and compiled NumPy gradients, from a spec file (TOML, see
examples/*.toml)."""


class _UsageError(Exception):
    """A command-line mistake argparse found; reported on one line."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage and exits; we want one line
        raise _UsageError(self.prog, f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, subcommand by subcommand."""
    parser = _Parser(prog="symprop", description=DESCRIPTION,
                     epilog="run 'symprop COMMAND --help' for each command's examples",
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"symprop {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name, help_text, run):
        sub = commands.add_parser(name, help=help_text, description=help_text,
                                  epilog=EXAMPLES[name],
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("spec", metavar="SPEC", help="spec file (TOML)")
        sub.set_defaults(run=run)
        return sub

    sub = command("derive", "derive the gradient of the loss with respect to one parameter",
                  cmd_derive)
    sub.add_argument("--wrt", required=True, metavar="NAME",
                     help="the parameter (identifier such as w1, or its LaTeX name)")
    sub.add_argument("--format", choices=("text", "latex", "markdown", "json"), default="text",
                     help="text (default), latex, markdown (a $$ block), or json with keys wrt, "
                          "loss, path_count, paths, result, closed_form, latex")
    _derivation_options(sub)

    sub = command("compile", "generate a standalone gradient module (NumPy, torch or jax)",
                  cmd_compile)
    sub.add_argument("-o", "--output", metavar="FILE", help="write the module here "
                                                            "(default: print it)")
    sub.add_argument("--backend", default="numpy", choices=("numpy", "torch", "jax", "auto"),
                     help="array library of the generated module (default: numpy; auto: "
                          "the fastest installed for the graph and dtype)")
    sub.add_argument("--dtype", choices=("float64", "float32"),
                     help="floating type of the module (default: float64; float32 for "
                          "matrix-form specs, or torch and jax)")
    sub.add_argument("--reduce", choices=("mean", "sum"),
                     help="reduce loss and gradients over a batch axis (default: per example)")

    sub = command("check", "compare symprop's gradients with PyTorch autograd", cmd_check)
    sub.add_argument("--json", action="store_true", help="print the report as JSON")

    sub = command("verify", "is a hand derivation (LaTeX) the gradient?", cmd_verify)
    sub.add_argument("--wrt", required=True, metavar="NAME",
                     help="the parameter or node whose gradient the claim is (w1, z1_2, Z1)")
    sub.add_argument("--convention", metavar="NAME",
                     help="what dZ, dW and δ denote: symprop (default), deeplearning.ai, "
                          "cs231n or nielsen (overrides the spec's [verify] convention)")
    sub.add_argument("--notation", choices=tuple(_notations()),
                     help="read the claim in a textbook's names for an mlp network, as "
                          "derive and notes print them (nielsen: w^3, a^2, delta^3)")
    claim = sub.add_mutually_exclusive_group(required=True)
    claim.add_argument("--claim", metavar="LATEX", help="the claimed gradient, in LaTeX")
    claim.add_argument("--claim-file", metavar="FILE", help="read the claim from FILE")
    sub.add_argument("--json", action="store_true", help="print the verdict as JSON")

    sub = command("graph", "draw the computation graph", cmd_graph)
    sub.add_argument("--wrt", metavar="NAME", help="highlight the paths from this parameter")
    sub.add_argument("--operations", action="store_true",
                     help="draw one vertex per operation (x, +, a function), each with its "
                          "value and gradient at the spec's [values], as the lesson does")
    sub.add_argument("-o", "--output", required=True, metavar="FILE",
                     help="picture to write (.svg, .png, .dot; .pdf and .tex typeset by TeX)")

    sub = command("notes", "write lecture notes: every gradient, derived step by step",
                  cmd_notes)
    sub.add_argument("-o", "--output", required=True, metavar="FILE",
                     help="notes to write: .tex, .pdf (through pdflatex), .md (Markdown with "
                          "$$ math), .html (a standalone page) or .ipynb (a Jupyter notebook)")
    sub.add_argument("--slides", action="store_true",
                     help="write Beamer slides instead (.tex or .pdf): a frame per section, "
                          "each derivation revealed line by line")
    _notes_options(sub)
    return parser


def _derivation_options(sub) -> None:
    """How a derivation is written, shared by ``derive`` (latex, markdown) and ``notes``."""
    from ..latex.derivation import STEPS
    sub.add_argument("--steps", metavar="STEP,STEP", type=_steps,
                     help=f"the derivation's steps, in order, from {', '.join(STEPS)} "
                          "(default: chain,substitute,simplify)")
    sub.add_argument("--colors", action="store_true",
                     help="one colour per node in the derivations")
    sub.add_argument("--notation", choices=tuple(_notations()),
                     help="the names of an mlp network as a textbook writes them: seed "
                          "(default: symprop's own), nielsen (w^l_{jk}, C, delta^l_j; in matrix "
                          "form w^l, a^1 = X, delta^l) or deeplearning.ai (w^{[l]}_{kj}, "
                          "dz^{[l]}; W^{[l]}, J, dZ^{[l]})")


def _notations() -> dict:
    from ..latex.notations import NOTATIONS

    return NOTATIONS


def _steps(text: str) -> tuple:
    steps = tuple(s.strip() for s in text.split(",") if s.strip())
    if not steps:
        raise argparse.ArgumentTypeError("give at least one step")
    return steps


def _notes_options(sub) -> None:
    """The options that choose what the notes hold (``notes``)."""
    _derivation_options(sub)
    sub.add_argument("--wrt", action="append", metavar="NAME",
                     help="derive this parameter (repeat for several; default: all)")
    sub.add_argument("--title", metavar="TEXT", help="the notes' title")
    sub.add_argument("--numbers", action=argparse.BooleanOptionalAction, default=True,
                     help="the numbers at the spec's [values] and the check against PyTorch "
                          "(default: --numbers)")


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0, 1 or 2)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        return _fail(str(exc), prog=exc.prog)
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    if args.command is None:
        return _fail("choose a command: derive, compile, check, verify, graph, notes "
                     "(see symprop --help)")
    try:
        return args.run(args)
    except SympropError as exc:
        return _fail(str(exc))
    except ImportError as exc:  # a part of symprop this installation lacks
        if not (exc.name or "").startswith("symprop"):
            return _internal_error()
        return _fail(f"'symprop {args.command}' needs {exc.name}, which this "
                     "installation does not have")
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # the reader went away (| head): not an error
            return 0
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except (RecursionError, MemoryError):
        return _fail("the graph is too large to process (recursion or memory limit)")
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug in symprop, not the user's mistake: say so, keep 1 for "no"
        return _internal_error()


def _internal_error() -> int:
    traceback.print_exc()
    _fail("internal error (the traceback above is a bug in symprop or a broken "
          "installation; please report it)")
    return INTERNAL_ERROR


def _fail(message: str, prog: str = "symprop") -> int:
    line = printable(" ".join(message.split()))  # one line, and no terminal escapes
    if len(line) > MAX_MESSAGE_CHARS:   # a message quoting a huge input stays readable
        line = f"{line[:MAX_MESSAGE_CHARS]}... ({len(line) - MAX_MESSAGE_CHARS} more characters)"
    print(f"{prog}: error: {line}", file=sys.stderr)
    return 2


