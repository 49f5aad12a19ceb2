"""Writing a picture file so that no reader and no second writer ever sees half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_once(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` unless a file is there already (a ref names its bytes, so it is the same picture).

    Each writer takes a temporary name of its own beside the target, then renames it into place atomically: two
    pushes of one picture may race (one car read by both entry cameras at once), and a shared temporary name would
    let the second rename find its file already moved. Temporary names start with a dot, so a walk over refs skips
    them.
    """
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
