"""The .html notes opened in a real headless browser (Debian's chromium): typeset, not blank."""
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import IN_CI

from symprop import notes
from symprop.front.spec import load_spec
from symprop.latex.blocks import Math, paragraph
from symprop.latex.to_html import html_page

ROOT = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium", "chromium-browser")


def _browser():
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if found is None:
        if IN_CI:
            pytest.fail("chromium is required in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def _run(browser, tmp_path, *arguments):
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", *arguments]
    run = subprocess.run(command, capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
                         env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    return run.stdout.decode("utf-8", errors="replace")


def png_pixels(data: bytes):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.setdefault(kind, b"")
        chunks[kind] += data[at + 8:at + 8 + length]
        at += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and color in (2, 6), (depth, color)
    step = 3 if color == 2 else 4
    raw, stride, rows, previous = zlib.decompress(chunks[b"IDAT"]), width * step, [], None
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        above = previous or bytearray(stride)
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            corner = above[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + above[i]) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + above[i]) // 2) & 255
            elif kind == 4:
                p = left + above[i] - corner
                pa, pb, pc = abs(p - left), abs(p - above[i]), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else
                                      above[i] if pb <= pc else corner)) & 255
        rows.append(line)
        previous = line
    return width, height, step, rows


def test_the_notes_page_typesets_every_equation_and_is_not_blank(tmp_path):
    browser = _browser()
    page = tmp_path / "notes.html"
    notes(load_spec(ROOT / "examples" / "logistic_regression.toml").graph, page)
    equations = page.read_text().count('class="math')
    dom = _run(browser, tmp_path, "--dump-dom", page.as_uri())
    assert 'class="katex-error"' not in dom
    typeset = dom.count('<span class="katex">')
    assert typeset == equations > 20   # every equation, inline or displayed, went through KaTeX
    shot = tmp_path / "shot.png"
    _run(browser, tmp_path, f"--screenshot={shot}", "--window-size=900,1200", page.as_uri())
    width, height, step, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 1200)
    dark = sum(1 for row in rows for i in range(0, width * step, step * 3) if row[i] < 128)
    assert dark > 0.005 * width * height / 3, dark   # ink on the page: text and equations


def test_a_broken_equation_shows_as_an_error_in_the_page(tmp_path):
    # The check above can fail: what KaTeX cannot read is marked katex-error in the page.
    browser = _browser()
    page = tmp_path / "broken.html"
    page.write_text(html_page([paragraph("broken: ", Math(r"\frac{a"))], "broken"))
    dom = _run(browser, tmp_path, "--dump-dom", page.as_uri())
    assert 'class="katex-error"' in dom
