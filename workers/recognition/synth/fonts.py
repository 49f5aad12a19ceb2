"""Finds the CJK TrueType font plates are rendered with (Debian package fonts-wqy-zenhei)."""

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


@lru_cache(maxsize=4)
def load_font(size: int) -> ImageFont.FreeTypeFont:
    path = font_path()
    logger.debug("loading plate font %s at %d px", path, size)
    return ImageFont.truetype(str(path), size)
