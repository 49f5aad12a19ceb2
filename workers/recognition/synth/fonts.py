"""Finds the CJK TrueType fonts plates are rendered with (Debian packages fonts-wqy-zenhei, fonts-noto-cjk)."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

logger = logging.getLogger(__name__)

FONT_ENV = "PARKCLOUD_PLATE_FONT"
FONT_PACKAGE = "fonts-wqy-zenhei"
# Looked up in order; the first is what `apt-get install fonts-wqy-zenhei` provides.
FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

# Faces a training set may also draw characters with (file, index in the collection; 2 is Simplified Chinese
# in Noto's collections). GA 36's plate font is not a font file anyone publishes, so no installed font looks
# like it; a recognizer that saw several heavy sans faces reads the real one better than one taught a single
# face (measured in workers/recognition/models/plate_crnn.md).
EXTRA_FACES = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"), 2),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
)

Face = tuple[Path, int]


class PlateFontMissing(FileNotFoundError):
    """No CJK font to render plate characters with."""


def font_path() -> Path:
    """Return the font file: ``$PARKCLOUD_PLATE_FONT`` if set, else the first installed of FONT_PATHS."""
    override = os.environ.get(FONT_ENV)
    if override:
        path = Path(override)
        if not path.is_file():
            raise PlateFontMissing(f"{FONT_ENV}={override} is not a font file")
        return path
    for path in FONT_PATHS:
        if path.is_file():
            return path
    tried = ", ".join(str(p) for p in FONT_PATHS)
    raise PlateFontMissing(f"no CJK font found (tried {tried}): apt-get install {FONT_PACKAGE} or set {FONT_ENV}")


def font_faces() -> tuple[Face, ...]:
    """The plate font first, then every installed face of EXTRA_FACES that is not it."""
    first = font_path()
    extra = tuple(face for face in EXTRA_FACES if face[0].is_file() and face[0] != first)
    return ((first, 2 if "Noto" in first.name else 0), *extra)


@lru_cache(maxsize=16)
def load_font(size: int, face: Face | None = None) -> ImageFont.FreeTypeFont:
    path, index = face or font_faces()[0]
    logger.debug("loading plate font %s (face %d) at %d px", path, index, size)
    return ImageFont.truetype(str(path), size, index=index)
