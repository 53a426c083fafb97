"""``symprop verify --claim-file``: only a regular file of bounded size is read, never waited on."""
import os
from pathlib import Path

import pytest

from symprop.front.cli import MAX_CLAIM_BYTES, main

SPEC = Path(__file__).parents[2] / "examples" / "logistic_regression.toml"


def verify(claim_file, capsys):
    status = main(["verify", str(SPEC), "--wrt", "w1", "--claim-file", str(claim_file)])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_claim_file_is_read(tmp_path, capsys):
    path = tmp_path / "claim.tex"
    path.write_text("x_1 (\\hat{y} - y)\n", encoding="utf-8")
    status, out, err = verify(path, capsys)
    assert status == 0 and out.startswith("equivalent") and not err


@pytest.mark.parametrize("make, words", [
    (lambda p: os.mkfifo(p), "not a regular file"),           # would block forever on open/read
    (lambda p: p.mkdir(), "not a regular file"),
    (lambda p: None, "no such claim file"),
    (lambda p: p.write_bytes(b"x" * (MAX_CLAIM_BYTES + 1)), f"at most {MAX_CLAIM_BYTES} bytes"),
    (lambda p: p.write_bytes(b"x_1 \xff\xfe"), "not UTF-8 text"),
])
def test_a_bad_claim_file_is_refused_in_one_line(tmp_path, capsys, make, words):
    path = tmp_path / "claim"
    make(path)
    status, out, err = verify(path, capsys)
    assert status == 2 and not out and len(err.splitlines()) == 1 and words in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_without_reading_it(capsys):
    status, out, err = verify("/dev/zero", capsys)
    assert status == 2 and "not a regular file" in err


def test_a_link_to_a_fifo_is_refused(tmp_path, capsys):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "claim.tex").symlink_to(tmp_path / "fifo")
    status, _, err = verify(tmp_path / "claim.tex", capsys)
    assert status == 2 and "not a regular file" in err


MATRIX_SPEC = Path(__file__).parents[2] / "examples" / "seed_001_matrix.toml"


@pytest.mark.parametrize("claim, status", [
    # Nielsen's BP4 in matrix form, his layers numbered from the input's 1: dC/dw^3 is
    # delta^3 (a^2)^T, and delta^3 = (a^3 - y)/m for softmax with cross-entropy.
    (r"\delta^{3} {a^{2}}^{\top}", 0),
    (r"\frac{1}{m}(a^{3} - y) (a^{2})^T", 0),
    (r"(a^{3} - y) (a^{2})^T", 1),               # the batch mean's 1/m dropped
])
def test_a_claim_is_read_in_a_textbooks_notation(capsys, claim, status):
    code = main(["verify", str(MATRIX_SPEC), "--wrt", "W2", "--notation", "nielsen",
                 "--claim", claim])
    out, err = capsys.readouterr()
    assert code == status, (out, err)
    assert out.startswith("equivalent" if status == 0 else "NOT equivalent")


def test_without_the_notation_its_names_are_not_the_specs(capsys):
    code = main(["verify", str(MATRIX_SPEC), "--wrt", "W2", "--claim", r"\delta^{3} {a^{2}}^{\top}"])
    out, err = capsys.readouterr()
    assert code != 0 and "equivalent (" not in out
