"""Fuzzy matching of a plate reading against the plates currently parked (exit without a recorded entry)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from parking.plates import NO_PLATE, NO_PLATE_SENTINELS, fold_plate

logger = logging.getLogger(__name__)

# Characters plate OCR mixes up. A character may sit in several groups; pairs within a group are confusable.
CONFUSABLE_GROUPS: Final = ("0ODQU", "8B", "2Z", "5S", "1I7", "7T", "6G", "4A", "EF", "HN", "KX", "VY", "3B")

# Costs are integers so that scores and ordering are exact and deterministic.
CONFUSABLE_COST: Final = 3
SUBSTITUTE_COST: Final = 10
INDEL_COST: Final = 10
# The province is the hardest character to read (small strokes, often dirty), so getting it wrong is cheap.
PROVINCE_WRONG_COST: Final = 4
PROVINCE_MISSING_COST: Final = 4
# Cameras with 7-character templates cut a new-energy plate's last character.
DROPPED_LAST_COST: Final = 5
DEFAULT_MAX_COST: Final = 20


def _pair_costs() -> dict[tuple[str, str], int]:
    costs: dict[tuple[str, str], int] = {}
    for group in CONFUSABLE_GROUPS:
        for a in group:
            for b in group:
                if a != b:
                    costs[a, b] = CONFUSABLE_COST
    return costs


def _canonical_table() -> dict[int, int]:
    # Union-find over the groups: every confusable pair maps to one representative, so a multiset comparison
    # of canonical strings never counts a confusable substitution (the pre-filter stays a lower bound).
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        while parent.get(ch, ch) != ch:
            ch = parent[ch]
        return ch

    for group in CONFUSABLE_GROUPS:
        root = find(group[0])
        for ch in group[1:]:
            other = find(ch)
            if other != root:
                parent[other] = root
    return {ord(ch): ord(find(ch)) for ch in parent.keys() | {c for g in CONFUSABLE_GROUPS for c in g}}


_PAIR_COST: Final = _pair_costs()
_CANON: Final = _canonical_table()


@dataclass(frozen=True, slots=True)
class Candidate:
    """An open plate that may be the one read; ``score`` is 1.0 when exact, lower the more it differs."""

    plate: str
    score: float
    reasons: tuple[str, ...]
    cost: int


def _split_head(text: str) -> tuple[str, str]:
    # A reading that starts with a letter or digit lost its province (or 使) character.
    if text and not (text[0].isascii() and text[0].isalnum()):
        return text[0], text[1:]
    return "", text


def _sub_cost(a: str, b: str) -> int:
    if a == b:
        return 0
    return _PAIR_COST.get((a, b), SUBSTITUTE_COST)


def _table(read: str, plate: str, budget: int) -> list[list[int]]:
    """Weighted Levenshtein table: confusable substitutions are cheap, everything else costs a full edit.

    Stops early (last cell over ``budget``) once a whole row is over budget: costs never decrease downwards.
    """
    rows = [[j * INDEL_COST for j in range(len(plate) + 1)]]
    for i, r in enumerate(read, start=1):
        prev = rows[-1]
        row = [i * INDEL_COST]
        for j, p in enumerate(plate, start=1):
            row.append(min(prev[j - 1] + _sub_cost(r, p), prev[j] + INDEL_COST, row[j - 1] + INDEL_COST))
        if min(row) > budget:
            return [[budget + 1]]
        rows.append(row)
    return rows


def _explain(read: str, plate: str, rows: list[list[int]], offset: int) -> list[str]:
    # Walk the table back from the corner; ``offset`` turns body indexes into 1-based plate positions.
    reasons: list[str] = []
    i, j = len(read), len(plate)
    while i or j:
        here = rows[i][j]
        if i and j and here == rows[i - 1][j - 1] + _sub_cost(read[i - 1], plate[j - 1]):
            r, p = read[i - 1], plate[j - 1]
            if r != p:
                kind = "confusable" if (r, p) in _PAIR_COST else "substituted"
                reasons.append(f"{kind} {r}→{p} at {j + offset}")
            i, j = i - 1, j - 1
        elif j and here == rows[i][j - 1] + INDEL_COST:
            reasons.append(f"missing {plate[j - 1]} at {j + offset}")
            j -= 1
        else:
            reasons.append(f"extra {read[i - 1]}")
            i -= 1
    reasons.reverse()
    return reasons


def _match(head: str, body: str, plate: str, budget: int, explain: bool) -> tuple[int, list[str]]:
    reasons: list[str] = []
    cost = 0
    if not head:
        cost, reasons = PROVINCE_MISSING_COST, ["province missing"]
    elif head != plate[0]:
        cost, reasons = PROVINCE_WRONG_COST, [f"province {head}→{plate[0]}"]
    target = plate[1:]
    rows = _table(body, target, budget - cost)
    best, best_target, tail = rows[-1][-1], target, []
    if len(plate) == 8 and len(body) == len(target) - 1:
        cut = _table(body, target[:-1], budget - cost - DROPPED_LAST_COST)
        if cut[-1][-1] + DROPPED_LAST_COST < best:
            rows, best, best_target = cut, cut[-1][-1] + DROPPED_LAST_COST, target[:-1]
            tail = ["8th character dropped"]
    if explain:
        reasons += _explain(body, best_target, rows, offset=1) + tail
    return cost + best, reasons


def _bag_distance(read: Counter[str], length: int, other: str) -> int:
    common = sum(min(count, other.count(ch)) for ch, count in read.items())
    return max(length, len(other)) - common


def fuzzy_candidates(
    read: str, open_plates: Iterable[str], limit: int = 5, max_cost: int = DEFAULT_MAX_COST
) -> list[Candidate]:
    """Return up to ``limit`` open plates ``read`` may be, cheapest first (ties by plate), up to ``max_cost``.

    ``read`` is a raw camera reading (it need not be a valid plate); ``open_plates`` are normalised plates.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    text = fold_plate(read)
    if text in NO_PLATE_SENTINELS:
        return []
    head, body = _split_head(text)
    canon_body = body.translate(_CANON)
    canon_count = Counter(canon_body)
    canon_set = frozenset(canon_body)
    # Each edit the canonical multisets cannot explain costs a full edit, bar one dropped last character.
    max_bag = (max_cost + DROPPED_LAST_COST) // SUBSTITUTE_COST
    scored: list[tuple[int, str]] = []
    for plate in set(open_plates):
        if plate == NO_PLATE or abs(len(plate) - 1 - len(body)) > 2:
            continue
        other = plate[1:].translate(_CANON)
        # Distinct characters missing are a cheap lower bound of the bag distance: most plates stop here.
        if len(canon_set.difference(other)) > max_bag:
            continue
        if _bag_distance(canon_count, len(canon_body), other) > max_bag:
            continue
        cost, _ = _match(head, body, plate, max_cost, explain=False)
        if cost <= max_cost:
            scored.append((cost, plate))
    scored.sort()
    result = []
    for cost, plate in scored[:limit]:
        _, reasons = _match(head, body, plate, max_cost, explain=True)
        score = max(0.0, 1.0 - cost / (SUBSTITUTE_COST * len(plate)))
        result.append(Candidate(plate, round(score, 4), tuple(reasons) or ("exact",), cost))
    logger.debug("fuzzy match of %s: %d candidates", read, len(result))
    return result
