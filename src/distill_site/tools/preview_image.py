"""Draw the link-preview image (og:image) from the data file, offline.

The image is one 1200x630 PNG for the whole site, committed as
``docs/assets/images/preview.png`` and named by ``og:image`` on every page
(overrides/partials/head-extra.html). It shows the site's name and the
headline figure, formatted by ``distill_site.facts.formatting`` exactly as the
pages format it, so the card never disagrees with the text.

How: we write a self-contained HTML page (inline SVG mark, system fonts, no
URL at all) and let Debian's headless Chromium screenshot it. Nothing is
fetched; no browser is downloaded. The PNG then gets a ``tEXt`` chunk that
records what it shows (``STAMP_KEY``); ``check_fresh`` compares that stamp
with the data file, and ``make build`` runs it first (``--check``), so a
changed headline figure stops the build, before anything is written, until
the image is regenerated:

    python -m distill_site.tools.preview_image            # from the project's top folder (make preview-image)
    python -m distill_site.tools.preview_image --check    # is the image still what the data says?
    python -m distill_site.tools.preview_image --html-only card.html   # to look at the layout

The headline figure is the one mkdocs.yml names under ``extra:`` as
``preview_figure`` (a key in the data file). Options name the data file,
mkdocs.yml, another figure, the output and the Chromium binary; see ``--help``.
"""

from __future__ import annotations

import argparse
import html
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from ..facts.figures import load_figures
from ..facts.formatting import format_figure, machine_value
from ..site_config import read_site_config

WIDTH, HEIGHT = 1200, 630
DEFAULT_OUT = Path("docs/assets/images/preview.png")
DEFAULT_DATA = Path("data/figures.yml")
DEFAULT_CONFIG = Path("mkdocs.yml")
DEFAULT_CHROMIUM = "/usr/bin/chromium"
STAMP_KEY = "distill-site-headline"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--hide-scrollbars", "--force-device-scale-factor=1",
    "--no-first-run", "--no-default-browser-check", "--disable-extensions",
)


@dataclass(frozen=True)
class Card:
    site_name: str
    figure_id: str
    figure_text: str  # as the pages show it, qualifier included
    figure_value: str  # the machine value (digits, or an ISO date)
    label: str
    qualifier: str = ""  # "more than": drawn smaller, above the number
    number: str = ""  # the figure without its qualifier

    @property
    def stamp(self) -> str:
        """What the image shows, in one line: compared by ``check_fresh``."""
        return f"{self.site_name} | {self.figure_id}={self.figure_value} | {self.figure_text} | {self.label}"


def site_name(config: Path = DEFAULT_CONFIG) -> str:
    return str(read_site_config(config).get("site_name") or "")


def headline_figure(config: Path = DEFAULT_CONFIG) -> str:
    """The key of the figure the card shows: ``extra: preview_figure:`` in mkdocs.yml."""
    key = (read_site_config(config).get("extra") or {}).get("preview_figure")
    if not isinstance(key, str) or not key:
        raise SiteError(str(config), None, "no headline figure for the link-preview image",
                        "name it under 'extra:' as 'preview_figure: KEY', a figure's key in the data file")
    return key


def card_for(data_file: Path = DEFAULT_DATA, config: Path = DEFAULT_CONFIG,
             figure_id: str | None = None) -> Card:
    figure_id = figure_id or headline_figure(config)
    facts = load_figures(data_file)
    if figure_id not in facts.figures:
        raise SiteError(str(config), None, f"the headline figure '{figure_id}' is not in {data_file}",
                        "name one of its figures' keys as 'preview_figure' under 'extra:'")
    figure = facts.figures[figure_id]
    return Card(site_name=site_name(config), figure_id=figure_id,
                figure_text=format_figure(figure), figure_value=machine_value(figure),
                label=figure.label, qualifier=figure.qualifier or "",
                number=format_figure(figure, qualified=False))


def check_fresh(image: Path = DEFAULT_OUT, data_file: Path = DEFAULT_DATA, config: Path = DEFAULT_CONFIG,
                figure_id: str | None = None) -> None:
    """Raise SiteError, saying what changed, if ``image`` no longer shows what the data says."""
    figure_id = figure_id or headline_figure(config)
    fix = "run `make preview-image` and commit the new PNG"
    try:
        drawn = png_text(Path(image).read_bytes()).get(STAMP_KEY)
    except (OSError, ValueError) as problem:
        raise SiteError(str(image), None, f"the link-preview image cannot be read ({problem})", fix) from None
    card = card_for(data_file, config, figure_id)
    # tEXt is Latin-1: compare the stamp as it was stored.
    now = card.stamp.encode("latin-1", "replace").decode("latin-1")
    if drawn == now:
        return
    old = (drawn or "").split(" | ", 3)
    new = now.split(" | ", 3)
    line = load_figures(data_file).figures[figure_id].line
    if len(old) != 4:
        raise SiteError(str(image), None, "the link-preview image does not record what it shows", fix)
    if old[1:3] != new[1:3]:
        raise SiteError(str(data_file), line, f"the headline figure changed: {image} shows "
                        f"'{old[2]}' ({old[1]}), the data file now says '{new[2]}' ({new[1]})", fix)
    if old[3] != new[3]:
        raise SiteError(str(data_file), line, f"the headline figure's label changed: {image} shows "
                        f"'{old[3]}', the data file now says '{new[3]}'", fix)
    raise SiteError(str(config), None, f"the site name changed: {image} shows '{old[0]}', "
                    f"{config} now says '{new[0]}'", fix)


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_start(text: str) -> str:
    return text[:1].lower() + text[1:]


def _keep_hyphens(text: str) -> str:
    """No line break inside "Alibaba-linked": a non-breaking hyphen."""
    return text.replace("-", "\u2011")


MARK = """<svg viewBox="0 0 32 32" width="88" height="88" aria-hidden="true">
  <rect width="32" height="32" rx="7" fill="#fff"/>
  <circle cx="10" cy="16" r="6.5" fill="#3f51b5"/>
  <path d="M18 16 H22.5 M20.5 13.2 L23.3 16 L20.5 18.8" fill="none" stroke="#3f51b5"
        stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="26.8" cy="16" r="2.8" fill="#7986cb"/>
</svg>"""


def card_html(card: Card) -> str:
    """A page of exactly WIDTH x HEIGHT pixels that references no URL."""
    e = html.escape
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
  html, body {{ margin: 0; width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden; }}
  body {{ box-sizing: border-box; padding: 64px 72px; display: flex; flex-direction: column;
         background: #283593; color: #fff;
         font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }}
  header {{ display: flex; align-items: center; gap: 28px; }}
  .name {{ font-size: 52px; font-weight: bold; letter-spacing: -0.5px; }}
  main {{ margin-top: auto; }}
  .qualifier {{ font-size: 44px; color: #e8eaf6; }}
  .figure {{ font-size: 112px; font-weight: bold; line-height: 1.05; color: #fff; white-space: nowrap; }}
  .label {{ margin-top: 18px; font-size: 40px; line-height: 1.25; color: #c5cae9; max-width: 1000px; }}
  footer {{ margin-top: 40px; font-size: 26px; color: #e8eaf6; border-top: 3px solid #5c6bc0; padding-top: 18px; }}
</style></head>
<body>
  <header>{MARK}<div class="name">{e(card.site_name)}</div></header>
  <main>
    {f'<div class="qualifier">{e(_sentence_start(card.qualifier))}</div>' if card.qualifier else ''}
    <div class="figure">{e(card.number if card.qualifier else _sentence_start(card.number))}</div>
    <div class="label">{_keep_hyphens(e(_lower_start(card.label)))}</div>
  </main>
  <footer>An allegation, as reported. Every figure on the site names its sources.</footer>
</body></html>
"""


# --- PNG chunks ---------------------------------------------------------------

def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG; raises ValueError if it is not one."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG (bad signature)")
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated chunk header")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc_bytes = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or len(crc_bytes) != 4:
            raise ValueError(f"truncated {kind!r} chunk")
        if struct.unpack(">I", crc_bytes)[0] != zlib.crc32(kind + body):
            raise ValueError(f"bad CRC in {kind!r} chunk")
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise ValueError("a PNG must start with IHDR and end with IEND")
    return chunks


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png_chunks(data)[0][1][:8])


def png_text(data: bytes) -> dict[str, str]:
    texts = {}
    for kind, body in png_chunks(data):
        if kind == b"tEXt" and b"\0" in body:
            key, value = body.split(b"\0", 1)
            texts[key.decode("latin-1")] = value.decode("latin-1")
    return texts


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def with_text(data: bytes, texts: dict[str, str]) -> bytes:
    """The PNG with its text chunks replaced by ``texts`` (before IEND)."""
    out = [PNG_SIGNATURE]
    for kind, body in png_chunks(data):
        if kind in (b"tEXt", b"zTXt", b"iTXt", b"tIME"):
            continue  # drop anything that varies from run to run
        if kind == b"IEND":
            for key, value in texts.items():
                out.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1", "replace")))
        out.append(_chunk(kind, body))
    return b"".join(out)


# --- Rendering ----------------------------------------------------------------

def render(card: Card, out: Path, chromium: str = DEFAULT_CHROMIUM) -> None:
    binary = shutil.which(chromium) or chromium
    if not Path(binary).exists():
        raise SiteError(chromium, None, "Chromium not found", "install Debian's: sudo apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="preview-image-") as tmp:
        page = Path(tmp) / "card.html"
        page.write_text(card_html(card), encoding="utf-8")
        shot = Path(tmp) / "card.png"
        command = [binary, *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile",
                   f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", page.as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if not shot.exists():
            raise SiteError(binary, None, f"Chromium made no screenshot (exit {result.returncode}): "
                            f"{result.stderr[-2000:]}")
        data = shot.read_bytes()
    size = png_size(data)
    if size != (WIDTH, HEIGHT):
        raise SiteError(binary, None, f"Chromium made a {size[0]}x{size[1]} image, not {WIDTH}x{HEIGHT}")
    data = with_text(data, {
        "Title": card.site_name,
        "Description": f"{_sentence_start(card.figure_text)} {_lower_start(card.label)}",
        STAMP_KEY: card.stamp,
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distill_site.tools.preview_image",
                                     description="Draw the 1200x630 link-preview PNG from the data file.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data file (default: %(default)s)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="for site_name (default: %(default)s)")
    parser.add_argument("--figure", help="the headline figure's key (default: extra.preview_figure in --config)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PNG to write (default: %(default)s)")
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM, help="Debian's Chromium (default: %(default)s)")
    parser.add_argument("--html-only", type=Path, metavar="FILE", help="write the card's HTML to FILE and stop")
    parser.add_argument("--check", action="store_true",
                        help="draw nothing; fail if the PNG at --out no longer shows what the data says")
    args = parser.parse_args(argv)

    try:
        if args.check:
            check_fresh(args.out, args.data, args.config, args.figure)
            return 0
        return _draw(args)
    except SiteError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1


def _draw(args) -> int:
    card = card_for(args.data, args.config, args.figure)
    if args.html_only:
        args.html_only.write_text(card_html(card), encoding="utf-8")
        print(f"wrote {args.html_only}")
        return 0
    render(card, args.out, args.chromium)
    print(f"wrote {args.out} ({WIDTH}x{HEIGHT}): {card.stamp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
