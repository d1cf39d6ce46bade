"""Which column of an uploaded list holds which participant field.

Headers are matched by their letters and digits only, case-insensitively, so "No. HP",
"No HP", "no_hp" and "NO-HP" are one header. Anything unrecognised is left for the
committee to map (or ignore) on the import page; `apply_mapping` takes their choices.
"""

import hashlib
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from service.i18n import N_, gettext
from service.imports.errors import ColumnProblem

# The fields an import can fill, in the order the mapping page offers them.
FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "nik": N_("NIK"),
    "gender": N_("Gender"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "category": N_("Category"),
    "institution": N_("Institution"),
    "position": N_("Position"),
    "nip": N_("NIP"),
    "rank": N_("Rank/grade (pangkat/golongan)"),
    "village": N_("Village (kelurahan/desa)"),
    "district": N_("District (kecamatan)"),
    "regency": N_("Regency/city (kabupaten/kota)"),
    "province": N_("Province"),
    "kampung_kb": N_("Kampung KB"),
}

# A column that is known and deliberately not imported (the row counter "No.").
IGNORED = ""

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("nama", "namalengkap", "namapeserta", "namalengkapdangelar", "namadangelar",
             "namalengkapbesertagelar", "namagelar", "name", "fullname", "participantname"),
    "nik": ("nik", "noktp", "nomorktp", "ktp", "niknoktp", "nomorindukkependudukan"),
    "gender": ("jeniskelamin", "jk", "lp", "kelamin", "gender", "sex"),
    "phone": ("nohp", "hp", "nomorhp", "nohpwa", "nowa", "nomorwa", "wa", "whatsapp",
              "nowhatsapp", "telepon", "telp", "notelp", "notelepon", "nomortelepon",
              "handphone", "nohandphone", "phone", "phonenumber", "mobile",
              "nomorhpwa", "hpwa", "nohpwhatsapp", "notelphp", "notelpwa", "telphp",
              "kontak", "nokontak", "phonewhatsapp", "phonewa", "whatsappnumber",
              "mobilephone", "mobilenumber"),
    "email": ("email", "alamatemail", "surel"),
    "category": ("kategori", "kategoripeserta", "kelompok", "category"),
    "institution": ("instansi", "asalinstansi", "instansiasal", "lembaga", "unitkerja",
                    "instansiopd", "opd", "asalopd", "instansiunitkerja", "satuankerja",
                    "satker", "asalinstansiopd", "perangkatdaerah", "institution",
                    "institutionagency", "agency", "office", "organisation",
                    "organization"),
    "position": ("jabatan", "jabatanpeserta", "position", "jobtitle"),
    "nip": ("nip", "nomorindukpegawai", "nipnrp"),
    "rank": ("pangkatgolongan", "pangkatgol", "pangkat", "golongan", "gol",
             "pangkatgolonganruang", "pangkatgolruang", "golonganruang", "golruang",
             "rankgrade", "rank", "grade"),
    "village": ("kelurahan", "desa", "kelurahandesa", "desakelurahan", "keldesa",
                "village"),
    "district": ("kecamatan", "kec", "district"),
    "regency": ("kabupatenkota", "kabkota", "kabupaten", "kota", "kab", "asalkabkota",
                "asalkabupatenkota", "asalkabupaten", "asalkota", "kabkot", "asalkabkot",
                "regency", "city", "regencycity", "cityregency"),
    "province": ("provinsi", "prov", "province"),
    "kampung_kb": ("kampungkb", "namakampungkb"),
    IGNORED: ("no", "nomor", "nourut", "number", "nomorurut"),
}
# Headers that name a field only when no other column does: in a provincial office's
# sheet "Unsur" is the participant group (Bappeda, Dinas Kesehatan, ...), but beside a
# "Kategori" column it is something else, for the committee to decide.
_SECONDARY: dict[str, str] = {"unsur": "category", "unsurpeserta": "category",
                              "asalunsur": "category"}
_LOOKUP: dict[str, str] = {alias: field for field, aliases in _ALIASES.items()
                           for alias in aliases}
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ColumnMapping:
    headers: tuple[str, ...]
    # Per column index: the field it fills, or None when it is not imported.
    fields: tuple[str | None, ...]
    # Headers nobody has decided about yet: not recognised and not ignored on purpose.
    unrecognised: tuple[str, ...]

    def column_of(self, field: str) -> int | None:
        """The index of the column that fills `field`, if any."""
        for index, mapped in enumerate(self.fields):
            if mapped == field:
                return index
        return None

    def header_of(self, field: str) -> str:
        """The header text, as written in the file, of the column that fills `field`."""
        index = self.column_of(field)
        return "" if index is None else self.headers[index]

    def check(self) -> None:
        """Refuse a mapping an import cannot use: no name column, or a field twice."""
        seen: dict[str, str] = {}
        for header, field in zip(self.headers, self.fields, strict=True):
            if field is None:
                continue
            if field in seen:
                raise ColumnProblem(
                    N_('The columns "{first}" and "{second}" both hold the field "{field}". '
                       'Ignore one of them or rename it.'),
                    code="duplicate_column", first=seen[field], second=header,
                    field=gettext(FIELDS[field]))
            seen[field] = header
        if "name" not in seen:
            raise ColumnProblem(
                N_('No column holds the participants\' names: name that column "Nama". '
                   'Columns found: {headers}.'),
                code="missing_name_column",
                headers=", ".join(f'"{h}"' for h in self.headers if h) or "-")


def normalise_header(header: str) -> str:
    """Letters and digits only, casefolded: "No. HP" -> "nohp", "Kab/Kota" -> "kabkota"."""
    return _NOT_ALNUM.sub("", header.casefold())


def field_for_header(header: str) -> str | None:
    """The field a header names; IGNORED for a known non-field; None when unknown."""
    key = normalise_header(header)
    if not key:
        # A blank header has nothing to match and nothing to show on the mapping page.
        return IGNORED
    found = _LOOKUP.get(key)
    return found if found is not None else _SECONDARY.get(key)


def match_headers(headers: Sequence[str]) -> ColumnMapping:
    """Recognise each header; never refuses (the mapping page may still fix things)."""
    found = [field_for_header(h) for h in headers]
    primary = {_LOOKUP.get(normalise_header(h)) for h in headers}
    for index, header in enumerate(headers):
        secondary = _SECONDARY.get(normalise_header(header))
        if secondary is not None and secondary in primary:
            found[index] = None  # "Unsur" beside "Kategori": the committee decides
    return ColumnMapping(
        headers=tuple(headers),
        fields=tuple(f or None for f in found),
        unrecognised=tuple(h for h, f in zip(headers, found, strict=True) if f is None),
    )


def signature(headers: Sequence[str]) -> str:
    """What makes two uploads one sheet layout: their normalised headers, in order.

    Hashed, so an organization's remembered layouts are found by one short key; "No. HP"
    and "NO HP" are one layout, a column moved or added is another."""
    text = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha256(text.encode()).hexdigest()


def header_rank(cells: Sequence[str], overrides: Mapping[str, str] | None = None,
                known: AbstractSet[str] = frozenset()) -> tuple[int, int, int]:
    """How much a row looks like the header row: (a layout this organization mapped
    before, it has a name column, how many cells name a field or the row counter).

    Title rows ("DAFTAR PESERTA WORKSHOP ...", the office, a date) name nothing; the
    header row names several fields, the name among them; data rows name none."""
    chosen = overrides or {}
    has_name, matches = 0, 0
    for cell in cells:
        if not normalise_header(cell):
            continue
        field = chosen.get(cell) if cell in chosen else field_for_header(cell)
        if field is not None:
            matches += 1
            has_name |= field == "name"
    is_known = int(bool(known) and signature(cells) in known)
    return is_known, has_name, matches


def apply_mapping(auto: ColumnMapping, overrides: Mapping[str, str]) -> ColumnMapping:
    """Apply the committee's choices (header -> field, or "" to ignore) and check the result.

    Overrides are keyed by header text, as the page shows them; raises ColumnProblem for a
    header not in the file, an unknown field, two columns with one field, or no name column.
    """
    for header, field in overrides.items():
        if header not in auto.headers:
            raise ColumnProblem(N_('The file has no column "{header}".'),
                                code="unknown_column", header=header)
        if field != IGNORED and field not in FIELDS:
            raise ColumnProblem(N_('"{field}" is not a participant field.'),
                                code="unknown_field", field=field)
    fields: list[str | None] = []
    unrecognised: list[str] = []
    for header, current in zip(auto.headers, auto.fields, strict=True):
        if header in overrides:
            fields.append(overrides[header] or None)
            continue
        fields.append(current)
        if header in auto.unrecognised:
            unrecognised.append(header)
    mapping = ColumnMapping(headers=auto.headers, fields=tuple(fields),
                            unrecognised=tuple(unrecognised))
    mapping.check()
    return mapping


def header_mapping(headers: Sequence[str], overrides: Mapping[str, str]) -> ColumnMapping:
    """The one check of a file's header row: recognise the columns, apply the committee's
    choices, and refuse (ColumnProblem) a header an import cannot use."""
    return apply_mapping(match_headers(headers), overrides)
