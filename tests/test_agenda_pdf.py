"""The printed batch agenda (Jadwal Acara) PDF."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.rendering.agenda_pdf import AgendaDay, AgendaDoc, AgendaRow, render_agenda_pdf

TITLE = "Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang"
SYAHRUL = "Drs. Syahrul, M.Si (BKKBN Perwakilan Sumatera Barat)"


def _row(
    start: str,
    end: str,
    title: str,
    kind: str = "material",
    speakers: tuple[str, ...] = (),
    room: str | None = "Ruang Bagindo",
    jpl: int = 0,
) -> AgendaRow:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return AgendaRow(time(h1, m1), time(h2, m2), title, kind, speakers, room, jpl)


def padang_doc(locale: str = "id") -> AgendaDoc:
    """Angkatan I of the 2018 Padang cadre training, two days."""
    day1 = AgendaDay(
        date(2018, 9, 12),
        (
            _row("07:30", "08:00", "Registrasi peserta", "opening", room="Lobi Ballroom"),
            _row(
                "08:00", "09:30", "Pembukaan", "opening",
                ("Wali Kota Padang", "Kepala DP3AP2KB Kota Padang"), "Ballroom", 0,
            ),
            _row("09:30", "09:45", "Rehat kopi", "break", room=None),
            _row(
                "09:45", "11:15", "Kebijakan Program Bangga Kencana", "material",
                (SYAHRUL,), jpl=2,
            ),
            _row(
                "11:15", "12:00",
                "Peran Pokja Kampung KB dalam Pengelolaan Kelompok Kegiatan BKB, BKR, BKL "
                "dan UPPKS di Tingkat Kelurahan",
                "material", ("Hj. Rahmawati, S.Sos (TP-PKK Kota Padang)",), jpl=1,
            ),
            _row("12:00", "13:00", "Ishoma", "break", room=None),
            _row(
                "13:00", "14:30", "Pencegahan Penyalahgunaan Narkoba di Lingkungan Keluarga",
                "material", ("AKBP Sitti Aminah, S.H. (BNN Kota Padang)",), jpl=2,
            ),
            _row(
                "14:30", "16:00", "Kesehatan Reproduksi Remaja dan Stunting", "material",
                (
                    "Dr. Hj. Nur Aisyah, M.Kes. (Dinas Kesehatan Kota Padang)",
                    "dr. Fitri Yanti (Puskesmas Andalas)",
                ),
                jpl=2,
            ),
        ),
    )
    day2 = AgendaDay(
        date(2018, 9, 13),
        (
            _row(
                "08:00", "09:30", "Pencatatan dan Pelaporan Kampung KB", "material",
                ("Yulia Sari, S.Kom (DP3AP2KB Kota Padang)",), jpl=2,
            ),
            _row(
                "09:30", "12:00", "Kunjungan lapangan ke Kampung KB Kelurahan Kuranji",
                "field_visit", ("Tim PKB Kecamatan Kuranji",), "Kel. Kuranji", 3,
            ),
            _row("12:00", "13:00", "Ishoma", "break", room=None),
            _row(
                "13:00", "14:30", "Pendidikan Keluarga dan Pengasuhan Anak", "material",
                ("Drs. H. Asrul Datuak Rajo Mudo, M.Pd. (Dinas Pendidikan Kota Padang)",),
                jpl=2,
            ),
            _row(
                "14:30", "15:30", "Rencana tindak lanjut dan penutupan", "closing",
                ("Kepala DP3AP2KB Kota Padang",), "Ballroom", 1,
            ),
        ),
    )
    return AgendaDoc(
        organization="DP3AP2KB Kota Padang",
        training_title=TITLE,
        batch_name="Angkatan I",
        start_date=date(2018, 9, 12),
        end_date=date(2018, 9, 13),
        venue="Hotel Pangeran Beach, Padang",
        timezone_label="WIB",
        days=(day1, day2),
        locale=locale,
    )


def _pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _total_jpl(text: str) -> int:
    m = re.search(r"Total JPL: (\d+)", text)
    assert m, text
    return int(m.group(1))


def test_padang_agenda_contains_the_essentials() -> None:
    text = "\n".join(_pages(render_agenda_pdf(padang_doc())))
    assert "JADWAL ACARA" in text
    assert TITLE in " ".join(text.split())  # the title may wrap onto two lines
    assert "Angkatan I" in text
    assert "12–13 September 2018" in text
    assert "Hotel Pangeran Beach, Padang" in text
    assert "Hari ke-1 — Rabu, 12 September 2018" in text
    assert "Hari ke-2 — Kamis, 13 September 2018" in text
    assert "Drs. Syahrul, M.Si" in text
    assert "08.00–09.30 WIB" in text
    assert "Jumlah JPL hari ini" in text
    # 2+1+2+2 on day 1, 2+3+2+1 on day 2; breaks and 0-JPL opening count nothing.
    assert _total_jpl(text) == 15
    assert "Halaman 1 dari 1" in text
    assert "DP3AP2KB Kota Padang" in text


def test_output_is_deterministic() -> None:
    assert render_agenda_pdf(padang_doc()) == render_agenda_pdf(padang_doc())


def test_markup_in_user_text_prints_literally() -> None:
    name = "Hj. Nur'aini Siti Ḥalimah Ñuñez"
    evil = "<script>alert(1)</script> & <b>x</b>"
    doc = dataclasses.replace(
        padang_doc(),
        organization="DP3AP2KB <Kota> & Padang",
        training_title=evil,
        venue="Aula <i>Kantor</i> & Co",
        days=(
            AgendaDay(
                date(2018, 9, 12),
                (_row("08:00", "09:00", evil, speakers=(name, "<br/>"), room="R & D", jpl=1),),
            ),
        ),
    )
    text = "\n".join(_pages(render_agenda_pdf(doc)))
    assert "<script>alert(1)</script>" in text
    assert "<b>x</b>" in text
    assert "Aula <i>Kantor</i> & Co" in text
    assert "Nur'aini" in text
    assert "Ḥalimah" in text
    assert "Ñuñez" in text
    assert "R & D" in text


def test_long_day_breaks_across_pages_and_repeats_table_header() -> None:
    rows = tuple(
        _row(
            f"{7 + i // 4:02d}:{(i % 4) * 15:02d}",
            f"{7 + (i + 1) // 4:02d}:{((i + 1) % 4) * 15:02d}",
            f"Materi nomor {i + 1}: praktik pengisian kartu kendali kelompok kegiatan",
            "break" if i % 10 == 9 else "material",
            (SYAHRUL,),
            jpl=1,
        )
        for i in range(40)
    )
    doc = dataclasses.replace(padang_doc(), days=(AgendaDay(date(2018, 9, 12), rows),))
    pages = _pages(render_agenda_pdf(doc))
    assert len(pages) > 1
    for label in ("Waktu", "Materi / Kegiatan", "Narasumber", "Ruang", "JPL"):
        assert label in pages[1]
    assert f"Halaman 2 dari {len(pages)}" in pages[1]
    assert _total_jpl(pages[-1]) == 36  # every tenth row is a break


def test_english_locale() -> None:
    text = "\n".join(_pages(render_agenda_pdf(padang_doc(locale="en"))))
    assert "AGENDA" in text
    assert "Day 1 — Wednesday, 12 September 2018" in text
    assert "08:00–09:30 WIB" in text
    assert "Page 1 of 1" in text
    assert _total_jpl(text) == 15


def test_date_ranges_across_months_and_years() -> None:
    doc = dataclasses.replace(
        padang_doc(), start_date=date(2018, 9, 30), end_date=date(2018, 10, 1)
    )
    assert "30 September – 1 Oktober 2018" in "\n".join(_pages(render_agenda_pdf(doc)))
    doc = dataclasses.replace(
        padang_doc(), start_date=date(2018, 12, 31), end_date=date(2019, 1, 2)
    )
    assert "31 Desember 2018 – 2 Januari 2019" in "\n".join(_pages(render_agenda_pdf(doc)))


def test_empty_day_and_no_days() -> None:
    doc = dataclasses.replace(
        padang_doc(), venue=None, days=(AgendaDay(date(2018, 9, 12), ()),)
    )
    text = "\n".join(_pages(render_agenda_pdf(doc)))
    assert "Belum ada sesi" in text
    assert _total_jpl(text) == 0

    pages = _pages(render_agenda_pdf(dataclasses.replace(padang_doc(), days=())))
    assert len(pages) == 1
    assert _total_jpl(pages[0]) == 0


def test_first_page_rasterises(tmp_path: Path) -> None:
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(render_agenda_pdf(padang_doc()))
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
        capture_output=True,
        timeout=30,
    )
    pngs = sorted(tmp_path.glob("p*.png"))
    assert pngs
    assert pngs[0].read_bytes().startswith(b"\x89PNG")
    assert pngs[0].stat().st_size > 5_000
