"""Building participant-list files for import tests and benchmarks.

`padang_rows` makes realistic, valid and mutually distinct participants (Kota Padang
cadres: NIKs starting 1371, Indonesian mobile numbers, titled names with apostrophes),
keyed by the template's Indonesian headers (`PADANG_HEADERS`).
"""

import csv
import io
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook

PADANG_HEADERS = ["Nama", "NIK", "Jenis Kelamin", "No HP", "Email", "Kategori", "Instansi",
                  "Jabatan", "Kelurahan/Desa", "Kecamatan", "Kabupaten/Kota", "Kampung KB"]
PADANG_CATEGORIES = ["Kader BKB", "Kader BKR", "Kader BKL", "Anggota UPPKS", "PKB/PLKB",
                     "TP-PKK Kelurahan", "Pokja Kampung KB"]

# Kecamatan of Kota Padang by their Kemendagri code (the NIK's digits 5-6), with some
# of their kelurahan.
PADANG_KECAMATAN: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("Bungus Teluk Kabung", ("Bungus Barat", "Bungus Selatan", "Teluk Kabung Selatan")),
    2: ("Lubuk Kilangan", ("Bandar Buat", "Indarung", "Padang Besi")),
    3: ("Lubuk Begalung", ("Banuaran Nan XX", "Gates Nan XX", "Pampangan Nan XX")),
    4: ("Padang Selatan", ("Alang Laweh", "Mata Air", "Rawang", "Seberang Padang")),
    5: ("Padang Timur", ("Andalas", "Jati", "Sawahan", "Simpang Haru")),
    6: ("Padang Barat", ("Belakang Tangsi", "Olo", "Purus", "Rimbo Kaluang")),
    7: ("Padang Utara", ("Air Tawar Barat", "Air Tawar Timur", "Alai Parak Kopi",
                         "Gunung Pangilun", "Ulak Karang Selatan")),
    8: ("Nanggalo", ("Surau Gadang", "Kampung Olo", "Tabing Banda Gadang")),
    9: ("Koto Tangah", ("Dadok Tunggul Hitam", "Lubuk Buaya", "Parupuk Tabing")),
    10: ("Kuranji", ("Anduring", "Kalumbuk", "Pasar Ambacang")),
    11: ("Pauh", ("Cupak Tangah", "Kapalo Koto", "Limau Manis")),
}
_WOMEN = ["Nur'aini", "Nur Aisyah", "Yusnimar", "Rosmaniar", "Desi Ratnasari", "Fitri Yanti",
          "Rahmawati", "Syamsiar", "Ernawati", "Ma'rifah", "Yulia Fitri", "Rini Marlina",
          "Sri Wahyuni", "Zuraida", "Nelly Hartati", "Siti Khadijah"]
_MEN = ["Syafi'i", "Ma'ruf Amin", "Afrizal", "Yulizar", "Zulkifli", "Hendri Saputra",
        "Rusdi Anwar", "Mu'adz", "Irwan Prayitno", "Taufik Hidayat", "Budi Santoso"]
_FAMILY = ["", "", "Chaniago", "Piliang", "Koto", "Sikumbang", "Tanjung", "Jambak",
           "Caniago", "Melayu", "Sinaga"]
_TITLES_BEFORE = {"P": ["", "", "", "Hj.", "Dra.", "Ns."], "L": ["", "", "", "H.", "Drs.", "Ir."]}
_TITLES_AFTER = ["", "", "", "S.Pd.", "S.KM", "S.Sos.", "A.Md.Keb.", "S.ST", "M.Si.", "SE"]
# Telkomsel, Indosat, XL, Tri and Smartfren prefixes (after the leading 0).
_MOBILE_PREFIXES = ["811", "812", "813", "821", "822", "852", "853", "814", "815", "816",
                    "855", "856", "857", "858", "817", "818", "819", "859", "877", "878",
                    "895", "896", "897", "898", "899", "881", "882", "883", "888"]


def make_xlsx(rows: Sequence[Mapping[str, object]], headers: Sequence[str], *,
              sheet_title: str = "Peserta") -> bytes:
    """One sheet: the headers on row 1, then one row per dict (missing keys stay blank).

    Strings are written as text even when they start with "=", so a test can put a
    formula-looking name in a cell; other values (an int NIK, a date) keep their type.
    A normal (not write-only) workbook, because like Excel it records the sheet's
    dimension up front, which spares the reader a second pass over the sheet.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    lines: list[list[object]] = [list(headers), *([row.get(h) for h in headers] for row in rows)]
    for number, values in enumerate(lines, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_csv(rows: Sequence[Mapping[str, object]], headers: Sequence[str], *,
             delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """A CSV as Excel writes it (CRLF); "utf-8-sig" gives a BOM, "cp1252" old Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in headers])
    return buffer.getvalue().encode(encoding)


def padang_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    """n valid participants with distinct NIKs and distinct phone numbers."""
    rng = random.Random(seed)
    niks: set[str] = set()
    phones: set[str] = set()
    return [_padang_row(rng, niks, phones) for _ in range(n)]


def _padang_row(rng: random.Random, niks: set[str], phones: set[str]) -> dict[str, str]:
    gender = rng.choice("LP")
    code = rng.randint(1, 11)
    kecamatan, kelurahan_list = PADANG_KECAMATAN[code]
    kelurahan = rng.choice(kelurahan_list)
    category = rng.choice(PADANG_CATEGORIES)
    name = _name(rng, gender)
    return {
        "Nama": name,
        "NIK": _unique(niks, lambda: _nik(rng, code, gender)),
        "Jenis Kelamin": gender,
        "No HP": _format_phone(rng, _unique(phones, lambda: _phone_digits(rng))),
        "Email": _email(rng, name) if rng.random() < 0.4 else "",
        "Kategori": category,
        "Instansi": f"TP-PKK Kelurahan {kelurahan}" if category.startswith("TP-PKK")
        else "DP3AP2KB Kota Padang" if category == "PKB/PLKB" else f"Kelurahan {kelurahan}",
        "Jabatan": category if category.startswith("Kader") else "Anggota",
        "Kelurahan/Desa": kelurahan,
        "Kecamatan": kecamatan,
        "Kabupaten/Kota": "Kota Padang",
        "Kampung KB": f"Kampung KB {kelurahan}",
    }


def _unique(seen: set[str], make: Callable[[], str]) -> str:
    while True:
        value = make()
        if value not in seen:
            seen.add(value)
            return value


def _nik(rng: random.Random, district_code: int, gender: str) -> str:
    born = date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
    day = born.day + (40 if gender == "P" else 0)
    return (f"1371{district_code:02d}{day:02d}{born.month:02d}{born.year % 100:02d}"
            f"{rng.randint(1, 9999):04d}")


def _phone_digits(rng: random.Random) -> str:
    return "0" + rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def _format_phone(rng: random.Random, digits: str) -> str:
    """The same number as committees type it: spaced, dashed, +62 or 62."""
    national = digits[1:]
    style = rng.randrange(5)
    if style == 0:
        return f"{digits[:4]} {digits[4:8]} {digits[8:]}"
    if style == 1:
        return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"
    if style == 2:
        return f"+62 {national[:3]}-{national[3:7]}-{national[7:]}"
    if style == 3:
        return f"62{national}"
    return digits


def _name(rng: random.Random, gender: str) -> str:
    given = rng.choice(_WOMEN if gender == "P" else _MEN)
    parts = [rng.choice(_TITLES_BEFORE[gender]), given, rng.choice(_FAMILY)]
    name = " ".join(p for p in parts if p)
    after = rng.choice(_TITLES_AFTER)
    return f"{name}, {after}" if after else name


def _email(rng: random.Random, name: str) -> str:
    letters = "".join(ch for ch in name.split(",")[0].casefold() if ch.isalpha())
    return f"{letters}{rng.randint(1, 999)}@example.com"



# --- a provincial office's sheet -----------------------------------------------------------
# As the Palembang 2022 workshop's committee received it: a title block of 4 rows (event,
# office, place and date, an empty row), office headers, a row numbering the columns,
# names with front and back titles, NIPs, pangkat/golongan, and phones in four shapes (the
# last one from a numeric cell, which lost its 0).

PROVINCIAL_TITLE = ["WORKSHOP PENGUATAN KAMPUNG KB PROVINSI SUMATERA SELATAN",
                    "DP3AP2KB PROVINSI SUMATERA SELATAN",
                    "Palembang, 24 - 26 Agustus 2022"]
PROVINCIAL_HEADERS = ["No", "Nama", "NIP", "Pangkat/Golongan", "Jabatan", "Instansi/OPD",
                      "Asal Kab/Kota", "Unsur", "No. HP/WA"]
PROVINCIAL_ROWS: list[dict[str, object]] = [
    {"Nama": "Dr. dr. Hj. Siti Aminah, M.Kes.", "NIP": "197903122005012004",
     "Pangkat/Golongan": "Pembina (IV/a)", "Jabatan": "Kepala Bidang Kesehatan Masyarakat",
     "Instansi/OPD": "Dinas Kesehatan Kabupaten Ogan Ilir",
     "Asal Kab/Kota": "Kabupaten Ogan Ilir", "Unsur": "Dinas Kesehatan",
     "No. HP/WA": "0812-7345-6610"},
    {"Nama": "Ir. H. Ahmad Syukri, M.Si.", "NIP": "196805151994031003",
     "Pangkat/Golongan": "Pembina Tk. I (IV/b)",
     "Jabatan": "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
     "Instansi/OPD": "Bappeda Kota Palembang", "Asal Kab/Kota": "Kota Palembang",
     "Unsur": "Bappeda", "No. HP/WA": "+62 813 6712 3344"},
    {"Nama": "Kgs. M. Rizal, S.Sos.", "NIP": "198011202006041005",
     "Pangkat/Golongan": "Penata (III/c)", "Jabatan": "Kepala Seksi Kelembagaan Desa",
     "Instansi/OPD": "Dinas PMD Kabupaten Musi Banyuasin",
     "Asal Kab/Kota": "Kabupaten Musi Banyuasin", "Unsur": "Dinas PMD",
     "No. HP/WA": "6285267781234"},
    {"Nama": "Nyimas Ratna Dewi, S.KM", "NIP": "198704092010012015",
     "Pangkat/Golongan": "Penata Muda Tk. I (III/b)", "Jabatan": "Penyuluh KB Ahli Muda",
     "Instansi/OPD": "Dinas PPKB Kabupaten Ogan Komering Ilir",
     "Asal Kab/Kota": "Kabupaten Ogan Komering Ilir", "Unsur": "Dinas PPAKB",
     "No. HP/WA": 81373390011},
]
# What each row must become: phone in +62 form, category as the file spells it.
PROVINCIAL_PHONES = ["+6281273456610", "+6281367123344", "+6285267781234", "+6281373390011"]


def provincial_lines(rows: Sequence[Mapping[str, object]] = PROVINCIAL_ROWS,
                     headers: Sequence[str] = PROVINCIAL_HEADERS,
                     title: Sequence[str] = PROVINCIAL_TITLE, numbering: bool = True
                     ) -> list[list[object]]:
    """The sheet's rows as cell values: the title block, an empty row, the header, the
    column numbers, then one row per participant with its running number."""
    width = len(headers)
    lines: list[list[object]] = [[t, *[None] * (width - 1)] for t in title]
    lines.append([None] * width)
    lines.append(list(headers))
    if numbering:
        lines.append(list(range(1, width + 1)))
    for number, row in enumerate(rows, start=1):
        lines.append([number if h == "No" else row.get(h) for h in headers])
    return lines


def provincial_xlsx(rows: Sequence[Mapping[str, object]] = PROVINCIAL_ROWS,
                    headers: Sequence[str] = PROVINCIAL_HEADERS, **options: Any) -> bytes:
    """The sheet as Excel saves it: merged title cells, text cells, numbers as numbers."""
    lines = provincial_lines(rows, headers, **options)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Peserta"
    for number, values in enumerate(lines, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    for number in range(1, len(options.get("title", PROVINCIAL_TITLE)) + 1):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number,
                          end_column=len(headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def provincial_csv(rows: Sequence[Mapping[str, object]] = PROVINCIAL_ROWS,
                   headers: Sequence[str] = PROVINCIAL_HEADERS, **options: Any) -> bytes:
    """The sheet as Indonesian Excel saves it as CSV: semicolons, Windows-1252, every row
    as wide as the widest (the title's empty cells too)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for values in provincial_lines(rows, headers, **options):
        writer.writerow(["" if v is None else str(v) for v in values])
    return buffer.getvalue().encode("cp1252")
