"""Writing a command's output files so that a failure never leaves half of them behind."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomically(files: Mapping[Path, str]) -> None:
    """Write every file to a temporary name beside it, then rename them all into place.

    A reader never sees a half-written file, and an error while writing (a full disk, a missing
    permission) leaves the previous files as they were.
    """
    for path in files:
        # The one way a rename fails after the writes succeeded: caught before anything moves.
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            staged.append((Path(name), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
