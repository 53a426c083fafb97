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
