"""Output files: their paths checked before any work, their contents written atomically.

A file symprop writes (``notes -o``, ``graph -o``) either appears whole, or the
old one stays as it was: the content goes to a temporary file in the
destination folder and is renamed over the destination (``os.replace``), so a
failure, a full disk or an interrupt never leaves half a file or a stale one.

>>> check_output_path("notes.docx", (".tex", ".pdf"), "notes")
Traceback (most recent call last):
...
symprop.errors.SympropError: cannot write notes to notes.docx: the file name must end in .tex or .pdf
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import SympropError


def _listed(suffixes) -> str:
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]


def check_output_path(path, suffixes, what: str = "the output") -> Path:
    """``path`` as a Path if symprop can write ``what`` there, else a clear SympropError.

    Checked before any work: the suffix (one of ``suffixes``, any case), the
    folder (exists, is a folder, writable) and the file itself (not a folder
    or a special file).

    >>> check_output_path("no/such/folder/notes.tex", (".tex",), "notes")
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: cannot write no/such/folder/notes.tex: folder no/such/folder does not exist
    """
    if "\x00" in str(path):
        raise SympropError(f"cannot write {what} to {ascii(str(path))}: the name holds a NUL")
    path = Path(path)
    if path.suffix.lower() not in suffixes or not path.stem:
        raise SympropError(f"cannot write {what} to {path.name or path}: the file name must "
                           f"end in {_listed(suffixes)}")
    try:
        _check_place(path)
    except OSError as error:  # a name too long, a folder that cannot be searched
        raise SympropError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def _check_place(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        raise SympropError(f"cannot write {path}: folder {folder} does not exist")
    if not folder.is_dir():
        raise SympropError(f"cannot write {path}: {folder} is not a folder")
    if path.is_dir():
        raise SympropError(f"cannot write {path}: it is a folder")
    if path.exists() and not path.is_file():
        raise SympropError(f"cannot write {path}: it is not a regular file")
    if not os.access(folder, os.W_OK | os.X_OK) or not _can_create_in(folder):
        raise SympropError(f"cannot write {path}: folder {folder} is not writable")


def _can_create_in(folder: Path) -> bool:
    """Whether a file can be made there (os.access says yes to root, even on /proc)."""
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".symprop-probe-")
    except OSError:
        return False
    os.close(handle)
    os.unlink(probe)
    return True


def _mode_for(path: Path) -> int:
    """The permissions a new file gets (the umask's), or those of the file it replaces."""
    try:
        existing = path.stat()
        if stat.S_ISREG(existing.st_mode):
            return stat.S_IMODE(existing.st_mode)
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file and a rename.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a.tex", "x").read_text()
    'x'
    >>> sorted(p.name for p in folder.iterdir())   # no temporary file is left behind
    ['a.tex']
    """
    path = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return path
