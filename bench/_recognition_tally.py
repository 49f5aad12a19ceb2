"""The recognition bench's counts for one group of photos: engines right, sent to a person, wrongly accepted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from parking.plates import plate_kind

# Almost every CCPD photo is from Anhui: the other provinces are where a recognizer trained on it breaks.
HOME_PROVINCE = "皖"


def province_group(plate: str) -> str:
    return HOME_PROVINCE if plate.startswith(HOME_PROVINCE) else "other"


def kind_of(plate: str) -> str:
    """The project's own kind (``PlateKind``): decided from the characters, so blue and yellow share one."""
    return str(plate_kind(plate))


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


@dataclass
class Tally:
    engines: Sequence[str]
    n: int = 0
    right: dict[str, int] = field(default_factory=dict)
    to_person: int = 0
    accepted: int = 0
    wrong_accepted: int = 0

    def add(self, engines_right: Mapping[str, bool], accepted: str | None, plates: frozenset[str]) -> None:
        """One photo: which engines read a labelled plate, and the plate the vote accepted (None: a person)."""
        self.n += 1
        for name in self.engines:
            self.right[name] = self.right.get(name, 0) + bool(engines_right.get(name))
        if accepted is None:
            self.to_person += 1
        else:
            self.accepted += 1
            self.wrong_accepted += accepted not in plates

    def summary(self) -> dict[str, object]:
        return {
            "n": self.n,
            "engines": {name: _share(self.right.get(name, 0), self.n) for name in self.engines},
            "to_person": _share(self.to_person, self.n),
            # Of the plates not sent to a person, the share that is wrong: what reaches the barrier unchecked.
            "wrong_accepted": _share(self.wrong_accepted, self.accepted),
        }


@dataclass
class Groups:
    """Tallies keyed by a group name, summarised in name order."""

    engines: Sequence[str]
    tallies: dict[str, Tally] = field(default_factory=dict)

    def get(self, key: str) -> Tally:
        return self.tallies.setdefault(key, Tally(self.engines))

    def summary(self) -> dict[str, dict[str, object]]:
        return {key: self.tallies[key].summary() for key in sorted(self.tallies)}
