"""Where everything sits on a certificate, and the PDF operators that draw it.

Split in two so a run of 10,000 pages draws the expensive part once:

- `build_static` draws what every certificate of a training shares (frame, logo, title,
  wording, training, signatories, place and date) into one Form XObject, and decides
  where the per-person lines go;
- `person_content` draws one person's lines (number, name, category and batch, dates and
  JPL, the QR as one path, the verification URL) and places the form under them.

Layout of the built-in design (landscape; portrait stacks the same, taller)::

    +==========================================================+
    ||                        [logo]                          ||
    ||                     ORGANIZER NAME                     ||
    ||                      S E R T I F I K A T               ||
    ||                   Nomor: 001/SERT/...                  ||
    ||                    diberikan kepada                    ||
    ||              Participant Name, one line                ||
    ||                    sebagai peserta                     ||
    ||                  Training title, bold                  ||
    ||              Kategori Kader IMP - Angkatan I           ||  (may be left out)
    ||        pada tanggal 12 - 14 September 2018 (30 JPL)    ||
    ||  [QR]                              Padang, 14 Sep 2018 ||  (over any signatory)
    ||  scan to       Position            Position            ||
    ||  verify        (signature)         (signature)         ||
    ||  url           NAME                NAME                ||
    ||                NIP. ...            NIP. ...            ||
    +==========================================================+

Labels printed on the certificate ("Nomor", "Kategori", "NIP.") are Indonesian, the
language certificates are issued in; the committee writes the rest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from service.rendering.fonts import TrueTypeFont, clean_text
from service.rendering.pdf_images import PdfImage

LABEL_NUMBER = "Nomor: "
LABEL_CATEGORY = "Kategori "
LABEL_DATES = "pada tanggal "
LABEL_NIP = "NIP. "
LABEL_SCAN = "Pindai untuk memeriksa keaslian"

A4_W, A4_H = 595.28, 841.89

# Calm colours: a deep navy frame with muted gold lines, near-black text.
NAVY = (0.12, 0.23, 0.37)
GOLD = (0.66, 0.53, 0.24)
INK = (0.10, 0.10, 0.12)
MUTED = (0.35, 0.35, 0.38)

REGULAR, BOLD = "F1", "F2"  # resource names of the two faces
# Width kept left of the signatories for the QR, its caption and the URL under it.
_QR_COLUMN = 112.0


def num(v: float) -> str:
    """A PDF number: two decimals at most, no trailing zeros (smaller, same look)."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rgb(colour: tuple[float, float, float], stroke: bool = False) -> str:
    return f"{num(colour[0])} {num(colour[1])} {num(colour[2])} {'RG' if stroke else 'rg'}"


@dataclass
class Fonts:
    regular: TrueTypeFont
    bold: TrueTypeFont

    def by_key(self, key: str) -> TrueTypeFont:
        return self.bold if key == BOLD else self.regular


@dataclass
class Canvas:
    """PDF content-stream operators plus the glyphs they show, per face."""

    fonts: Fonts
    ops: list[str] = field(default_factory=list)
    used: dict[str, set[int]] = field(default_factory=lambda: {REGULAR: set(), BOLD: set()})

    def text(self, key: str, size: float, x: float, y: float, text: str, *,
             align: str = "center", colour: tuple[float, float, float] = INK,
             spacing: float = 0.0, hscale: float = 100.0) -> float:
        """One line at baseline y; x is its centre, left or right end. Returns its width."""
        font = self.fonts.by_key(key)
        if not text:
            return 0.0
        width = font.width(text, size) * hscale / 100 + spacing * (len(text) - 1)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        self.used[key] |= font.glyphs_of(text)
        state = ""
        if spacing:
            state += f" {num(spacing)} Tc"
        if hscale != 100:
            state += f" {num(hscale)} Tz"
        body = (f"BT /{key} {num(size)} Tf{state} {num(x)} {num(y)} Td "
                f"<{font.encode(text)}> Tj ET")
        # Tc and Tz outlive ET: q/Q keeps them from leaking into the next line.
        self.ops.append(f"q {_rgb(colour)} {body} Q" if state else f"{_rgb(colour)} {body}")
        return width

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float,
             colour: tuple[float, float, float]) -> None:
        self.ops.append(f"{_rgb(colour, True)} {num(width)} w {num(x0)} {num(y0)} m "
                        f"{num(x1)} {num(y1)} l S")

    def rect(self, x: float, y: float, w: float, h: float, *, stroke: float = 0.0,
             colour: tuple[float, float, float] = NAVY, fill: bool = False) -> None:
        paint = "f" if fill else "S"
        colour_op = _rgb(colour) if fill else f"{_rgb(colour, True)} {num(stroke)} w"
        self.ops.append(f"{colour_op} {num(x)} {num(y)} {num(w)} {num(h)} re {paint}")

    def image(self, name: str, x: float, y: float, w: float, h: float,
              gstate: str = "") -> None:
        gs = f"/{gstate} gs " if gstate else ""
        self.ops.append(f"q {gs}{num(w)} 0 0 {num(h)} {num(x)} {num(y)} cm /{name} Do Q")

    def content(self) -> bytes:
        return "\n".join(self.ops).encode("latin-1")


def wrap(font: TrueTypeFont, text: str, size: float, width: float,
         max_lines: int) -> list[str]:
    """Word wrap into at most max_lines, balanced: as many lines as a greedy wrap needs,
    but each as short as that count allows, so no single word is left on the last
    line. The last line takes any rest and is condensed by the caller if too wide
    (never cut: it is someone's title)."""
    lines = _greedy(font, text, size, width, max_lines)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(12):
        mid = (low + high) / 2
        if len(_greedy(font, text, size, mid, max_lines + 1)) > len(lines):
            low = mid
        else:
            high = mid
    return _greedy(font, text, size, high, max_lines)


def _greedy(font: TrueTypeFont, text: str, size: float, width: float,
            max_lines: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and font.width(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines


def fit_line(font: TrueTypeFont, text: str, max_size: float, width: float,
             min_size: float, min_scale: float = 70.0) -> tuple[float, float]:
    """(size, horizontal scale %) that fit `text` on one line of `width`.

    Shrink first, down to min_size; then condense the letters down to min_scale per
    cent (reads better than tiny type); past both, shrink again: any length fits.
    """
    unit = font.width(text, 1.0)
    if unit <= 0 or unit * max_size <= width:
        return max_size, 100.0
    size = width / unit
    if size >= min_size:
        return size, 100.0
    scale = width / (unit * min_size) * 100
    if scale >= min_scale:
        return min_size, scale
    return width / (unit * min_scale / 100), min_scale


@dataclass
class Geometry:
    width: float
    height: float
    landscape: bool
    inset: float = 18.0  # paper edge to the outer frame line
    qr_size: float = 62.0  # 22 mm: 1.9 mm a module for a version-4 URL QR

    @property
    def inner(self) -> float:
        """Paper edge to where content may start."""
        return self.inset + 34

    @property
    def text_width(self) -> float:
        return self.width - 2 * (self.inner + 14)


@dataclass
class StaticPart:
    """The shared Form XObject and the slots for each person's lines."""

    geometry: Geometry
    content: bytes
    used: dict[str, set[int]]
    images: dict[str, PdfImage]
    number_y: float
    name_y: float
    name_size: float
    name_width: float
    detail_ys: tuple[float | None, float]  # None: the category and batch line is left out
    detail_size: float
    qr_x: float
    qr_y: float
    url_y: float
    url_width: float
    # Set when the wording differs per person (a pass rule): where its one line goes.
    wording_y: float | None = None
    wording_size: float = 13.0


@dataclass(frozen=True)
class SignatoryBlock:
    name: str
    position: str
    nip: str
    image: str | None  # resource name of its signature image
    aspect: float  # image width / height


@dataclass(frozen=True)
class StaticText:
    organizer: str
    title: str
    given_to: str
    wording: str
    training_title: str
    place_and_date: str
    signatories: tuple[SignatoryBlock, ...]
    logo: str | None
    logo_aspect: float
    background: str | None
    background_aspect: float
    show_qr: bool
    show_category_batch: bool = True
    # The signatory (0-based) the place and date stand above; -1 or past the last: the last.
    place_date_over: int = -1
    # The wording is each person's (pass rule: "dinyatakan LULUS" or not): a slot, not text.
    wording_per_person: bool = False


def _frame(c: Canvas, g: Geometry) -> None:
    """Double frame with a guilloche band and corner diamonds, drawn once per run."""
    w, h, i = g.width, g.height, g.inset
    c.rect(i, i, w - 2 * i, h - 2 * i, stroke=2.6, colour=NAVY)
    band_out, band_in = i + 5, i + 17
    c.rect(band_out, band_out, w - 2 * band_out, h - 2 * band_out, stroke=0.6, colour=GOLD)
    c.rect(band_in, band_in, w - 2 * band_in, h - 2 * band_in, stroke=0.6, colour=GOLD)
    mid = (band_out + band_in) / 2
    amp = (band_in - band_out) / 2 - 1.5
    # Two sine waves in antiphase along each side of the band: the engraved look of
    # official paper, as a few dozen Bezier curves in the shared form.
    sides = [((mid, mid), (w - mid, mid)), ((w - mid, mid), (w - mid, h - mid)),
             ((w - mid, h - mid), (mid, h - mid)), ((mid, h - mid), (mid, mid))]
    for phase in (1.0, -1.0):
        path = []
        for (x0, y0), (x1, y1) in sides:
            length = math.hypot(x1 - x0, y1 - y0)
            waves = max(int(length / 14), 1)
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            nx, ny = -uy, ux
            step = length / waves
            path.append(f"{num(x0)} {num(y0)} m")
            for k in range(waves):
                sign = phase if k % 2 == 0 else -phase
                a = k * step
                # One half-period hump as a cubic: control points at 1/3 and 2/3 with
                # 4/3 of the amplitude.
                pts = [(a + step / 3, amp * 4 / 3 * sign), (a + 2 * step / 3,
                                                            amp * 4 / 3 * sign), (a + step, 0)]
                path.append(" ".join(f"{num(x0 + ux * t + nx * o)} {num(y0 + uy * t + ny * o)}"
                                     for t, o in pts) + " c")
            path.append("S")
        c.ops.append(f"{_rgb(GOLD, True)} 0.45 w " + " ".join(path))
    inner = band_in + 4
    c.rect(inner, inner, w - 2 * inner, h - 2 * inner, stroke=1.1, colour=NAVY)
    for cx, cy in ((inner, inner), (w - inner, inner), (inner, h - inner),
                   (w - inner, h - inner)):
        _diamond(c, cx, cy, 7.5, NAVY)
        _diamond(c, cx, cy, 3.5, GOLD)


def _diamond(c: Canvas, cx: float, cy: float, r: float,
             colour: tuple[float, float, float]) -> None:
    c.ops.append(f"{_rgb(colour)} {num(cx)} {num(cy + r)} m {num(cx + r)} {num(cy)} l "
                 f"{num(cx)} {num(cy - r)} l {num(cx - r)} {num(cy)} l h f")


def _rule(c: Canvas, cx: float, y: float, half: float) -> None:
    """A gold rule with a diamond in its middle, under the title."""
    c.line(cx - half, y, cx - 6, y, 0.8, GOLD)
    c.line(cx + 6, y, cx + half, y, 0.8, GOLD)
    _diamond(c, cx, y, 3.2, GOLD)


_POS_SIZE, _NAME_SIZE, _NIP_SIZE = 10.0, 10.5, 9.0
_SIGN_H = 50.0  # room for the signature (image or wet ink)


def _signatory_row(c: Canvas, blocks: tuple[SignatoryBlock, ...], centres: list[float],
                   col_w: float, bottom: float, place_and_date: str, over: int = -1) -> float:
    """One row of signatory columns with their NIP lines at `bottom`; positions wrap
    the same number of lines in each column so signatures and names line up. Returns
    the top of the row (place and date included, over column `over`: -1 the last)."""
    fonts = c.fonts
    lead = _POS_SIZE * 1.25
    positions = [wrap(fonts.regular, s.position, _POS_SIZE, col_w - 14, 4) for s in blocks]
    pos_lines = max((len(p) for p in positions), default=1)
    name_y = bottom + _NIP_SIZE + 4
    sign_y = name_y + _NAME_SIZE + 2
    pos_bottom = sign_y + _SIGN_H + 4
    top = pos_bottom + lead * (pos_lines - 1) + _POS_SIZE
    if place_and_date:
        top += lead + 2
        size, scale = fit_line(fonts.regular, place_and_date, _POS_SIZE, col_w - 6, 7.0)
        c.text(REGULAR, size, centres[over], top - _POS_SIZE, place_and_date, hscale=scale)
    for centre, s, lines in zip(centres, blocks, positions, strict=True):
        y = pos_bottom + lead * (pos_lines - 1)
        for line in lines:
            size, scale = fit_line(fonts.regular, line, _POS_SIZE, col_w - 8, 7.0)
            c.text(REGULAR, size, centre, y, line, hscale=scale)
            y -= lead
        if s.image:
            box_w, box_h = col_w - 30, _SIGN_H
            w_, h_ = (box_h * s.aspect, box_h) if s.aspect < box_w / box_h else (
                box_w, box_w / s.aspect)
            # Multiply: the white paper of a scanned signature vanishes on a background.
            c.image(s.image, centre - w_ / 2, sign_y + (box_h - h_) / 2, w_, h_, "Mul")
        size, scale = fit_line(fonts.bold, s.name, _NAME_SIZE, col_w - 8, 7.0)
        width = c.text(BOLD, size, centre, name_y, s.name, hscale=scale)
        c.line(centre - width / 2, name_y - 2, centre + width / 2, name_y - 2, 0.6, INK)
        if s.nip:
            nip = LABEL_NIP + s.nip
            size, scale = fit_line(fonts.regular, nip, _NIP_SIZE, col_w - 8, 6.5)
            c.text(REGULAR, size, centre, bottom, nip, hscale=scale)
    return top


def _signatories(c: Canvas, g: Geometry, st: StaticText, left: float,
                 bottom: float) -> float:
    """Signatory columns right of the QR; returns the top of the block.

    One signs at the right, as Indonesian letters do; two or three share the row. On a
    portrait page three columns would be too narrow, so the third signs centred below
    the other two (the usual "Mengetahui" place).
    """
    right = g.width - g.inner
    blocks = st.signatories
    n = len(blocks)
    # Which column the place and date stand above: the committee's choice, else the last.
    over = st.place_date_over if 0 <= st.place_date_over < n else n - 1
    if n == 3 and not g.landscape:
        third_w = 230.0
        top = _signatory_row(c, blocks[2:], [g.width / 2], third_w, bottom,
                             st.place_and_date if over == 2 else "")
        col_w = (right - g.inner) / 2
        return _signatory_row(c, blocks[:2], [g.inner + col_w / 2, right - col_w / 2],
                              col_w, top + 14, st.place_and_date if over < 2 else "", over)
    area = right - left
    if n <= 1:
        col_w = min(area, 250.0 if g.landscape else 230.0)
        centres = [right - col_w / 2]
    else:
        col_w = area / n
        centres = [left + col_w * (k + 0.5) for k in range(n)]
    return _signatory_row(c, blocks, centres, col_w, bottom, st.place_and_date, over)


def build_static(fonts: Fonts, g: Geometry, st: StaticText,
                 images: dict[str, PdfImage]) -> StaticPart:
    c = Canvas(fonts)
    w, h = g.width, g.height
    cx = w / 2
    if st.background:
        # Cover the page, cropping the overflow (clip), never stretching the picture.
        page_aspect = w / h
        if st.background_aspect > page_aspect:
            bh, bw = h, h * st.background_aspect
        else:
            bw, bh = w, w / st.background_aspect
        c.ops.append(f"q 0 0 {num(w)} {num(h)} re W n")
        c.image(st.background, (w - bw) / 2, (h - bh) / 2, bw, bh)
        c.ops.append("Q")
    else:
        _frame(c, g)
    text_w = g.text_width
    scale = 1.0 if g.landscape else 0.92

    # --- bottom: QR and signatories (their height decides the room left above) ---
    qr_x, qr_y = g.inner, g.inner + 17
    url_y = g.inner
    if st.show_qr:
        quiet = 7.0
        c.rect(qr_x - quiet, url_y - quiet, _QR_COLUMN + 2 * quiet,
               qr_y + g.qr_size - url_y + 2 * quiet, colour=(1, 1, 1), fill=True)
        c.text(REGULAR, 6.0, qr_x, url_y + 8, LABEL_SCAN, align="left", colour=MUTED)
        sig_left = qr_x + _QR_COLUMN + 14
    else:
        sig_left = g.inner
    block_top = _signatories(c, g, st, sig_left, g.inner) if st.signatories else (
        g.inner + (g.qr_size + 16 if st.show_qr else 0))
    if not st.signatories and st.place_and_date:
        block_top += 22
        c.text(REGULAR, 10.0, w - g.inner - 110, block_top - 10, st.place_and_date)

    # --- the middle: rows top to bottom, spread over the room between ---
    top = h - g.inner - 4
    rows: list[tuple[float, float, Callable[[float], object] | None, str]] = []
    # (height, gap above, draw(baseline) or None for a person slot, slot name)

    def add(height: float, gap: float, draw: Callable[[float], object] | None,
            slot: str = "") -> None:
        rows.append((height, gap, draw, slot))

    def line_at(key: str, size: float, line: str, colour: tuple[float, float, float],
                hscale: float, spacing: float = 0.0) -> Callable[[float], object]:
        return lambda y: c.text(key, size, cx, y, line, colour=colour, spacing=spacing,
                                hscale=hscale)

    if st.logo:
        logo_h = 50.0 * scale
        logo_w = logo_h * st.logo_aspect
        logo = st.logo
        add(logo_h, 0, lambda y: c.image(logo, cx - logo_w / 2, y, logo_w, logo_h))
    if st.organizer:
        org_lines = wrap(fonts.bold, st.organizer.upper(), 12.5 * scale, text_w, 2)
        for k, line in enumerate(org_lines):
            size, hs = fit_line(fonts.bold, line, 12.5 * scale, text_w, 8)
            add(12.5 * scale, 8 if k == 0 else 3, line_at(BOLD, size, line, NAVY, hs, 0.6))
    title_size = 40.0 * scale
    t_size, t_scale = fit_line(fonts.bold, st.title, title_size, text_w - 60, 18)
    spacing = 7.0 * scale if t_size == title_size and len(st.title) <= 16 else 0.0
    add(t_size * 0.75, 14,
        lambda y: c.text(BOLD, t_size, cx, y, st.title, colour=NAVY, spacing=spacing,
                         hscale=t_scale))
    add(4, 8, lambda y: _rule(c, cx, y + 2, 90))
    add(11 * scale, 8, None, "number")
    if st.given_to:
        given = st.given_to
        add(13 * scale, 14, lambda y: c.text(REGULAR, 13 * scale, cx, y, given))
    name_size = 30.0 * scale
    add(name_size * 0.75, 14, None, "name")
    add(2, 8, lambda y: c.line(cx - text_w * 0.32, y + 1, cx + text_w * 0.32, y + 1, 0.7,
                               GOLD))
    wording_size = 13.0 * scale
    if st.wording_per_person:
        add(wording_size * 0.75, 12, None, "wording")
    for k, line in enumerate(wrap(fonts.regular, st.wording, wording_size, text_w, 2)
                             if not st.wording_per_person else []):
        size, hs = fit_line(fonts.regular, line, wording_size, text_w, 9)
        add(wording_size * 0.75, 12 if k == 0 else 5, line_at(REGULAR, size, line, INK, hs))
    train_size = 17.0 * scale
    for k, line in enumerate(wrap(fonts.bold, st.training_title, train_size, text_w, 2)):
        size, hs = fit_line(fonts.bold, line, train_size, text_w, 10)
        add(train_size * 0.75, 8 if k == 0 else 5, line_at(BOLD, size, line, NAVY, hs))
    detail_size = 12.0 * scale
    if st.show_category_batch:
        add(detail_size * 0.75, 10, None, "detail1")
    add(detail_size * 0.75, 10 if not st.show_category_batch else 6, None, "detail2")

    bottom = block_top + 16
    natural = sum(r[0] + r[1] for r in rows)
    extra = max(top - bottom - natural, 0.0)
    gaps = sum(r[1] for r in rows[1:]) or 1.0
    # Spread the spare room over the gaps, at most doubling them; what is left centres
    # the whole column between the top frame and the signatures.
    stretch = min(extra / gaps, 1.0 if g.landscape else 2.2)
    y = top - (extra - stretch * gaps) / 2
    slots: dict[str, float] = {}
    for k, (height, gap, draw, slot) in enumerate(rows):
        y -= (gap * (1 + stretch) if k else 0) + height
        if draw is not None:
            draw(y)
        else:
            slots[slot] = y
    return StaticPart(
        geometry=g, content=c.content(), used=c.used, images=images,
        number_y=slots["number"], name_y=slots["name"], name_size=name_size,
        name_width=text_w, detail_ys=(slots.get("detail1"), slots["detail2"]),
        detail_size=detail_size, qr_x=qr_x, qr_y=qr_y, url_y=url_y,
        url_width=_QR_COLUMN if st.signatories else 260,
        wording_y=slots.get("wording"), wording_size=wording_size,
    )


# --- per person ---------------------------------------------------------------------------

_DARK_RUN = re.compile(rb"\x00+")


def qr_ops(n: int, modules: bytes, x: float, y: float, size: float) -> str:
    """The QR as one filled path: a rectangle per horizontal run of dark modules, in
    module units (y down), closed by a single fill."""
    runs: list[str] = []
    for r in range(n):
        row = modules[r * n:(r + 1) * n]
        runs.extend(f"{m.start()} {r} {m.end() - m.start()} 1 re"
                    for m in _DARK_RUN.finditer(row))
    unit = size / n
    return (f"q {num(unit)} 0 0 {num(-unit)} {num(x)} {num(y + size)} cm 0 g\n"
            + "\n".join(runs) + "\nf Q")


def person_content(c: Canvas, s: StaticPart, name: str, number: str, detail1: str,
                   detail2: str, url: str, qr: tuple[int, bytes] | None,
                   wording: str = "") -> None:
    """Draw one person's lines onto `c` (whose ops already place the shared form)."""
    fonts = c.fonts
    g = s.geometry
    cx = g.width / 2
    if wording and s.wording_y is not None:
        size, scale = fit_line(fonts.regular, wording, s.wording_size, s.name_width, 9)
        c.text(REGULAR, size, cx, s.wording_y, wording, colour=INK, hscale=scale)
    if number:
        c.text(REGULAR, s.detail_size * 0.95, cx, s.number_y, LABEL_NUMBER + number,
               colour=INK)
    size, scale = fit_line(fonts.bold, name, s.name_size, s.name_width, 16)
    c.text(BOLD, size, cx, s.name_y, name, colour=INK, hscale=scale)
    for y, line in zip(s.detail_ys, (detail1, detail2), strict=True):
        if line and y is not None:
            size, scale = fit_line(fonts.regular, line, s.detail_size, s.name_width, 8)
            c.text(REGULAR, size, cx, y, line, hscale=scale)
    if qr is not None:
        c.ops.append(qr_ops(qr[0], qr[1], s.qr_x, s.qr_y, g.qr_size))
        if url:
            size, scale = fit_line(fonts.regular, url, 6.0, s.url_width, 5.0, 65)
            c.text(REGULAR, size, s.qr_x, s.url_y, url, align="left", colour=MUTED,
                   hscale=scale)


def details(category: str, batch: str, dates: str, jpl: str) -> tuple[str, str]:
    """The two per-person lines under the training title, skipping empty parts."""
    first = " \u2014 ".join(p for p in (
        LABEL_CATEGORY + category if category else "", batch) if p)
    second = LABEL_DATES + dates if dates else ""
    if jpl:
        second = f"{second} ({jpl})" if second else jpl
    return clean_text(first), clean_text(second)
