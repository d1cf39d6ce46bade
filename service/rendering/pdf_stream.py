"""A minimal PDF writer that streams: each object goes to the output as it is made.

reportlab's Canvas keeps every page of a document until `save()`, so 10,000
certificates would sit in memory; here a page is written and forgotten, and all that
grows is one byte offset and one page number per page (two ints). Objects may refer to
ones written later (fonts go last, once every glyph used is known), so numbers are
reserved up front.
"""

from __future__ import annotations

import zlib
from array import array
from typing import BinaryIO


def pdf_string(text: str) -> str:
    """A literal string `( ... )` for metadata; non-ASCII goes as UTF-16BE hex."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return "(" + "".join(ch if ch.isprintable() else " " for ch in escaped) + ")"
    return "<feff" + text.encode("utf-16-be").hex() + ">"


class PdfWriter:
    """Write objects in any order; `close()` adds the page tree, xref and trailer."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = 0
        # Offset per object number (-1 = reserved, not written yet); arrays of machine
        # ints, 8 bytes an object, rather than a dict of Python ints.
        self._offsets = array("q", [-1])
        self._pages_ref = self.reserve()
        self._kids = array("q")
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def pages_ref(self) -> int:
        return self._pages_ref

    @property
    def page_count(self) -> int:
        return len(self._kids)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)

    def reserve(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def add(self, body: str, number: int | None = None) -> int:
        """Write `N 0 obj body endobj`; returns N."""
        if number is None:
            number = self.reserve()
        self._offsets[number] = self._pos
        self._write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
        return number

    def add_stream(self, entries: str, data: bytes, number: int | None = None,
                   *, compressed: bool = False, compress: bool = False) -> int:
        """A stream object: `entries` go in its dictionary besides /Length (and /Filter
        when the data is already Flate-compressed or `compress` asks for it)."""
        if compress:
            data, compressed = zlib.compress(data, 6), True
        if number is None:
            number = self.reserve()
        flate = " /Filter /FlateDecode" if compressed else ""
        self._offsets[number] = self._pos
        self._write(f"{number} 0 obj\n<< /Length {len(data)}{flate} {entries} >>\nstream\n"
                    .encode("latin-1"))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")
        return number

    def add_page(self, width: float, height: float, resources: str, content: bytes) -> int:
        """A page: its content stream (compressed here) and the page object."""
        stream = self.add_stream("", content, compress=True)
        page = self.add(f"<< /Type /Page /Parent {self._pages_ref} 0 R "
                        f"/MediaBox [0 0 {width:.2f} {height:.2f}] /Resources {resources} "
                        f"/Contents {stream} 0 R >>")
        self._kids.append(page)
        return page

    def close(self, title: str = "") -> None:
        """Page tree, catalog, info, xref and trailer; the file is complete after this."""
        kids = " ".join(f"{k} 0 R" for k in self._kids)
        self.add(f"<< /Type /Pages /Kids [{kids}] /Count {len(self._kids)} >>",
                 self._pages_ref)
        catalog = self.add(f"<< /Type /Catalog /Pages {self._pages_ref} 0 R >>")
        info = self.add(f"<< /Producer (Bimtek) /Title {pdf_string(title)} >>")
        start = self._pos
        size = len(self._offsets)
        self._write(f"xref\n0 {size}\n0000000000 65535 f \n".encode("ascii"))
        # Written in slices, so even the table of a huge file never sits whole in memory.
        for first in range(1, size, 4096):
            # A reserved number never written stays a free entry: still a valid table.
            self._write("".join(
                f"{offset:010d} 00000 n \n" if offset >= 0 else "0000000000 65535 f \n"
                for offset in self._offsets[first:first + 4096]).encode("ascii"))
        self._write(f"trailer\n<< /Size {size} /Root {catalog} 0 R /Info {info} 0 R >>\n"
                    f"startxref\n{start}\n%%EOF\n".encode("ascii"))
