"""QR codes as a module matrix, a 1-bit PNG, an inline SVG, or one path in a reportlab PDF.

Pure and fast: certificates and ticket cards draw one QR each, hundreds per second, so
the matrix comes from the `qrcode` package with its mask choice sped up (see
`_FastQRCode`), and PDFs get one filled path per QR rather than a shape per module.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import mask_func
from reportlab.lib.colors import black, white
from reportlab.pdfgen.canvas import Canvas

Matrix = list[list[bool]]

# --- the matrix --------------------------------------------------------------------------

# Mask pattern k of each size as one int per row (bit n-1-c is column c). At most 40
# sizes x 8 masks x n ints, so a plain dict that only grows that far, not a cache of texts.
_MASK_ROWS: dict[int, list[list[int]]] = {}

_RUNS = re.compile(r"00000+|11111+")
# Finder-like 1:1:3:1:1 pattern with four light modules on one side. Neither overlaps
# itself and both cannot start at one position, so str.count finds every occurrence.
_FINDER_LIKE = ("10111010000", "00001011101")


def _mask_rows(n: int) -> list[list[int]]:
    rows = _MASK_ROWS.get(n)
    if rows is None:
        rows = []
        for k in range(8):
            dark = mask_func(k)
            rows.append([_bits_to_int([dark(r, c) for c in range(n)]) for r in range(n)])
        _MASK_ROWS[n] = rows
    return rows


_BINARY_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits_to_int(bits: list[bool]) -> int:
    return int(bytes(bits).translate(_BINARY_DIGITS), 2)


def _penalty(rows: list[int], n: int) -> int:
    """ISO 18004 mask penalty, computing exactly what `qrcode.util.lost_point` does."""
    lines = [format(r, f"0{n}b") for r in rows]
    lines += ["".join(col) for col in zip(*lines, strict=True)]
    # One string for all rows and columns; the separator stops runs and patterns.
    text = "|".join(lines)
    runs = _RUNS.findall(text)
    points = sum(map(len, runs)) - 2 * len(runs)  # N1 = 3 + (length - 5) per run
    points += 40 * sum(text.count(pattern) for pattern in _FINDER_LIKE)
    full = (1 << n) - 1
    for a, b in zip(rows, rows[1:], strict=False):
        same_v = ~(a ^ b) & full  # bit equal to the one below
        same_h = ~(a ^ (a >> 1)) & (full >> 1)  # bit equal to its right neighbour
        points += 3 * (same_v & (same_v >> 1) & same_h).bit_count()
    dark = sum(r.bit_count() for r in rows)
    points += int(abs(float(dark) / (n * n) * 100 - 50) / 5) * 10
    return points


class _FastQRCode(qrcode.QRCode):
    """qrcode's encoder with a faster mask choice that picks the very same mask.

    qrcode places the data 8 times (once per mask) and scores each module by module in
    Python. Here the data is placed once; the other masks follow by XOR on row ints, since
    a mask only flips data modules, and the score uses regexes, str.count and bit counts.
    A whole encode takes about a third of the stock time (~3 ms for a ticket code).
    """

    _data_cells: list[int]

    def map_data(self, data: Any, mask_pattern: int) -> None:
        # Modules still None when data is placed are the data modules (for any mask).
        self._data_cells = [_bits_to_int([m is None for m in row]) for row in self.modules]
        super().map_data(data, mask_pattern)

    def best_mask_pattern(self) -> int:
        # Test mode, like qrcode: format information counts as light while scoring.
        self.makeImpl(True, 0)
        n = self.modules_count
        base = [_bits_to_int(row) for row in self.modules]
        masks = _mask_rows(n)
        best, best_points = 0, -1
        for k in range(8):
            rows = [
                b ^ (d & (m0 ^ mk))
                for b, d, m0, mk in zip(base, self._data_cells, masks[0], masks[k], strict=True)
            ]
            points = _penalty(rows, n)
            if best_points < 0 or points < best_points:
                best, best_points = k, points
        return best


def qr_matrix(text: str) -> Matrix:
    """The QR's modules (True = dark), without quiet zone; error correction M, the
    smallest version that fits (qrcode's DataOverflowError past version 40)."""
    qr = _FastQRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return [[bool(m) for m in row] for row in qr.modules]


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules."""
    runs = []
    start = -1
    for c, dark in enumerate(row):
        if dark and start < 0:
            start = c
        elif not dark and start >= 0:
            runs.append((start, c - start))
            start = -1
    if start >= 0:
        runs.append((start, len(row) - start))
    return runs


# --- PNG ---------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def qr_png(text: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """A 1-bit greyscale PNG of the QR, `box_size` pixels per module, `border` modules of
    quiet zone. Written by hand (zlib + struct) so serving it needs no imaging library."""
    if box_size < 1 or border < 0:
        raise ValueError("box_size must be >= 1 and border >= 0")
    matrix = qr_matrix(text)
    side = (len(matrix) + 2 * border) * box_size
    pad_bits = -side % 8
    quiet = "1" * (border * box_size)
    blank = b"\x00" + int("1" * (side + pad_bits), 2).to_bytes((side + pad_bits) // 8, "big")
    raw = [blank] * (border * box_size)
    for row in matrix:
        # 1 is white in a greyscale PNG; each module becomes box_size pixels.
        pixels = quiet + "".join(("0" if m else "1") * box_size for m in row) + quiet
        line = b"\x00" + int(pixels + "1" * pad_bits, 2).to_bytes((side + pad_bits) // 8, "big")
        raw += [line] * box_size
    raw += [blank] * (border * box_size)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"".join(raw), 9)) + _png_chunk(b"IEND", b""))


# --- SVG ---------------------------------------------------------------------------------


def qr_svg(text: str, *, border: int = 4) -> str:
    """An inline SVG with one path; sized by CSS, since the viewBox counts modules.

    The white background is a style on the root rather than a second element, so the
    quiet zone survives a dark page.
    """
    matrix = qr_matrix(text)
    side = len(matrix) + 2 * border
    parts = []
    for r, row in enumerate(matrix):
        for c, length in _dark_runs(row):
            parts.append(f"M{c + border} {r + border}h{length}v1h-{length}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'shape-rendering="crispEdges" role="img" aria-label="QR" '
        f'style="background:#fff"><path fill="#000" d="{"".join(parts)}"/></svg>'
    )


# --- PDF ---------------------------------------------------------------------------------


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float,
            *, quiet_zone: int = 0) -> None:
    """Draw the QR as one filled path in the square (x, y, size), (x, y) bottom left.

    With `quiet_zone` > 0 that many light modules are painted white inside the square
    (for backgrounds that are not plain paper); otherwise the caller leaves at least
    four modules of white space around it.
    """
    matrix = qr_matrix(text)
    modules = len(matrix) + 2 * quiet_zone
    canvas.saveState()
    # Work in module units with y pointing down, so every coordinate is a small integer.
    canvas.translate(x, y + size)
    canvas.scale(size / modules, -size / modules)
    if quiet_zone:
        canvas.setFillColor(white)
        canvas.rect(0, 0, modules, modules, stroke=0, fill=1)
    canvas.setFillColor(black)
    # Written as PDF operators: reportlab's path.rect() formats every number as a float,
    # which costs more than the whole QR encoding at ~400 runs per QR. One path of
    # rectangles ("re") closed by one nonzero fill ("f"): rows merge without seams.
    ops = [
        f"{c + quiet_zone} {r + quiet_zone} {length} 1 re"
        for r, row in enumerate(matrix)
        for c, length in _dark_runs(row)
    ]
    ops.append("f")
    canvas.addLiteral("\n".join(ops))
    canvas.restoreState()
