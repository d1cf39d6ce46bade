"""Embedded TrueType fonts for hand-written PDFs: measuring, encoding, fast subsetting.

The certificate writer (`pdf_stream`) shows text as glyph ids (Identity-H), so every
character the font has prints, whatever its script: "Ṭāhir", "Nguyễn", "Sukmawatī".
DejaVu Serif ships inside the package (`fonts/`, with its licence), so a clean
`pip install` prints the same as a developer machine.

Subsetting keeps glyph ids: the embedded file is the original with the glyph outlines
of unused glyphs left out (empty `loca` entries) and their metrics zeroed. That costs a
few byte-slice joins, not a font rebuild, and the result is cached per glyph set, so
10,000 separate PDFs share one compressed font stream.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile

FONT_DIR = Path(__file__).with_name("fonts")
SERIF = FONT_DIR / "DejaVuSerif.ttf"
SERIF_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"

# Tables a PDF viewer needs from an embedded CIDFontType2 (ISO 32000-1, 9.9). The glyphs
# go without hinting instructions, so the hinting tables (cvt, fpgm, prep) go too.
_KEEP_TABLES = (b"head", b"hhea", b"loca", b"glyf", b"hmtx", b"maxp")
_SUBSET_CACHE_SIZE = 32
# Composite glyph flags (TrueType 'glyf'): which fields follow each component.
_ARG_WORDS, _HAVE_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80
_HAVE_INSTRUCTIONS = 0x100


def clean_text(text: str | None) -> str:
    """One printable line: NFC (so "e" + combining circumflex is one glyph where the font
    has it), control characters and newlines folded into single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


@dataclass
class _Subset:
    glyphs: frozenset[int]
    tag: str
    font_file: bytes  # FlateDecode'd TrueType
    length1: int
    widths: str  # the /W array body
    to_unicode: bytes  # FlateDecode'd CMap


class TrueTypeFont:
    """One face: glyph lookup, advance widths (per 1 pt of size) and PDF subsets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Per character: its glyph ids as hex, and its advance at 1 pt (filled lazily).
        self._hex: dict[str, str] = {}
        self._width: dict[str, float] = {}
        data = path.read_bytes()
        self._data = data
        tables: dict[bytes, tuple[int, int]] = {}
        count = struct.unpack_from(">H", data, 4)[0]
        for i in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            tables[tag] = (offset, length)
        self._tables = tables
        head = self._table(b"head")
        self.units_per_em = struct.unpack_from(">H", head, 18)[0]
        self.bbox = struct.unpack_from(">hhhh", head, 36)
        long_loca = struct.unpack_from(">h", head, 50)[0] == 1
        self.num_glyphs = struct.unpack_from(">H", self._table(b"maxp"), 4)[0]
        n = self.num_glyphs + 1
        loca = self._table(b"loca")
        offsets = (struct.unpack_from(f">{n}I", loca) if long_loca
                   else tuple(2 * o for o in struct.unpack_from(f">{n}H", loca)))
        glyf = self._table(b"glyf")
        self._glyphs = [glyf[offsets[g]:offsets[g + 1]] for g in range(self.num_glyphs)]
        hhea = self._table(b"hhea")
        n_metrics = struct.unpack_from(">H", hhea, 34)[0]
        hmtx = self._table(b"hmtx")
        advances = list(struct.unpack_from(f">{2 * n_metrics}H", hmtx)[0::2])
        advances += [advances[-1]] * (self.num_glyphs - n_metrics)
        self._advance = advances
        self._lsb = list(struct.unpack_from(f">{2 * n_metrics}h", hmtx)[1::2])
        self._lsb += list(struct.unpack_from(f">{self.num_glyphs - n_metrics}h", hmtx,
                                             4 * n_metrics))
        # reportlab parses cmap and the descriptor values (ascent, cap height, flags).
        info = TTFontFile(str(self.path), validate=0)
        self.name = info.name.decode() if isinstance(info.name, bytes) else str(info.name)
        self._char_gid = dict(info.charToGlyph)
        self.ascent, self.descent = info.ascent, info.descent
        self.cap_height, self.italic_angle = info.capHeight, info.italicAngle
        self.stem_v = info.stemV
        self._subsets: OrderedDict[frozenset[int], _Subset] = OrderedDict()
        self._plain: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def _table(self, tag: bytes) -> bytes:
        offset, length = self._tables[tag]
        return self._data[offset:offset + length]

    # --- characters --------------------------------------------------------------------

    def gid(self, ch: str) -> int:
        """The glyph for a character; 0 (.notdef) only if the font lacks it."""
        return self._char_gid.get(ord(ch), 0)

    def has_glyphs(self, text: str) -> bool:
        return all(ord(ch) in self._char_gid for ch in clean_text(text))

    def _char(self, ch: str) -> tuple[str, float]:
        gid = self._char_gid.get(ord(ch))
        if gid is None:
            # A character the font lacks: its decomposition (base letter + combining
            # marks, which DejaVu has) beats a box; failing that, a question mark.
            parts = unicodedata.normalize("NFD", ch)
            gids = [self._char_gid[ord(p)] for p in parts if ord(p) in self._char_gid]
            if not gids or len(gids) != len(parts):
                gids = [self._char_gid.get(ord("?"), 0)]
        else:
            gids = [gid]
        hex_text = "".join(f"{g:04x}" for g in gids)
        width = sum(self._advance[g] for g in gids) / self.units_per_em
        self._hex[ch], self._width[ch] = hex_text, width
        return hex_text, width

    def encode(self, text: str) -> str:
        """Hex glyph ids for a PDF string `<...>` (Identity-H: two bytes per glyph)."""
        hexes = self._hex
        try:
            return "".join([hexes[ch] for ch in text])
        except KeyError:
            return "".join([hexes[ch] if ch in hexes else self._char(ch)[0] for ch in text])

    def width(self, text: str, size: float = 1.0) -> float:
        """Advance width in points of `text` at `size` (no kerning, as drawn)."""
        widths = self._width
        try:
            return sum([widths[ch] for ch in text]) * size
        except KeyError:
            return sum([widths[ch] if ch in widths else self._char(ch)[1]
                        for ch in text]) * size

    def glyphs_of(self, text: str) -> set[int]:
        """The glyph ids that `encode(text)` shows."""
        self.encode(text)
        hexes = self._hex
        return {int(h[i:i + 4], 16) for h in {hexes[ch] for ch in text}
                for i in range(0, len(h), 4)}

    # --- subsets -----------------------------------------------------------------------

    def _with_components(self, glyphs: Iterable[int]) -> set[int]:
        """Add the glyphs that composite glyphs (accented letters) are built from."""
        todo, done = [g for g in glyphs if 0 <= g < self.num_glyphs], {0}
        while todo:
            g = todo.pop()
            if g in done:
                continue
            done.add(g)
            data = self._glyphs[g]
            if len(data) < 10 or struct.unpack_from(">h", data, 0)[0] >= 0:
                continue
            todo += (struct.unpack_from(">H", data, at + 2)[0]
                     for at, _flags, _end in _components(data))
        return done

    def subset(self, glyphs: Iterable[int]) -> _Subset:
        """The embedded font for these glyphs (cached: a few glyph sets cover a run)."""
        wanted = frozenset(self._with_components(glyphs))
        # Downloads render in worker threads: the LRU's reorder and evict must not
        # interleave.
        with self._lock:
            cached = self._subsets.get(wanted)
            if cached is not None:
                self._subsets.move_to_end(wanted)
                return cached
        made = self._make_subset(wanted)
        with self._lock:
            self._subsets[wanted] = made
            if len(self._subsets) > _SUBSET_CACHE_SIZE:
                self._subsets.popitem(last=False)
        return made

    def _unhinted(self, g: int) -> bytes:
        """Glyph g without its TrueType instructions (hinting): they are half of
        DejaVu's outline bytes, and PDF viewers scale glyphs well without them."""
        done = self._plain.get(g)
        if done is not None:
            return done
        data = self._glyphs[g]
        if len(data) >= 10:
            contours = struct.unpack_from(">h", data, 0)[0]
            if contours >= 0:
                at = 10 + 2 * contours
                length = struct.unpack_from(">H", data, at)[0]
                data = data[:at] + b"\0\0" + data[at + 2 + length:]
            else:
                data = _strip_composite(data)
        self._plain[g] = data
        return data

    def _make_subset(self, glyphs: frozenset[int]) -> _Subset:
        # Glyph ids stay as they are, so the font ends at the highest one used: loca and
        # hmtx shrink with it (text in Latin uses low ids).
        n = max(glyphs) + 1
        parts, offsets, pos = [], [], 0
        advances, lsbs = [0] * n, [0] * n
        for g in range(n):
            offsets.append(pos)
            if g in glyphs:
                data = self._unhinted(g)
                data += b"\0" * (-len(data) % 4)
                parts.append(data)
                pos += len(data)
                advances[g], lsbs[g] = self._advance[g], self._lsb[g]
        offsets.append(pos)
        hmtx = struct.pack(f">{2 * n}h", *[v for pair in zip(advances, lsbs, strict=True)
                                           for v in pair])
        # Every advance is written out, so hhea must say so.
        hhea = bytearray(self._table(b"hhea"))
        struct.pack_into(">H", hhea, 34, n)
        maxp = bytearray(self._table(b"maxp"))
        struct.pack_into(">H", maxp, 4, n)
        head = bytearray(self._table(b"head"))
        struct.pack_into(">I", head, 8, 0)  # checksumAdjustment: set below
        struct.pack_into(">h", head, 50, 1)  # long loca
        tables = {
            b"head": bytes(head), b"hhea": bytes(hhea), b"hmtx": hmtx, b"maxp": bytes(maxp),
            b"loca": struct.pack(f">{n + 1}I", *offsets), b"glyf": b"".join(parts),
        }
        for table in _KEEP_TABLES:
            if table not in tables and table in self._tables:
                tables[table] = self._table(table)
        font_file = _sfnt(tables)
        glyph_list = sorted(glyphs)
        tag = "".join(chr(65 + b % 26)
                      for b in hashlib.blake2s(repr(glyph_list).encode(), digest_size=6).digest())
        return _Subset(glyphs=glyphs, tag=tag, font_file=zlib.compress(font_file, 6),
                       length1=len(font_file), widths=self._widths(glyph_list),
                       to_unicode=zlib.compress(self._to_unicode(glyphs), 6))

    def _widths(self, glyphs: list[int]) -> str:
        scale = 1000 / self.units_per_em
        return " ".join(f"{g} [{round(self._advance[g] * scale)}]" for g in glyphs if g)

    def _to_unicode(self, glyphs: frozenset[int]) -> bytes:
        # First character per glyph, so text extraction gives back what was typed.
        seen: dict[int, int] = {}
        for code, gid in sorted(self._char_gid.items()):
            if gid in glyphs and gid not in seen and code <= 0xFFFF:
                seen[gid] = code
        lines = [f"<{g:04x}> <{c:04x}>" for g, c in sorted(seen.items())]
        chunks = [lines[i:i + 100] for i in range(0, len(lines), 100)]
        body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n"
                       for c in chunks)
        return (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        ).encode("ascii")


def _components(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(offset, flags, end) of each component record of a composite glyph ('glyf')."""
    pos = 10
    while True:
        flags = struct.unpack_from(">H", data, pos)[0]
        start = pos
        pos += 4 + (4 if flags & _ARG_WORDS else 2)
        if flags & _HAVE_SCALE:
            pos += 2
        elif flags & _XY_SCALE:
            pos += 4
        elif flags & _TWO_BY_TWO:
            pos += 8
        yield start, flags, pos
        if not flags & _MORE:
            return


def _strip_composite(data: bytes) -> bytes:
    """A composite glyph without the instructions that may follow its last component."""
    last_flags_at, flags, pos = list(_components(data))[-1]
    if not flags & _HAVE_INSTRUCTIONS:
        return data[:pos]
    out = bytearray(data[:pos])
    struct.pack_into(">H", out, last_flags_at, flags & ~_HAVE_INSTRUCTIONS)
    return bytes(out)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType file from its tables (sorted directory, 4-byte aligned, checksums)."""
    tags = sorted(tables)
    count = len(tags)
    entry_selector = count.bit_length() - 1
    search_range = 16 * (1 << entry_selector)
    header = struct.pack(">IHHHH", 0x00010000, count, search_range, entry_selector,
                         16 * count - search_range)
    offset = 12 + 16 * count
    directory, bodies = [], []
    for tag in tags:
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag, _checksum(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        bodies.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(bodies))
    head_at = 12 + 16 * count + sum(len(b) for b in bodies[:tags.index(b"head")])
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


_FONTS: dict[Path, TrueTypeFont] = {}


def load(path: Path) -> TrueTypeFont:
    """A parsed face, once per process (parsing takes ~50 ms)."""
    font = _FONTS.get(path)
    if font is None:
        font = _FONTS[path] = TrueTypeFont(path)
    return font
