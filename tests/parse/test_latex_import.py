"""latex2sympy2 imports its grammar as a top-level `gen`: a user's gen.py must never run."""
import subprocess
import sys
import textwrap


def test_a_gen_module_in_the_working_folder_is_not_imported(tmp_path):
    (tmp_path / "gen.py").write_text("open('pwned', 'w').close()\n")
    script = textwrap.dedent("""
        from symprop import mlp
        from symprop.parse.latex import read_latex
        print(read_latex(r"a_1^{[2]} - y", mlp([1, 2, 1])))
    """)
    # `python -c` puts the working folder first on sys.path, where gen.py waits.
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a2_1 - y"
    assert not (tmp_path / "pwned").exists()
