"""pdflatex shut in: no file read, no program run, no planted or stale file used, no hang,
and outputs written whole, only on success."""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import corpus
from symprop import SympropError, mlp
from symprop.front.cli import main
from symprop.latex import output_files
from symprop.latex import tex as texmod
from symprop.latex.display_names import ONE_ARGUMENT, SYMBOLS, check_display_name
from symprop.latex.document import document, notes
from symprop.latex.tex import compile_pdf, compile_timeout, write_document

IN_CI = os.environ.get("CI") == "true"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SECRET = "s3cr3t-pl4nted-8d2c"


@pytest.fixture
def tools():
    missing = [t for t in ("pdflatex", "pdftotext") if shutil.which(t) is None]
    if missing:
        if IN_CI:
            pytest.fail(f"{', '.join(missing)} must be installed in CI")
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install texlive poppler-utils)")


def pdf_text(path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.decode("utf-8", "replace")


def article(body: str) -> str:
    return "\\documentclass{article}\n\\begin{document}\n" + body + "\nThe end.\n\\end{document}\n"


def plant_secret(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET + "\n")
    return secret


# ----------------------------------------------------------------- reading and running
def test_tex_cannot_read_a_file_by_any_path(tmp_path, tools):
    secret = plant_secret(tmp_path)
    paths = (str(secret), "secret.txt", "../secret.txt", f"../{tmp_path.name}/secret.txt")
    reads = r"\newread\r " + "".join(
        rf"\openin\r={path} \ifeof\r NOREAD \else \read\r to\x \x\fi \closein\r " for path in paths)
    pdf = compile_pdf(article(reads), tmp_path / "out.pdf")
    text = pdf_text(pdf)
    assert "The end." in text and text.count("NOREAD") == len(paths) and SECRET not in text


def test_tex_cannot_input_a_file_outside_its_folder(tmp_path, tools):
    secret = plant_secret(tmp_path)
    for path in (str(secret), "../secret.txt"):
        with pytest.raises(SympropError, match="could not compile") as refused:
            compile_pdf(article(rf"\input{{{path}}}"), tmp_path / "out.pdf")
        assert SECRET not in str(refused.value)
    assert not (tmp_path / "out.pdf").exists()


def test_tex_cannot_run_a_program(tmp_path, tools):
    marker = tmp_path / "ran"
    attempts = (rf"\immediate\write18{{touch {marker}}}",
                rf'\input|"touch {marker}" ',
                r"\csname @@input\endcsname|" + f'"touch {marker}" ')
    for attempt in attempts:
        try:
            compile_pdf(article(attempt), tmp_path / "out.pdf")
        except SympropError:
            pass  # refusing to open the pipe is an error in TeX; either way nothing runs
        assert not marker.exists(), attempt


def test_tex_cannot_write_outside_its_folder(tmp_path, tools):
    target = tmp_path / "written.txt"
    with pytest.raises(SympropError, match="can't write on file"):
        compile_pdf(article(rf"\newwrite\w \immediate\openout\w={target} "
                            r"\immediate\write\w{x}\immediate\closeout\w"), tmp_path / "out.pdf")
    assert not target.exists() and not (tmp_path / "out.pdf").exists()


def test_a_loop_is_stopped_by_a_timeout_sized_to_the_document(tmp_path, tools, monkeypatch):
    assert compile_timeout("x" * 10_000) == texmod.COMPILE_TIMEOUT_S == 30
    assert compile_timeout("x" * 10**8) == texmod.MAX_TIMEOUT_S
    monkeypatch.setattr(texmod, "COMPILE_TIMEOUT_S", 2)
    start = time.monotonic()
    with pytest.raises(SympropError, match=r"did not finish out\.pdf within 2 s"):
        compile_pdf(article(r"\def\x{\x}\x"), tmp_path / "out.pdf")
    assert time.monotonic() - start < 20
    assert not (tmp_path / "out.pdf").exists()


def test_the_environment_names_no_user_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXINPUTS", "/home/someone/tex:")
    monkeypatch.setenv("TEXMFHOME", "/home/someone/texmf")
    monkeypatch.setenv("openin_any", "a")
    env = texmod._environment(tmp_path)
    assert env["TEXINPUTS"] == "." + os.pathsep and env["HOME"] == str(tmp_path)
    assert env["openin_any"] == env["openout_any"] == "p" and env["shell_escape"] == "f"
    assert all(v.startswith(str(tmp_path)) for k, v in env.items() if k.startswith("TEXMF"))
    assert "/home/someone" not in " ".join(env.values())


# ----------------------------------------------------------------- planted and stale files
PLANTED = (r"\immediate\write18{touch planted-ran}\errmessage{planted file was used}"
           r"\AtBeginDocument{PLANTED-RAN}")


@pytest.mark.parametrize("name", ["booktabs.sty", "amsmath.sty", "article.cls", "size11.clo",
                                  "graphics.cfg", "color.cfg", "ot1cmr.fd", "notes.aux",
                                  "geometry.cfg"])
def test_planted_files_beside_the_output_and_in_the_working_folder_are_not_read(
        tmp_path, tools, monkeypatch, name):
    out = tmp_path / "out"
    home = tmp_path / "home" / "texmf" / "tex" / "latex"
    for folder in (tmp_path, out, home):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(PLANTED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEXINPUTS", str(tmp_path) + os.pathsep)
    notes(corpus.logistic_regression(), out / "n.pdf", params=["b"])
    assert "PLANTED" not in pdf_text(out / "n.pdf")
    assert not list(tmp_path.rglob("planted-ran"))


def test_a_stale_notes_tex_has_no_effect(tmp_path, tools, monkeypatch, capsys):
    # The README's and the help's notes examples, one after the other in one folder.
    monkeypatch.chdir(tmp_path)
    assert main(["notes", str(EXAMPLES / "seed_network.toml"), "-o", "notes.tex"]) == 0
    assert "[2]" in (tmp_path / "notes.tex").read_text()
    assert main(["notes", str(EXAMPLES / "logistic_regression.toml"), "-o", "notes.pdf"]) == 0
    logistic = pdf_text(tmp_path / "notes.pdf")
    assert "[2]" not in logistic and "[1]" not in logistic  # no layer of the seed network
    assert "[2]" not in (tmp_path / "notes.tex").read_text()  # the .tex beside it is the new one
    assert main(["notes", str(EXAMPLES / "seed_network.toml"), "-o", "notes.pdf"]) == 0
    assert "[2]" in pdf_text(tmp_path / "notes.pdf")


def test_pictures_are_copied_in_and_nothing_else(tmp_path, tools):
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    from symprop.latex.picture import draw

    plant_secret(tmp_path)  # beside the output: never copied in
    draw(corpus.chain_rule_case1()).save(tmp_path / "pic.png")
    body = r"\includegraphics[width=3cm]{pic.png}" "\n" r"\IfFileExists{secret.txt}{LEAK}{}"
    write_document(document(body), tmp_path / "d.pdf")
    assert "LEAK" not in pdf_text(tmp_path / "d.pdf")
    with pytest.raises(SympropError, match="could not compile"):
        write_document(document(r"\includegraphics{../pic.png}"), tmp_path / "sub.pdf")


def test_every_whitelisted_command_compiles(tmp_path, tools, katex):
    names = [f"x\\{s} y" for s in sorted(SYMBOLS)] + [f"\\{c}{{x}}" for c in sorted(ONE_ARGUMENT)]
    names += [r"\text{loss 1}", r"\left( x \right)", r"\left\| x \right\|", r"\left. x \right|",
              r"\left\langle x \right\rangle", r"\left\{ x \right\}", r"x'^2", r"{x}''",
              r"x<y>z!?;:*+-=/|[].,"]
    for name in names:
        katex.add(name, "display names")
    compile_pdf(document("\n\n".join(f"${n}$" for n in names)), tmp_path / "all.pdf")
    assert pdf_text(tmp_path / "all.pdf").strip()


# ----------------------------------------------------------------- atomic, only on success
def test_a_failed_compilation_leaves_existing_outputs_as_they_were(tmp_path, tools):
    (tmp_path / "n.tex").write_text("old tex")
    (tmp_path / "n.pdf").write_bytes(b"old pdf")
    with pytest.raises(SympropError, match="could not compile"):
        write_document(article(r"\nosuchcommand"), tmp_path / "n.pdf")
    assert (tmp_path / "n.tex").read_text() == "old tex"
    assert (tmp_path / "n.pdf").read_bytes() == b"old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.pdf", "n.tex"]


def test_a_failed_compilation_creates_nothing(tmp_path, tools):
    with pytest.raises(SympropError, match="could not compile"):
        write_document(article(r"\nosuchcommand"), tmp_path / "n.pdf")
    assert list(tmp_path.iterdir()) == []


def test_success_replaces_both_outputs(tmp_path, tools):
    (tmp_path / "n.tex").write_text("old tex")
    write_document(article("new"), tmp_path / "n.pdf")
    assert "new" in (tmp_path / "n.tex").read_text()
    assert "new" in pdf_text(tmp_path / "n.pdf")


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "n.tex"
    target.write_text("old")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output_files.os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        output_files.write_atomically(target, "new")
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]


def test_a_written_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = output_files.write_atomically(tmp_path / "n.tex", "x")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


# ----------------------------------------------------------------- the -o path, first
@pytest.mark.parametrize("output, reason", [
    ("notes.docx", r"must end in \.tex, \.pdf, \.md, \.html or \.ipynb"),
    ("notes", r"must end in \.tex, \.pdf, \.md, \.html or \.ipynb"),
    (".pdf", r"must end in \.tex, \.pdf, \.md, \.html or \.ipynb"),
    ("missing/notes.pdf", "folder missing does not exist"),
    ("secret.txt/notes.pdf", "is not a folder"),
    ("folder.pdf", "it is a folder"),
    ("clash.pdf", "clash.tex beside clash.pdf: it is not a regular file"),
])
def test_a_bad_output_is_refused_before_any_work(tmp_path, monkeypatch, capsys, output, reason):
    plant_secret(tmp_path)
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "clash.tex").mkdir()
    monkeypatch.chdir(tmp_path)

    def no_work(*args, **kwargs):
        raise AssertionError("the spec was read before the output path was checked")

    monkeypatch.setattr("symprop.front.spec.load_spec", no_work)
    assert main(["notes", str(EXAMPLES / "seed_network.toml"), "-o", output]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.search(reason, err), err


def test_notes_through_the_api_check_the_path_before_deriving(tmp_path, monkeypatch):
    g = mlp([1, 2, 1])
    monkeypatch.setattr(type(g), "adjoints", lambda self: pytest.fail("derived first"))
    with pytest.raises(SympropError, match="does not exist"):
        notes(g, tmp_path / "no" / "n.pdf")


def test_without_a_tex_engine_a_pdf_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(texmod.shutil, "which", lambda name: None)
    monkeypatch.chdir(tmp_path)
    assert main(["notes", str(EXAMPLES / "logistic_regression.toml"), "-o", "n.pdf"]) == 2
    assert "no TeX engine" in capsys.readouterr().err and list(tmp_path.iterdir()) == []


SOUP = ["x", "1", "{", "}", "_", "^", "'", "''", " ", r"\alpha", r"\hat", r"\mathbf", r"\mathbb",
        r"\boldsymbol", r"\vec", r"\left(", r"\right)", r"\left.", r"\right|", r"\left\langle",
        r"\right\rangle", r"\text{a b}", r"\operatorname", r"\operatorname{ab}", r"\to",
        r"\prime", r"\dots", r"\,", r"\quad", r"\{", r"\}", r"\|", "|", ",", "[", "]", "(", ")",
        "-", "+", "<", "*", "=", "!", ";"]


def soup_names(rng, count, longest=12):
    """``count`` names the whitelist accepts, drawn as token soup over its alphabet."""
    accepted = []
    while len(accepted) < count:
        name = "".join(rng.choice(SOUP) for _ in range(rng.randint(1, longest)))
        try:
            accepted.append(check_display_name(name))
        except SympropError:
            pass
    return accepted


def test_random_names_the_whitelist_accepts_all_compile(tmp_path, tools, katex):
    import random

    names = soup_names(random.Random(7), 300)
    for name in names:
        katex.add(name, "random display names")  # and render with KaTeX, for a web page
    compile_pdf(document("\n\n".join(f"${n}$" for n in names)), tmp_path / "soup.pdf")


@pytest.mark.parametrize("seed", [5, 6, 12, 13])  # each finds the defect below when it returns
def test_random_accepted_names_for_every_symbol_still_compile(tmp_path, tools, seed):
    # Names meet each other in products, powers, fractions and transposes (found this way:
    # a name ' beside a name '' is a double superscript, so a name starts with a symbol).
    import random

    rng = random.Random(seed)
    for i, graph in enumerate((mlp([2, 2, 1], activation="tanh", loss="mse"),
                               mlp([2, 2], output="softmax", loss="ce"),
                               mlp([2, 3, 2], activation="relu", output="softmax", loss="ce",
                                   form="matrix"))):
        for symbol, name in zip(graph.symbols, soup_names(rng, len(graph.symbols), 8)):
            graph.set_latex(symbol, name)
        notes(graph, tmp_path / f"n{i}.pdf", numbers=False)


NAME_SHAPES = ["{0}^{{[2]}}", "{0}'", "{0}_{{1}}'", r"\hat{{{0}}}''", r"\left\| {0} \right\|",
               r"\mathbf{{{0}}}_{{k}}^{{(i)}}", r"\operatorname{{{0}}}", "{0}'^{{2}}"]


def renamed(graph):
    """Every symbol of ``graph`` renamed in one of the shapes a textbook name takes."""
    for i, s in enumerate(graph.symbols):
        letter = "".join(c for c in s.name if c.isalpha())[:1] or "v"
        graph.set_latex(s, NAME_SHAPES[i % len(NAME_SHAPES)].format(letter))
    return graph


@pytest.mark.parametrize("build", [
    lambda: mlp([2, 2, 1], activation="tanh", loss="mse"),
    lambda: mlp([2, 2], output="softmax", loss="ce", one_hot=True),
    lambda: mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", form="matrix"),
], ids=["scalar-mse", "scalar-softmax", "matrix"])
def test_notes_compile_whatever_shape_the_display_names_take(tmp_path, tools, build):
    # Powers, transposes and fractions are printed around the names: none may clash with them.
    notes(renamed(build()), tmp_path / "n.pdf", numbers=False)
    assert "Gradients" in pdf_text(tmp_path / "n.pdf")


def test_pdflatex_is_limited_from_outside_without_forking_the_interpreter(tmp_path, tools,
                                                                          monkeypatch):
    """A preexec_fn makes subprocess fork Python itself: unsafe once jax's threads run."""
    import resource

    seen = {}
    real_popen, real_limit = texmod.subprocess.Popen, texmod._limit

    def popen(*args, **kwargs):
        seen["preexec_fn"] = kwargs.get("preexec_fn")
        return real_popen(*args, **kwargs)

    def limit(pid, cpu_s):
        real_limit(pid, cpu_s)
        seen["cpu"] = resource.prlimit(pid, resource.RLIMIT_CPU)[0], cpu_s

    monkeypatch.setattr(texmod.subprocess, "Popen", popen)
    monkeypatch.setattr(texmod, "_limit", limit)
    compile_pdf(article("Hello."), tmp_path / "a.pdf")
    assert seen["preexec_fn"] is None
    assert seen["cpu"][0] == seen["cpu"][1]
    assert "Hello." in pdf_text(tmp_path / "a.pdf")
