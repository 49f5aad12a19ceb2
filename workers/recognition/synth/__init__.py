"""Synthetic GA 36 plate images and lane scenes for training the cloud recognition models."""

from workers.recognition.synth.augment import (
    add_noise,
    adjust_brightness,
    augment,
    blur,
    random_perspective,
)
from workers.recognition.synth.fonts import PlateFontMissing, font_faces, font_path
from workers.recognition.synth.layout import PLATE_SIZES_MM, PlateLayout, geometry
from workers.recognition.synth.render import PlateStyleMismatch, pixel_size, render_plate
from workers.recognition.synth.scene import Scene, render_scene
from workers.recognition.synth.styles import SPECS, PlateStyle, random_plate

__all__ = [
    "PLATE_SIZES_MM",
    "SPECS",
    "PlateFontMissing",
    "PlateLayout",
    "PlateStyle",
    "PlateStyleMismatch",
    "Scene",
    "add_noise",
    "adjust_brightness",
    "augment",
    "blur",
    "font_faces",
    "font_path",
    "geometry",
    "pixel_size",
    "random_perspective",
    "random_plate",
    "render_plate",
    "render_scene",
]
