"""Labelled plate folders, for the recognition bench and for training: a ``labels.tsv`` or CCPD file names.

A ``labels.tsv`` has a header line naming its tab-separated columns: ``file`` (or ``filename``) and ``plate``
are required; ``kind`` (the set's own plate kind, e.g. its colour) and ``bbox`` (``x0,y0,x1,y1``) or
``bbox_or_corners`` (``bbox=x0,y0,x1,y1|corners=x,y;x,y;x,y;x,y``, top-left first and clockwise, as in
../shared/datasets) are optional. A photo may have
several rows, one per plate. Rows that cannot be measured (a plate that is not one, a missing file) are
reported as problems and left out, never a crash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from parking.plates import NO_PLATE, InvalidPlate, normalize_plate
from workers.recognition.ccpd import NotCcpd, in_validation, parse, plate_in_validation

LABELS = "labels.tsv"
FILE_COLUMNS = ("file", "filename")
BOX_COLUMNS = ("bbox", "bbox_or_corners")

Box = tuple[float, float, float, float]
Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]


class LabelsUnusable(ValueError):
    """A labels.tsv whose header does not name the columns the bench needs."""


@dataclass(frozen=True)
class Sample:
    path: Path
    plate: str  # the lane's plate, which the simulated camera reads: the biggest labelled box's, else the first
    plates: frozenset[str]  # every plate labelled in the photo: an engine reading any of them is right
    boxes: tuple[Box, ...]  # labelled plate boxes, when the labels give them
    kind: str | None = None  # the labels' own kind column for the lane's plate
    # Each labelled plate with its corners when the labels give them (training rectifies from them).
    quads: tuple[tuple[str, Corners], ...] = ()
    # CCPD photos keep the split by file name that the committed models were trained with; labelled folders
    # are split by plate text, so that no plate is on both sides (a plate photographed twice).
    split_by_plate: bool = False

    def in_validation(self) -> bool:
        if self.split_by_plate:
            return any(plate_in_validation(p) for p in self.plates)
        return in_validation(self.path.name)


@dataclass(frozen=True)
class Problem:
    where: str  # "labels.tsv:4" or a file name
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(frozen=True)
class _Row:
    file: str
    plate: str
    kind: str | None
    box: Box | None
    corners: Corners | None = None


def load(folder: Path) -> tuple[list[Sample], list[Problem]]:
    """The folder's labelled samples by file name, and the rows or files that were left out."""
    if (folder / LABELS).is_file():
        return read_labels(folder / LABELS)
    return _ccpd(folder)


def _ccpd(folder: Path) -> tuple[list[Sample], list[Problem]]:
    samples, problems = [], []
    for path in sorted(folder.glob("*.jpg")):
        try:
            label = parse(path)
        except NotCcpd as err:
            problems.append(Problem(path.name, f"neither in {LABELS} nor a CCPD name ({err})"))
            continue
        x0, y0, x1, y1 = label.bbox
        box = (float(x0), float(y0), float(x1), float(y1))
        quads = ((label.plate, label.corners),)
        samples.append(Sample(path, label.plate, frozenset({label.plate}), (box,), quads=quads))
    return samples, problems


def clockwise_from_top_left(points: list[Point]) -> Corners:
    """Four corners in the order top-left, top-right, bottom-right, bottom-left, whatever order they came in.

    Labels drawn as rotated rectangles start at whichever corner the tool chose (plates-easypr's often at the
    bottom-left); rectifying in that order turns the plate on its side. Clockwise around the centre (y grows
    downwards), starting at the corner nearest the image's origin: right for plates turned less than 45°.
    """
    cx, cy = sum(x for x, _ in points) / 4, sum(y for _, y in points) / 4
    ring = sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
    start = min(range(4), key=lambda i: ring[i][0] + ring[i][1])
    tl, tr, br, bl = (ring[(start + i) % 4] for i in range(4))
    return tl, tr, br, bl


def _box(cell: str) -> tuple[Box | None, Corners | None]:
    # "x0,y0,x1,y1" or "bbox=x0,y0,x1,y1|corners=x,y;x,y;x,y;x,y".
    box, corners = None, None
    for part in cell.strip().split("|") if cell.strip() else ():
        key, _, value = part.rpartition("=")
        if key in ("", "bbox"):
            x0, y0, x1, y1 = (float(v) for v in value.split(","))
            if x1 <= x0 or y1 <= y0:
                raise ValueError(f"empty box {value!r}")
            box = (x0, y0, x1, y1)
        elif key == "corners":
            points = [tuple(float(v) for v in point.split(",")) for point in value.split(";")]
            if len(points) != 4 or any(len(p) != 2 for p in points):
                raise ValueError(f"corners need four x,y points, got {value!r}")
            corners = clockwise_from_top_left([(p[0], p[1]) for p in points])
    return box, corners


def _columns(header: str) -> dict[str, int]:
    names = [c.strip().lower() for c in header.split("\t")]
    found = {name: i for i, name in enumerate(names)}
    file = next((found[c] for c in FILE_COLUMNS if c in found), None)
    if file is None or "plate" not in found:
        raise LabelsUnusable(f"{LABELS} header must name the columns file and plate (tab-separated), got {names}")
    columns = {"file": file, "plate": found["plate"]}
    if "kind" in found:
        columns["kind"] = found["kind"]
    box = next((found[c] for c in BOX_COLUMNS if c in found), None)
    if box is not None:
        columns["box"] = box
    return columns


def _row(cells: list[str], columns: dict[str, int], folder: Path) -> _Row | str:
    """The row, or what is wrong with it."""

    def cell(name: str) -> str:
        i = columns.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    file, raw = cell("file"), cell("plate")
    if not file:
        return "no file named"
    try:
        plate = normalize_plate(raw)
    except InvalidPlate as err:
        return f"{file}: {err}"
    if plate == NO_PLATE:
        return f"{file}: plate {raw!r} means no plate; photos without a plate are not measured"
    if not (folder / file).is_file():
        return f"{file}: missing file"
    try:
        box, corners = _box(cell("box"))
    except ValueError as err:
        return f"{file}: unreadable box {cell('box')!r} ({err})"
    return _Row(file, plate, cell("kind") or None, box, corners)


def read_labels(path: Path) -> tuple[list[Sample], list[Problem]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    if not lines:
        raise LabelsUnusable(f"{path} is empty")
    columns = _columns(lines[0])
    rows: dict[str, list[_Row]] = {}
    problems = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        row = _row(line.split("\t"), columns, path.parent)
        if isinstance(row, str):
            problems.append(Problem(f"{path.name}:{number}", row))
        else:
            rows.setdefault(row.file, []).append(row)
    samples = []
    for file, plates in sorted(rows.items()):
        # The lane's car is the nearest: the biggest labelled box (the first row when there are none).
        lane = max(plates, key=lambda r: (r.box[2] - r.box[0]) * (r.box[3] - r.box[1]) if r.box else 0.0)
        boxes = tuple(r.box for r in plates if r.box is not None)
        quads = tuple((r.plate, r.corners) for r in plates if r.corners is not None)
        samples.append(
            Sample(path.parent / file, lane.plate, frozenset(r.plate for r in plates), boxes, lane.kind, quads, True)
        )
    return samples, problems
