import os
from pathlib import Path

import pytest

from workers.recognition.synth.fonts import PlateFontMissing, font_path


@pytest.fixture
def font() -> Path:
    """The CJK font; skips locally without it (apt-get install fonts-wqy-zenhei), fails under CI=true."""
    try:
        return font_path()
    except PlateFontMissing as missing:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(str(missing))
