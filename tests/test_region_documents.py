"""A provincial event's documents and breakdowns by kabupaten/kota: the roster's columns
(empty ones left out of the printed PDF), the daftar hadir as one list or one section per
kabupaten/kota, live attendance and the assignment by region, and names sorted without
their front titles in every list and document (rosters, daftar hadir, ticket cards,
certificates)."""

import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from service.models import Batch, Registration, Training
from service.rendering.attendance_sheet_pdf import (
    AttendanceSheet,
    Heading,
    SignRow,
    render_attendance_sheet_pdf,
)
from service.rendering.roster_pdf import render_roster_pdf
from service.rendering.roster_sheets import roster_csv
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.services import assignment, attendance, rosters, ticket_delivery
from service.services.certificates import documents as certificate_documents
from tests import factories
from tests.helpers import login_page_client

# Names as a provincial office writes them, and the order people look them up in.
TITLED = ("Siti Aminah, S.K.M.", "dr. Rina Marlina, M.Kes.", "Drs. H. Ahmad Yani, M.Si.",
          "Kgs. Muhammad Yusuf", "Nyimas Zahra", "Putri Ayu")
SORTED = ["Drs. H. Ahmad Yani, M.Si.", "Kgs. Muhammad Yusuf", "Putri Ayu",
          "dr. Rina Marlina, M.Kes.", "Siti Aminah, S.K.M.", "Nyimas Zahra"]
REGENCY = ("Kota Palembang", "Kabupaten Ogan Ilir", "Kabupaten Lahat")


def _nip(n: int) -> str:
    return f"19{70 + n}0312200501{1 + n % 2}{n + 1:03d}"


@pytest.fixture
def province(db: Session, org: Any) -> tuple[Training, Batch]:
    t = factories.training(db, org, title="Workshop Penguatan Kampung KB", days=3,
                           categories=(), kind="workshop", region_level="regency")
    b = factories.batch(db, t, days=3, capacity=30)
    for n, name in enumerate(TITLED):
        factories.register(db, t, b, name=name, nip=_nip(n), regency=REGENCY[n % 3],
                           position="Kepala Bidang KB", rank="Pembina (IV/a)",
                           institution=f"Dinas PPKB {REGENCY[n % 3]}")
    return t, b


@pytest.fixture
def cadres(db: Session, org: Any) -> tuple[Training, Batch]:
    t = factories.training(db, org, days=2, categories=())
    b = factories.batch(db, t, days=2)
    for n, name in enumerate(TITLED):
        factories.register(db, t, b, name=name, village="Air Pacah",
                           district=("Koto Tangah", "Kuranji")[n % 2])
    return t, b


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def _flat(pdf: bytes) -> str:
    return " ".join(" ".join(_pages(pdf)).split())


def _in_order(text: str, names: list[str]) -> bool:
    at = [text.index(n.split(",")[0]) for n in names]
    return at == sorted(at)


# --- rosters ----------------------------------------------------------------------------

def test_roster_rows_sort_without_front_titles(db: Session, province: Any) -> None:
    t, b = province
    assert [r.name for r in rosters.roster(db, t, b).rows] == SORTED


def test_roster_csv_carries_masked_nip_position_rank_and_regency(db: Session,
                                                                 province: Any) -> None:
    t, b = province
    rows = roster_csv(rosters.sheet(rosters.roster(db, t, b), "committee")).decode("utf-8-sig")
    header, first = rows.splitlines()[:2]
    assert "NIP,No. HP,Jabatan,Pangkat/Golongan" in header and "Kabupaten/Kota" in header
    assert "Drs. H. Ahmad Yani" in first and "Kepala Bidang KB" in first
    assert "Pembina (IV/a)" in first and "Kabupaten Lahat" in first
    assert f"••••••••••••••{_nip(2)[-4:]}" in first and _nip(2) not in rows


def test_full_export_shows_the_whole_nip(db: Session, province: Any) -> None:
    t, b = province
    sheet = rosters.sheet(rosters.roster(db, t, b), "committee", full_nik=True)
    assert _nip(2) in roster_csv(sheet).decode("utf-8-sig")


def test_printed_roster_leaves_out_kelurahan_and_kecamatan_of_a_provincial_event(
        db: Session, province: Any) -> None:
    t, b = province
    labels = [c.label for c in rosters.sheet(rosters.roster(db, t, b), "committee",
                                             printed=True).columns]
    assert "Kelurahan/Desa" not in labels and "Kecamatan" not in labels
    assert "Kategori" not in labels  # nobody has a category
    assert {"NIP", "Jabatan", "Pangkat/Golongan", "Kabupaten/Kota"} <= set(labels)


def test_printed_roster_of_cadres_leaves_out_nip_and_regency(db: Session, cadres: Any) -> None:
    t, b = cadres
    labels = [c.label for c in rosters.sheet(rosters.roster(db, t, b), "committee",
                                             printed=True).columns]
    assert "NIP" not in labels and "Kabupaten/Kota" not in labels and "Jabatan" not in labels
    assert "Kecamatan" in labels and "Kelurahan/Desa" in labels


def test_roster_pdf_prints_names_in_order_and_the_regency(db: Session, province: Any) -> None:
    t, b = province
    pdf = render_roster_pdf(rosters.sheet(rosters.roster(db, t, b), "committee",
                                          printed=True))
    text = _flat(pdf)
    assert _in_order(text, SORTED) and "Kabupaten Ogan Ilir" in text
    assert "Kelurahan" not in text and "Kecamatan" not in text


# --- the daftar hadir -------------------------------------------------------------------

def test_daftar_hadir_as_one_list_has_the_regency_column_and_sorted_names(
        db: Session, province: Any) -> None:
    t, b = province
    doc = rosters.attendance_sheet(rosters.roster(db, t, b), b.start_date)
    assert doc.columns == ("No.", "Nama / NIP", "Jabatan / Instansi", "Kabupaten/Kota",
                           "Tanda Tangan")
    rows = [r for r in doc.rows if isinstance(r, SignRow)]
    assert [r.name for r in rows] == SORTED and [r.number for r in rows] == list(range(1, 7))
    assert rows[0].note == f"NIP ••••••••••••••{_nip(2)[-4:]}"
    assert rows[0].detail == "Kepala Bidang KB"
    text = _flat(render_attendance_sheet_pdf(doc))
    assert _in_order(text, SORTED) and _nip(2) not in text


def test_daftar_hadir_grouped_has_a_section_per_regency_numbered_from_one(
        db: Session, province: Any) -> None:
    t, b = province
    doc = rosters.attendance_sheet(rosters.roster(db, t, b), b.start_date, grouped=True)
    assert "Kabupaten/Kota" not in doc.columns  # the heading says it
    sections: list[tuple[str, list[tuple[int, str]]]] = []
    for item in doc.rows:
        if isinstance(item, Heading):
            sections.append((item.title, []))
        else:
            sections[-1][1].append((item.number, item.name))
    assert [title for title, _ in sections] == [
        "Kabupaten Lahat (2 orang)", "Kabupaten Ogan Ilir (2 orang)", "Kota Palembang (2 orang)"]
    assert sections[1][1] == [(1, "dr. Rina Marlina, M.Kes."), (2, "Nyimas Zahra")]
    assert all([n for n, _ in people] == [1, 2] for _, people in sections)
    text = _flat(render_attendance_sheet_pdf(doc))
    assert "Kabupaten Ogan Ilir (2 orang)" in text


def test_daftar_hadir_of_cadres_has_no_nip_or_position_header(db: Session,
                                                             cadres: Any) -> None:
    t, b = cadres
    doc = rosters.attendance_sheet(rosters.roster(db, t, b), b.start_date)
    assert doc.columns == ("No.", "Nama", "Instansi", "Kecamatan", "Tanda Tangan")


def test_grouped_section_heading_never_ends_a_page() -> None:
    rows: list[SignRow | Heading] = []
    for region in range(12):
        rows.append(Heading(f"Kabupaten {region:02d}"))
        rows += [SignRow(n, f"Peserta {region:02d}-{n}", "Dinas PPKB") for n in range(1, 13)]
    pdf = render_attendance_sheet_pdf(AttendanceSheet(
        organization="Perwakilan BKKBN Sumsel", title="DAFTAR HADIR PESERTA",
        training="Workshop", details=(("Angkatan", "Angkatan I"),),
        columns=("No.", "Nama", "Instansi", "Tanda Tangan"), rows=rows,
        place_date="Palembang, 24 Agustus 2022", signer="Panitia Pelaksana,"))
    for page in _pages(pdf):
        lines = [line for line in page.splitlines() if line.strip()]
        body = [line for line in lines if line.startswith(("Kabupaten", "Peserta"))]
        assert not body or not body[-1].startswith("Kabupaten"), body[-3:]


def test_attendance_sheet_download_takes_the_grouping(api: Any, db: Session,
                                                      province: Any) -> None:
    t, b = province
    factories.committed(db)
    r = api.get(f"/api/batches/{b.id}/attendance-sheet.pdf",
                params={"day": b.start_date.isoformat(), "group": "region"})
    assert r.status_code == 200 and "Kota Palembang (2 orang)" in _flat(r.content)
    bad = api.get(f"/api/batches/{b.id}/attendance-sheet.pdf", params={"group": "kecamatan"})
    assert bad.status_code == 422


# --- ticket cards and certificates --------------------------------------------------------

def test_ticket_cards_sort_without_titles_and_show_position_and_regency(
        db: Session, province: Any) -> None:
    t, b = province
    ctx = ticket_delivery.context(db, t)
    cards = ticket_delivery.ticket_cards(db, ctx, ticket_delivery.confirmed_rows(db, t, b.id),
                                         "http://127.0.0.1:8000")
    assert [c.name for c in cards] == SORTED
    assert cards[0].subtitle == "Kabupaten Lahat \u00b7 Kepala Bidang KB"
    text = _flat(ticket_cards_pdf(cards, title="Tiket"))
    assert "Kabupaten Lahat · Kepala Bidang KB" in text


def test_certificates_are_numbered_and_merged_in_name_order(db: Session, org: Any,
                                                            province: Any) -> None:
    t, b = province
    admin = factories.user(db, org, role="admin")
    for reg in rosters.roster(db, t, b).rows:
        registration = db.get(Registration, reg.registration_id)
        assert registration is not None
        for day in (b.start_date, b.start_date.replace(day=b.start_date.day + 1),
                    b.end_date):
            factories.check_in(db, registration, day, admin)
    factories.certificate_template_for(db, t, admin)
    issued = factories.issue_certificates(db, t, admin)
    assert [c.name for c in issued] == SORTED  # numbered in this order
    rows = certificate_documents.issued(db, t, "http://testserver")
    assert [r.fields.name for r in rows] == SORTED


# --- live attendance and assignment by kabupaten/kota -------------------------------------

def test_live_attendance_breaks_down_and_filters_by_regency(db: Session, province: Any) -> None:
    t, b = province
    a = attendance.attendance(db, t, b, b.start_date)
    assert [(x.name, x.expected) for x in a.by_district] == [
        ("Kabupaten Lahat", 2), ("Kabupaten Ogan Ilir", 2), ("Kota Palembang", 2)]
    assert a.regions == ["Kabupaten Lahat", "Kabupaten Ogan Ilir", "Kota Palembang"]
    only = attendance.attendance(db, t, b, b.start_date, region="kabupaten ogan ilir")
    assert only.region == "Kabupaten Ogan Ilir" and only.total.expected == 2
    assert [m.name for m in only.missing] == ["dr. Rina Marlina, M.Kes.", "Nyimas Zahra"]
    assert {m.region for m in only.missing} == {"Kabupaten Ogan Ilir"}
    stale = attendance.attendance(db, t, b, b.start_date, region="Kota Jambi")
    assert stale.region is None and stale.total.expected == 6


def test_live_attendance_page_offers_the_regency_filter(client: Any, admin: Any, db: Session,
                                                        province: Any) -> None:
    t, b = province
    factories.committed(db)
    login_page_client(client, admin.email)
    page = client.get(f"/trainings/{t.id}/attendance",
                      params={"batch": b.id, "day": b.start_date.isoformat(),
                              "region": "Kota Palembang"}).text
    assert 'id="att-region"' in page and "Menurut kabupaten/kota" in page
    assert "region=Kota+Palembang" in page  # the live block keeps polling the filter


def test_region_strategy_keeps_a_regency_together(db: Session, org: Any) -> None:
    t = factories.training(db, org, days=4, categories=(), region_level="regency")
    first = factories.batch(db, t, name="Angkatan I", capacity=4)
    second = factories.batch(db, t, name="Angkatan II", capacity=4)
    for n in range(8):
        factories.register(db, t, None, name=f"Pejabat {n}", nip=_nip(n),
                           regency=("Kota Palembang", "Kabupaten Lahat")[n % 2],
                           district=f"Kecamatan {n}")  # all different: not what counts
    # Everyone back on the waitlist, to be placed by the strategy.
    for reg in db.exec(select(Registration).where(Registration.training_id == t.id)).all():
        reg.batch_id, reg.status = None, "waitlisted"
        db.add(reg)
    for b in (first, second):
        b.confirmed_count = 0
        db.add(b)
    db.flush()
    result = assignment.preview(db, t, "region")
    mix = {key: counts for key, counts, _total in result.mix_by_district()}
    assert sorted(mix) == ["Kabupaten Lahat", "Kota Palembang"]
    assert sorted(mix.values()) == [[0, 4], [4, 0]]
