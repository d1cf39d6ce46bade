"""What a letter (surat dinas) is made of, as the DOCX and PDF renderers read it: the kop
surat, the heading (number, sifat, lampiran, hal and the addressee; or a title such as
"SURAT TUGAS" over its number), a body of blocks, and the signature. Plain values only:
every text is already written out (dates in Indonesian), so both renderers print the
same letter."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kop:
    """The letterhead: the logo at the left, the lines centred (the first ones larger),
    then the double rule."""

    lines: list[str]
    logo_png: bytes | None = None


@dataclass(frozen=True)
class Signature:
    place_date: str  # "Padang, 5 September 2018"
    position: str  # "Kepala Dinas"
    name: str  # printed bold and underlined
    nip: str = ""


@dataclass(frozen=True)
class Text:
    """A paragraph of the body, justified, its first line indented unless `plain`;
    `center`: a centred line ("MENUGASKAN:")."""

    text: str
    plain: bool = False
    center: bool = False


@dataclass(frozen=True)
class Details:
    """Label : value lines, indented (hari/tanggal, tempat, jumlah peserta...)."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Grid:
    """A bordered table with a bold header row; `widths` in cm; columns listed in
    `centered` are centred (No, JPL)."""

    head: list[str]
    rows: list[list[str]]
    widths: list[float]
    centered: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class Link:
    """A link printed as its QR code beside the address and a caption."""

    url: str
    caption: str


Block = Text | Details | Grid | Link


@dataclass(frozen=True)
class LetterDoc:
    kop: Kop
    number: str
    signature: Signature
    body: list[Block]
    document_title: str  # the DOCX's title property
    # A letter (surat): the date at the top right, its number, sifat, lampiran and hal, and
    # the addressee ("Yth. Kepala ...", "di", "Palembang").
    date_line: str = ""
    nature: str = "Biasa"
    attachment: str = "-"
    subject: str = ""
    addressee: list[str] = field(default_factory=list)
    # An assignment (surat tugas): this title, centred and underlined, with the number
    # under it instead of the letter's heading; the place and date sign.
    title: str = ""
    copies: list[str] = field(default_factory=list)  # tembusan
    # A lampiran on a page of its own after the signature (an invitation's agenda), under
    # the heading "Lampiran Surat" with the letter's number and date, and this title.
    appendix_title: str = ""
    appendix: list[Block] = field(default_factory=list)
