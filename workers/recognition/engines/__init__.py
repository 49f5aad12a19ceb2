"""Plate reading engines behind one interface, by name: ``rapidocr`` and ``plate-crnn``."""

from workers.recognition.engines.base import (
    Crop,
    Engine,
    EngineReading,
    UnknownEngine,
    get_engine,
    names,
    preference,
    register,
)
from workers.recognition.engines.crnn import PlateCrnnEngine
from workers.recognition.engines.rapidocr import RapidOcrEngine

register(RapidOcrEngine.name, RapidOcrEngine)
register(PlateCrnnEngine.name, PlateCrnnEngine)

__all__ = ["Crop", "Engine", "EngineReading", "UnknownEngine", "get_engine", "names", "preference", "register"]
