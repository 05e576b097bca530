"""The files a command writes: checked before the work, written so that a failure never leaves half of one.

Every option that names a file or folder to write (``--output``, ``--report``, ``--credentials``,
``--ics-dir``, and the files written beside an output) goes through :func:`require_writable` before
the command reads its input or touches the registry, so that a path that cannot be written is
refused at once (a usage error, exit code 2, as for any other bad option) instead of failing after
minutes of work, or after an import was committed.

Missing folders are created, as ``mkdir -p`` would, when the file is written, never earlier (a
refused or failed run leaves nothing behind).  Created rather than refused because ``schedule``,
``assign`` and ``users demo`` always created them, and scripts and the Makefile rely on it
(``users demo`` keeps its passwords in ``var/``, which a PostgreSQL installation never made); a
mistyped folder is not hidden either, since every command names the file it wrote.  What cannot be
created is refused: a file where a folder must be, a folder where the file must be, a folder the
user may not write in, a read-only file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

NOTHING_WRITTEN = "nothing was written"


def output_path_problem(
    path: Path, option: str, *, folder: bool = False, fix: str | None = None
) -> str | None:
    """Why ``path``, given with ``option``, cannot be written, and what to do; ``None`` when it can.

    ``folder`` says that ``path`` is a folder to write files in (``--ics-dir``) rather than a file;
    ``fix`` replaces the advice, for a file whose name the user did not choose (``<output>.draw.json``).

    >>> output_path_problem(Path("/"), "--output")
    '--output: cannot write /: it is a folder; give the path of a file (it may be inside that folder)'
    """
    found = _what_is_wrong(path, folder=folder)
    if found is None:
        return None
    wrong, advice = found
    return f"{option}: cannot write {path}: {wrong}; {fix or advice}"


def _what_is_wrong(path: Path, *, folder: bool) -> tuple[str, str] | None:
    """(what is wrong, what to do) about writing ``path``, or ``None``."""
    if folder and path.is_dir():
        if not _may_write_in(path):
            return "no permission to write in this folder", "give a folder you can write in"
        return None
    if os.path.lexists(path):
        if folder:
            return "it is a file, expected a folder", "give a folder (it is made when missing)"
        if path.is_dir():
            return "it is a folder", "give the path of a file (it may be inside that folder)"
        if not os.access(path, os.W_OK):
            return "the file is read-only", "make it writable, or give another path"
    # A new file, or one replaced by renaming a new one over it: its folder (or the nearest that
    # exists, where the missing ones will be made) must be a folder the user may write in.
    existing = path.parent
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return (
            f"{existing} is a file, so it cannot hold a folder",
            "give a path that goes through folders only (missing ones are made)",
        )
    if not _may_write_in(existing):
        return f"no permission to write in {existing}", "give a path in a folder you can write in"
    return None


def require_writable(path: Path, option: str, *, folder: bool = False, fix: str | None = None) -> None:
    """Refuse the command, as a usage error (exit code 2), when ``path`` cannot be written.

    Call it before the work, for every file the command will write; the message names the option,
    the path, what is wrong and what to do (``fix``, when given), and says that nothing was written.
    """
    problem = output_path_problem(path, option, folder=folder, fix=fix)
    if problem is not None:
        from expertbridge.cli import fail

        raise fail(f"{problem}; {NOTHING_WRITTEN}", 2)


def cannot_write(error: OSError, path: Path) -> str:
    """``cannot write <path> (<reason>)``, for a write that failed after the checks (a full disk)."""
    return f"cannot write {path} ({error.strerror or error})"


def _may_write_in(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _new_file_mode() -> int:
    """The permissions ``open()`` gives a new file (``mkstemp`` makes every file private)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Errors inside name ``path``, the file being written, rather than its temporary file."""
    try:
        yield
    except OSError as error:
        if error.filename == str(path) or error.errno is None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error


def _temporary_beside(path: Path, mode: int | None) -> tuple[int, Path]:
    """A new temporary file in ``path``'s folder (made when missing), with the final permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, _new_file_mode() if mode is None else mode)
    except OSError:
        os.close(handle)
        Path(name).unlink(missing_ok=True)
        raise
    return handle, Path(name)


@contextmanager
def open_atomically(path: Path, *, mode: int | None = None) -> Iterator[TextIO]:
    """A UTF-8 text file to write ``path`` through, renamed into place when the block succeeds.

    Missing folders are made first.  A reader never sees half a file, and an error while writing
    leaves the previous file as it was and no temporary file behind.  ``mode`` is the permissions
    of the new file (default: what ``open()`` would give).
    """
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    with _naming(path):
        handle, temporary = _temporary_beside(path, mode)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        with _naming(path):
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(files: Mapping[Path, str | bytes], *, mode: int | None = None) -> None:
    """Write every file (text as UTF-8) to a temporary name beside it, then rename them all into place.

    A reader never sees a half-written file, and an error while writing (a full disk, a missing
    permission) leaves the previous files as they were.  Missing folders are made first.
    """
    for path in files:
        # The one way a rename fails after the writes succeeded: caught before anything moves.
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files.items():
            with _naming(path):
                handle, temporary = _temporary_beside(path, mode)
                staged.append((temporary, path))
                if isinstance(content, bytes):
                    with os.fdopen(handle, "wb") as binary:
                        binary.write(content)
                else:
                    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                        stream.write(content)
        for temporary, path in staged:
            with _naming(path):
                os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
