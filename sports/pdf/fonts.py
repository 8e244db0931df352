"""The fonts every PDF of the application draws with (DESIGN.md, "Fonts").

reportlab's standard fonts cannot draw Vietnamese, so documents use TrueType faces shipped by
``fontpkg-*`` packages from PyPI (installed with requirements.txt, nothing to download):

- a serif family, Crimson Text (static regular, bold, italic and bold-italic faces);
- a sans family, Be Vietnam Pro (regular and bold).

:func:`register` registers both families with reportlab once per process and returns their
names; reportlab embeds a subset of each face in every PDF that uses it. A festival's own
TTF (e.g. Times New Roman) goes through :func:`register_ttf`; :func:`covers_vietnamese`
lists the Vietnamese letters a font file cannot draw, so an upload can be refused before a
certificate prints with holes in it.

What this module does not know: page layout, which document uses which family, or where an
organiser's uploaded font is stored.
"""
from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF_FAMILY = "Crimson Text"
SANS_FAMILY = "Be Vietnam Pro"

# Vowels with their five tone marks (huyền, sắc, hỏi, ngã, nặng), consonants, and đ.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_CONSONANTS = "bcdđghklmnpqrstvx"


def _vietnamese_letters() -> str:
    lower = [unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in _TONES]
    lower += list(_CONSONANTS) + ["f", "j", "w", "z"]  # foreign names and codes use them too
    letters = lower + [c.upper() for c in lower]
    return "".join(letters)


#: Every letter Vietnamese text is written with, precomposed (NFC), both cases: the 12 vowels
#: with no tone and with each of the 5 tones (144), and the consonants with đ and f, j, w, z (42).
VIETNAMESE_LETTERS: str = _vietnamese_letters()


@dataclass(frozen=True)
class FontNames:
    """reportlab font names of the registered families (use them in styles and ``setFont``).

    ``serif`` and ``sans`` are also registered as families, so ``<b>`` and ``<i>`` in a
    Paragraph pick the right face."""

    serif: str
    serif_bold: str
    serif_italic: str
    serif_bold_italic: str
    sans: str
    sans_bold: str


#: The faces :func:`register` uses: reportlab name → (family, weight, style).
_FACES: dict[str, tuple[str, int, str]] = {
    "HoiThaoSerif": (SERIF_FAMILY, 400, "normal"),
    "HoiThaoSerif-Bold": (SERIF_FAMILY, 700, "normal"),
    "HoiThaoSerif-Italic": (SERIF_FAMILY, 400, "italic"),
    "HoiThaoSerif-BoldItalic": (SERIF_FAMILY, 700, "italic"),
    "HoiThaoSans": (SANS_FAMILY, 400, "normal"),
    "HoiThaoSans-Bold": (SANS_FAMILY, 700, "normal"),
}
NAMES = FontNames(*_FACES)

_lock = threading.Lock()
_registered: FontNames | None = None


def face_path(family: str, weight: int = 400, style: str = "normal") -> Path:
    """The TTF file of one static face of an installed ``fontpkg`` family.

    Raises ``fontpkg.FontpkgError`` when the family or face is not installed, and ValueError
    for a variable font (reportlab would draw only its default weight)."""
    chosen = fontpkg.select_file(fontpkg.family(family), weight, style)
    if chosen.variable:
        raise ValueError(f"{family} {weight} {style}: a variable font; reportlab needs static faces")
    return Path(chosen.path)


def default_paths() -> dict[str, Path]:
    """reportlab name → TTF file of every face :func:`register` registers."""
    return {name: face_path(*face) for name, face in _FACES.items()}


def register() -> FontNames:
    """Register the serif and sans families with reportlab (once per process) and name them."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            for name, path in default_paths().items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            _family(NAMES.serif, NAMES.serif_bold, NAMES.serif_italic, NAMES.serif_bold_italic)
            _family(NAMES.sans, NAMES.sans_bold, NAMES.sans, NAMES.sans_bold)
            _registered = NAMES
    return _registered


def register_ttf(name: str, path: str | Path) -> str:
    """Register one more TrueType face under ``name`` (idempotent) and return the name.

    For a festival's own font; check it with :func:`covers_vietnamese` first."""
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _family(normal: str, bold: str, italic: str, bold_italic: str) -> None:
    pdfmetrics.registerFontFamily(normal, normal=normal, bold=bold, italic=italic, boldItalic=bold_italic)
    # Paragraph markup looks faces up by (family, bold, italic) in lower case as well.
    for is_bold, is_italic, face in ((0, 0, normal), (1, 0, bold), (0, 1, italic), (1, 1, bold_italic)):
        addMapping(normal.lower(), is_bold, is_italic, face)


def covers_vietnamese(path: str | Path, letters: str = VIETNAMESE_LETTERS) -> list[str]:
    """The letters of ``letters`` (default: every Vietnamese letter) the TTF file has no glyph
    for, in order; an empty list when the font can draw all Vietnamese text."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    cmap = TTFontFile(str(path), validate=0).charToGlyph
    return [c for c in letters if cmap.get(ord(c), 0) == 0]


def missing_glyphs(font_name: str, text: str) -> list[str]:
    """The characters of ``text`` a registered TrueType font cannot draw (spaces ignored)."""
    face = pdfmetrics.getFont(font_name).face
    return sorted({c for c in text if not c.isspace() and face.charToGlyph.get(ord(c), 0) == 0})
