"""Vietnamese text rules: normalisation, alphabetical order and date lines.

What this module knows:

* ``nfc`` — the one canonical form names are stored and compared in (Unicode
  NFC, trimmed, inner whitespace collapsed).
* ``collation_key`` — Vietnamese alphabetical order. The alphabet is
  a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z).
  As in Vietnamese dictionaries, text is compared syllable by syllable (words
  split at spaces): a syllable's letters first, then its tones (none, huyền,
  hỏi, ngã, sắc, nặng), so "hà" < "hai" and "Đà Lạt" < "Đạ Huoai"; after all
  syllables, letter case (lower before upper), and finally the NFC text itself so the
  key is a total order: two strings get equal keys only when they are
  canonically equivalent. Words are compared letter by letter (no digraph
  groups such as "ch" or "ng"), a space sorts before every letter so
  "An" < "An Bình" < "Anh", and runs of digits compare by value
  ("Bảng 2" < "Bảng 10").
* ``person_sort_key`` — people are listed by given name (the last word of a
  Vietnamese full name), then by full name.
* ``date_phrase`` / ``date_line`` — the place-and-date line of an
  administrative document (Decree 30/2020/ND-CP, Appendix I).

What it does not know: how names are split into family / middle / given name
beyond "the last word is the given name", any locale or ICU data, or where a
string is going to be displayed.
"""
from __future__ import annotations

import datetime
import functools
import re
import unicodedata

__all__ = [
    "nfc",
    "collation_key",
    "person_sort_key",
    "date_phrase",
    "date_line",
]

_WHITESPACE = re.compile(r"\s+")


def nfc(s: str) -> str:
    """``s`` in Unicode NFC, trimmed, with every whitespace run made one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", s)).strip()


# --- collation -----------------------------------------------------------

# Combining marks that make a different letter of the alphabet (primary level).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"

# Combining marks that are tones (secondary level), in dictionary order.
_TONES: dict[str, int] = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}

# The alphabet, each entry a base letter plus the modifier that makes it.
_ALPHABET: tuple[tuple[str, str], ...] = (
    ("a", ""), ("a", _BREVE), ("a", _CIRCUMFLEX), ("b", ""), ("c", ""),
    ("d", ""), ("đ", ""), ("e", ""), ("e", _CIRCUMFLEX), ("f", ""), ("g", ""),
    ("h", ""), ("i", ""), ("j", ""), ("k", ""), ("l", ""), ("m", ""),
    ("n", ""), ("o", ""), ("o", _CIRCUMFLEX), ("o", _HORN), ("p", ""),
    ("q", ""), ("r", ""), ("s", ""), ("t", ""), ("u", ""), ("u", _HORN),
    ("v", ""), ("w", ""), ("x", ""), ("y", ""), ("z", ""),
)
_LETTER_RANK: dict[tuple[str, str], int] = {
    letter: rank for rank, letter in enumerate(_ALPHABET)
}
_MODIFIERS = frozenset({_BREVE, _CIRCUMFLEX, _HORN})

# Lookalikes of "đ" that appear in typed names (Icelandic eth for capital Đ).
_D_STROKE = {"đ": "đ", "Đ": "đ", "Ð": "đ"}

# Primary classes: whitespace < punctuation/symbols < digits < letters.
_SPACE, _SYMBOL, _DIGIT, _LETTER, _OTHER_LETTER = 0, 1, 2, 3, 4

_Element = tuple[tuple[int, ...], tuple[int, ...], int]


def _clusters(text: str) -> list[str]:
    """Split decomposed ``text`` into base characters with their marks."""
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _letter_element(cluster: str) -> _Element:
    base, marks = cluster[0], cluster[1:]
    lower = _D_STROKE.get(base, base.lower())
    modifier = next((m for m in marks if m in _MODIFIERS), "")
    rank = _LETTER_RANK.get((lower, modifier))
    if rank is None and modifier:
        # A modifier the letter does not take (e.g. "i" + circumflex):
        # the plain letter, the mark demoted to the secondary level.
        rank, modifier = _LETTER_RANK.get((lower, "")), ""
    tone = max((_TONES[m] for m in marks if m in _TONES), default=0)
    others = tuple(
        ord(m) for m in marks if m not in _TONES and m != modifier
    )
    upper = 1 if base != base.lower() else 0
    if rank is None:
        return (_OTHER_LETTER, ord(lower)), (tone, *others), upper
    return (_LETTER, rank), (tone, *others), upper


def _elements(text: str) -> list[_Element]:
    elements: list[_Element] = []
    digits = ""
    for cluster in _clusters(unicodedata.normalize("NFD", text)) + [""]:
        if cluster[:1].isdecimal():
            digits += cluster[0]
            continue
        if digits:
            elements.append(((_DIGIT, int(digits)), (0,), 0))
            digits = ""
        if not cluster:
            continue
        base = cluster[0]
        if base.isspace():
            elements.append(((_SPACE,), (0,), 0))
        elif base.isalpha() or base in _D_STROKE:
            elements.append(_letter_element(cluster))
        else:
            elements.append(((_SYMBOL, ord(base)), (0,), 0))
    return elements


@functools.lru_cache(maxsize=65536)
def collation_key(s: str) -> tuple:
    """Sort key for ``s`` in Vietnamese alphabetical order (see module doc).

    Remembered per text (names repeat across every sort of a festival's tables); the key is
    a tuple of tuples, so no caller can change a remembered one.

    NFC and NFD spellings of the same text give equal keys; different texts
    give different keys, so sorting by this key is fully deterministic.
    """
    elements = _elements(nfc(s))
    words: list[list[_Element]] = [[]]
    for e in elements:
        if e[0] == (_SPACE,):
            words.append([])
        else:
            words[-1].append(e)
    return (
        # Dictionary order goes syllable by syllable: a syllable's letters, then its tones,
        # before the next syllable counts ("Đà Lạt" < "Đạ Huoai").
        tuple((tuple(e[0] for e in w), tuple(e[1] for e in w)) for w in words),
        tuple(e[2] for e in elements),
        unicodedata.normalize("NFC", s),
    )


def person_sort_key(full_name: str) -> tuple:
    """Sort key for a person: given name (last word) first, then full name."""
    words = nfc(full_name).split(" ")
    return collation_key(words[-1]), collation_key(full_name)


# --- dates ---------------------------------------------------------------

def date_phrase(d: datetime.date) -> str:
    """``"ngày 05 tháng 7 năm 2024"``: Decree 30 zero-pads days below 10 and
    the months 1 and 2 only."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def date_line(place: str, d: datetime.date) -> str:
    """``"Lâm Đồng, ngày 01 tháng 12 năm 2023"``; without a place the phrase
    alone, capitalised (``"Ngày 01 tháng 12 năm 2023"``)."""
    phrase = date_phrase(d)
    place = nfc(place)
    if not place:
        return phrase[0].upper() + phrase[1:]
    return f"{place}, {phrase}"
