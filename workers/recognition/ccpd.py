"""CCPD file names as labels: the plate, its bounding box and its four corners are encoded in the name.

``025-95_113-154&383_386&473-386&473_177&454_154&383_363&402-0_0_22_27_27_33_16-37-15.jpg`` reads as
area, tilt, box (x0&y0_x1&y1), corners (bottom-right, bottom-left, top-left, top-right), the plate as
indices into the three tables below, brightness and blur.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from parking.plates import InvalidPlate, normalize_plate

# CCPD's own tables; "O" marks an unused slot, "警"/"学" never start a real plate.
_PROVINCES = "皖沪津渝冀晋蒙辽吉黑苏浙京闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新警学O"
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZO"
_SERIAL = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789O"

Point = tuple[float, float]


class NotCcpd(ValueError):
    """A file name that does not follow the CCPD layout."""


@dataclass(frozen=True)
class CcpdLabel:
    path: Path
    plate: str
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1
    corners: tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


def _points(field: str) -> list[tuple[int, int]]:
    return [(int(x), int(y)) for x, y in (p.split("&") for p in field.split("_"))]


def parse(path: Path) -> CcpdLabel:
    parts = path.stem.split("-")
    if len(parts) != 7:
        raise NotCcpd(f"{path.name}: expected 7 dash-separated fields")
    try:
        (x0, y0), (x1, y1) = _points(parts[2])
        br, bl, tl, tr = _points(parts[3])
        idx = [int(i) for i in parts[4].split("_")]
        text = _PROVINCES[idx[0]] + _LETTERS[idx[1]] + "".join(_SERIAL[i] for i in idx[2:])
        plate = normalize_plate(text)
    except (ValueError, IndexError, InvalidPlate) as err:
        raise NotCcpd(f"{path.name}: {err}") from err
    corners = ((float(tl[0]), float(tl[1])), (float(tr[0]), float(tr[1])), (float(br[0]), float(br[1])),
               (float(bl[0]), float(bl[1])))  # fmt: skip
    return CcpdLabel(path, plate, (x0, y0, x1, y1), corners)


def scan(folder: Path) -> list[CcpdLabel]:
    """Every parsable CCPD image in ``folder``, sorted by name; unparsable names are skipped."""
    labels = []
    for path in sorted(folder.glob("*.jpg")):
        try:
            labels.append(parse(path))
        except NotCcpd:
            continue
    return labels


def is_validation(label: CcpdLabel, share: float = 0.2) -> bool:
    """A fixed split by a hash of the file name: the same image is on the same side on every machine."""
    return in_validation(label.path.name, share)


def in_validation(name: str, share: float = 0.2) -> bool:
    """The split of ``is_validation`` for any file name (labelled folders that are not CCPD's)."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def plate_in_validation(plate: str, share: float = 0.2) -> bool:
    """A fixed split by plate text: every photo of one plate is on the same side."""
    return in_validation(plate, share)
