"""The plate recognizer's alphabet: index 0 is the CTC blank, then these characters in this order."""

from __future__ import annotations

from parking.plates import DIGITS, LETTERS, PROVINCES

# Purpose characters that end plates (试/超 are not issued any more, so the recognizer never emits them).
PURPOSE = "学警挂港澳使领"
# O is a letter only as the authority code of public security and judicial vehicles (粤O·A2160); it comes last
# so that a model trained before it was added keeps its indices.
AUTHORITY_ONLY = "O"
CHARACTERS = PROVINCES + LETTERS + DIGITS + PURPOSE + AUTHORITY_ONLY
BLANK = 0


def decode_greedy(indices: list[int], probs: list[float]) -> tuple[str, float]:
    """Collapse repeats, drop blanks; confidence is the product of the kept steps' probabilities."""
    text, conf, previous = [], 1.0, BLANK
    for index, prob in zip(indices, probs, strict=True):
        if index != BLANK and index != previous:
            text.append(CHARACTERS[index - 1])
            conf *= prob
        previous = index
    return "".join(text), conf if text else 0.0
