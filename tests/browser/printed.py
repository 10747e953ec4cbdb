"""What a printed page looks like on paper, measured from the PDF.

Debian's poppler-utils: ``pdftoppm`` renders each sheet to a grey image,
from which the fill of the sheet is read (how far down its text area the
ink goes); ``pdftotext`` gives the words. The text area is the sheet less
the margins of print.css's ``@page`` rule (the sheet number, in the bottom
margin, is not content). Used by tests/browser/test_handouts.py,
tests/browser/test_worksheets.py and tests/bench/bench_handouts.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_CSS = ROOT / "overrides" / "assets" / "stylesheets" / "print.css"
INSTALL_POPPLER = "sudo apt-get install -y poppler-utils"
DPI = 36
INK = 160  # a grey darker than this is ink (0 black, 255 white)
MM_PER_INCH = 25.4
PAPERS = ("A4", "Letter")  # the handouts and worksheets print on either


def print_each(page, addresses: dict, shown: str, width_for=None) -> dict:
    """Each address printed at each paper size, in one tab:
    (key, paper) -> (the PDF, what the script ``shown`` reads of the page laid out for print).
    ``width_for(paper)``: the viewport width to lay the page out at, if not the tab's own."""
    page.emulate_media(media="print")
    viewport = page.viewport_size
    found = {}
    try:
        for key, address in addresses.items():
            page.goto(address)
            for paper in PAPERS:
                if width_for:
                    page.set_viewport_size({"width": width_for(paper), "height": 800})
                found[key, paper] = (page.pdf(format=paper), page.evaluate(shown))
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(viewport)
    return found


def missing_tools() -> list[str]:
    return [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]


def margins_mm() -> tuple[float, float]:
    """The top and bottom @page margins of print.css, in mm."""
    css = PRINT_CSS.read_text(encoding="utf-8")
    found = re.search(r"@page\s*\{[^}]*?margin:\s*([^;]+);", css)
    assert found, f"{PRINT_CSS} has no @page margin"
    written = found[1].split()
    assert all(value.endswith("mm") for value in written), "print.css: @page margins in mm, please"
    values = [float(value.removesuffix("mm")) for value in written]
    top = values[0]
    bottom = values[2] if len(values) > 2 else values[0]  # CSS shorthand: 1 or 2 values, or top right bottom [left]
    return top, bottom


def _gray_pages(pdf: bytes) -> list[tuple[int, int, bytes]]:
    """Each sheet as (width, height, one byte a pixel), rendered at DPI."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(source), f"{folder}/page"], check=True)
        pages = []
        for image in sorted(Path(folder).glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
            data = image.read_bytes()
            magic, size, depth, pixels = data.split(b"\n", 3)
            assert magic == b"P5" and depth == b"255", image
            width, height = map(int, size.split())
            pages.append((width, height, pixels))
        return pages


def fills(pdf: bytes) -> list[float]:
    """For each sheet, how far down its text area the ink reaches (0 empty, 1 full)."""
    top_mm, bottom_mm = margins_mm()
    result = []
    for width, height, pixels in _gray_pages(pdf):
        top = round(top_mm / MM_PER_INCH * DPI)
        bottom = height - round(bottom_mm / MM_PER_INCH * DPI)
        inked = [row for row in range(top, bottom) if min(pixels[row * width:(row + 1) * width]) < INK]
        result.append(round((inked[-1] + 1 - top) / (bottom - top), 2) if inked else 0.0)
    return result


def sheets_text(pdf: bytes) -> list[str]:
    """Each sheet's words, each run of white space one space, without its
    sheet number ("2/5", from print.css's @page rule: not the text's, and a
    sentence running on to the next sheet must read as one)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    sheets = result.stdout.decode("utf-8").split("\f")
    if sheets and not sheets[-1].strip():
        sheets.pop()  # pdftotext ends the last sheet with a form feed too
    return [" ".join(word for word in sheet.split() if word != f"{number}/{len(sheets)}")
            for number, sheet in enumerate(sheets, 1)]


def text(pdf: bytes) -> str:
    """The PDF's words, each run of white space one space."""
    return " ".join(sheets_text(pdf))
