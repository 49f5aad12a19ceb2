"""Switches ultralytics' network touches off before it is imported: no downloads, no hub, no font fetch."""

from __future__ import annotations

import json
import os
from pathlib import Path

from workers.recognition.synth.fonts import font_path


def configure(config_dir: Path) -> None:
    """Point ultralytics at a config folder holding the font it would fetch and settings with sync off.

    Must run before ``import ultralytics``: it reads these variables at import time.
    """
    folder = config_dir / "Ultralytics"
    folder.mkdir(parents=True, exist_ok=True)
    arial = folder / "Arial.ttf"
    if not arial.exists():
        # Any TTF under that name stops the fetch that every detect train/val does (plots=False does not).
        arial.write_bytes(font_path().read_bytes())
    (folder / "settings.json").write_text(json.dumps({"sync": False, "hub": False}))
    os.environ["YOLO_CONFIG_DIR"] = str(config_dir)
    os.environ["YOLO_OFFLINE"] = "1"
    os.environ["YOLO_AUTOINSTALL"] = "0"
