"""Printable tables as PDF (agendas, the organizers' grid) in Russian, Chinese and English at once.

fpdf2 embeds a subset of one Unicode font.  The font is a file on the machine, never bundled and never
downloaded: ``EXPERTBRIDGE_PDF_FONT`` names it, or the first of ``FONT_CANDIDATES`` that exists is used
(Debian's fonts-noto-cjk, which ``make fonts`` installs; its Noto Sans CJK has Latin, Cyrillic and
Chinese glyphs).  A font that lacks Cyrillic or Chinese is refused, since a PDF with empty boxes in
place of names is worse than no PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch: noto-fonts-cjk
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora: google-noto-sans-cjk-ttc-fonts
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian: fonts-wqy-zenhei
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# Characters every agenda may hold: a Cyrillic and a Chinese letter.
REQUIRED_CHARACTERS = "Жж中会"
FONT_HELP = (
    "install Debian's fonts-noto-cjk (`make fonts`), or set EXPERTBRIDGE_PDF_FONT to a .ttf, .otf or "
    ".ttc file with Cyrillic and Chinese characters"
)


# Spaces CJK fonts lack (Babel writes dates and numbers with narrow no-break spaces): plain spaces.
_SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u2007": " "})


class PdfFontError(RuntimeError):
    """No usable font: the message says which file was tried and what to do."""


@dataclass(frozen=True)
class PdfFont:
    """A font file and, in a collection (.ttc), the face to use."""

    path: Path
    face: int = 0


def _face(path: Path) -> int:
    """The face of a collection to use: Simplified Chinese when the collection has one; checks the
    face has the characters agendas need."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            faces = list(TTCollection(str(path), lazy=True).fonts)
        else:
            faces = [TTFont(str(path), lazy=True)]
    except (OSError, TTLibError, AssertionError, ValueError) as error:
        raise PdfFontError(f"{path}: not a font file this program can read ({error}); {FONT_HELP}") from None
    chosen = 0
    for number, face in enumerate(faces):
        family = str(face["name"].getDebugName(1) or "")
        if family.endswith(" SC") or "Zen Hei" in family:
            chosen = number
            break
    cmap = faces[chosen].getBestCmap() or {}
    missing = [character for character in REQUIRED_CHARACTERS if ord(character) not in cmap]
    if missing:
        raise PdfFontError(f"{path}: the font has no glyph for {''.join(missing)}; {FONT_HELP}")
    return chosen


@lru_cache(maxsize=8)
def find_font(configured: str = "") -> PdfFont:
    """The font PDFs are written with: ``configured`` (a path) or the first candidate that exists.

    Raises :class:`PdfFontError` naming what was tried.
    """
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise PdfFontError(f"EXPERTBRIDGE_PDF_FONT={configured}: no such file; {FONT_HELP}")
        if path.suffix.lower() not in FONT_SUFFIXES:
            raise PdfFontError(f"EXPERTBRIDGE_PDF_FONT={configured}: not a .ttf, .otf or .ttc file")
        return PdfFont(path, _face(path))
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return PdfFont(path, _face(path))
    raise PdfFontError(
        f"no font for PDF files was found (looked for {', '.join(FONT_CANDIDATES)}); {FONT_HELP}"
    )


def table_pdf(
    title: str,
    lines: Sequence[str],
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    font: PdfFont | None,
    widths: Sequence[int] | None = None,
    landscape: bool = False,
    empty: str = "",
    created: dt.datetime | None = None,
) -> bytes:
    """A PDF with a title, lines of text under it and a table (headings repeated on every page).

    ``widths`` are relative column widths; ``empty`` is written instead of a table without rows;
    ``created`` is the document's creation date (fixed, so that the same data gives the same file).
    """
    if font is None:
        raise PdfFontError(f"no font for PDF files; {FONT_HELP}")
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="landscape" if landscape else "portrait", unit="mm", format="A4")
    pdf.set_creator("expertbridge")
    title = title.translate(_SPACES)
    lines = [line.translate(_SPACES) for line in lines]
    headings = [heading.translate(_SPACES) for heading in headings]
    rows = [[value.translate(_SPACES) for value in row] for row in rows]
    pdf.set_title(title)
    if created is not None:
        pdf.set_creation_date(created.replace(tzinfo=created.tzinfo or dt.UTC))
    pdf.add_font("body", fname=str(font.path), collection_font_number=font.face)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("body", size=15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=10)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if not rows:
        pdf.multi_cell(0, 6, empty, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("body", size=9)
        # The heading row is shaded, not bold: the font file has one weight.
        with pdf.table(
            col_widths=tuple(widths) if widths else None,
            headings_style=FontFace(fill_color=(225, 225, 225)),
            line_height=5,
            text_align="LEFT",
        ) as table:
            for row in (headings, *rows):
                cells = table.row()
                for value in row:
                    cells.cell(value)
    return bytes(pdf.output())
