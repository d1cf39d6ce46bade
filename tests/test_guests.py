"""Guests and committee of a training: their lists, a quick paste, attendance per
training day ticked or scanned from their card, their daftar hadir and cards."""

from datetime import date, time

import pytest
from sqlmodel import Session

from service.errors import FieldError, NotFound
from service.models.base import pk
from service.rendering.guest_sheet_pdf import render_guest_sheets_pdf
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.schemas.guests import PersonCreate, PersonPatch
from service.services.guests import attendance, documents, people
from tests import factories
from tests.guests_world import DAY1, DAY2, DAY3, committee, guest, world


def test_training_days_are_the_union_of_its_batches_meeting_days(db: Session) -> None:
    w = world(db)
    assert people.training_days(db, w.training) == [DAY1, DAY2, DAY3, date(2018, 9, 18)]


def test_a_day_outside_the_training_is_refused(db: Session) -> None:
    w = world(db)
    with pytest.raises(FieldError) as err:
        attendance.set_attendance(db, w.training, w.guest, date(2018, 9, 14), True, None)
    assert err.value.code == "invalid_day"


def test_ticking_records_who_and_unticking_keeps_the_row(db: Session) -> None:
    w = world(db)
    user = factories.user(db, w.org)
    attendance.set_attendance(db, w.training, w.guest, DAY1, True, user)
    grid = attendance.grid(db, w.training)
    assert grid.days_present(w.guest) == [DAY1]
    assert grid.rows[(pk(w.guest), DAY1)].user_id == user.id
    attendance.set_attendance(db, w.training, w.guest, DAY1, False, user)
    assert attendance.grid(db, w.training).days_present(w.guest) == []


def test_committee_and_guests_are_listed_apart_in_their_order(db: Session) -> None:
    w = world(db)
    second = guest(db, w.training, "Ir. Syahruddin", position="Kepala Perwakilan",
                   institution="BKKBN Sumbar")
    assert [p.id for p in people.list_people(db, w.training, "guest")] == [w.guest.id,
                                                                           second.id]
    people.move(db, second, -1)
    assert [p.id for p in people.list_people(db, w.training, "guest")] == [second.id,
                                                                           w.guest.id]
    assert [p.id for p in people.list_people(db, w.training, "committee")] == [w.chair.id]


def test_a_nip_must_have_18_digits(db: Session) -> None:
    w = world(db)
    with pytest.raises(FieldError) as err:
        guest(db, w.training, "Camat Padang Barat", nip="19700101")
    assert err.value.code == "invalid_nip"
    ok = guest(db, w.training, "Camat Padang Barat", nip="19700101 199503 1 002")
    assert ok.nip == "197001011995031002"


def test_a_phone_is_kept_in_one_shape(db: Session) -> None:
    w = world(db)
    person = committee(db, w.training, "Rina", role="Anggota", phone="0812-3456-7890")
    assert person.phone == "+6281234567890"
    with pytest.raises(FieldError):
        people.update_person(db, person, PersonPatch(phone="0000 0000"))


def test_a_guest_has_no_committee_role(db: Session) -> None:
    w = world(db)
    person = people.add_person(db, w.training, PersonCreate(
        kind="guest", name="Kapolsek Padang Barat", committee_role="Ketua"))
    assert person.committee_role == ""


def test_paste_of_lines_keeps_titles_with_the_name(db: Session) -> None:
    parsed = people.parse_paste(
        "Drs. H. Ahmad, Kepala Dinas, DP3AP2KB\n\n"
        "Yusman, S.Pd., M.Si., Camat, Kecamatan Padang Barat\n", "guest")
    assert [(p.name, p.position, p.institution) for p in parsed] == [
        ("Drs. H. Ahmad", "Kepala Dinas", "DP3AP2KB"),
        ("Yusman, S.Pd., M.Si.", "Camat", "Kecamatan Padang Barat")]


def test_paste_of_committee_lines_reads_the_role_first(db: Session) -> None:
    parsed = people.parse_paste("Sekretaris, Hendra, S.Kom., Staf Bidang KB, DP3AP2KB",
                                "committee")
    assert (parsed[0].committee_role, parsed[0].name, parsed[0].position) == (
        "Sekretaris", "Hendra, S.Kom.", "Staf Bidang KB")


def test_an_empty_paste_is_refused(db: Session) -> None:
    with pytest.raises(FieldError):
        people.parse_paste(" \n \n", "guest")


def test_another_organizations_person_is_not_found(db: Session) -> None:
    w = world(db)
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    with pytest.raises(NotFound):
        people.get_person(db, pk(other), pk(w.guest))


def test_a_scanned_card_counts_for_today_once(db: Session) -> None:
    w = world(db)
    scanner = factories.principal(factories.user(db, w.org, role="scanner"))
    code = documents.card_url("https://bimtek.example", w.chair)
    at = factories.moment(w.training, DAY2, time(7, 30))
    first = attendance.scan(db, scanner, w.training, code, now=at)
    again = attendance.scan(db, scanner, w.training, code, now=at)
    assert (first.status, first.day) == ("checked_in", DAY2)
    assert again.status == "already_checked_in" and again.first_at is not None
    row = attendance.grid(db, w.training).rows[(pk(w.chair), DAY2)]
    assert (row.present, row.via) == (True, "scan")


def test_a_card_of_another_training_is_refused(db: Session) -> None:
    w = world(db)
    other = factories.training(db, w.org, "Orientasi PKB", start=DAY1)
    factories.batch(db, other, start=DAY1)
    stranger = guest(db, other, "Tamu lain")
    scanner = factories.principal(factories.user(db, w.org, role="scanner"))
    with pytest.raises(attendance.InvalidCard):
        attendance.scan(db, scanner, w.training, f"https://x/g/{stranger.token}",
                        now=factories.moment(w.training, DAY1))


def test_a_participant_ticket_is_not_a_card(db: Session) -> None:
    assert attendance.card_token("BT1.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") is None
    assert attendance.card_token("https://h/t/AbCdEfGhIjKlMnOpQrStUv") is None
    assert attendance.card_token("https://h/g/AbCdEfGhIjKlMnOpQrStUv") == "AbCdEfGhIjKlMnOpQrStUv"


def test_a_scan_on_a_day_without_meeting_is_refused(db: Session) -> None:
    w = world(db)
    scanner = factories.principal(factories.user(db, w.org, role="scanner"))
    with pytest.raises(attendance.NotTrainingDay):
        attendance.scan(db, scanner, w.training, f"/g/{w.guest.token}",
                        now=factories.moment(w.training, date(2018, 9, 15)))


def test_a_scanner_limited_to_another_training_cannot_scan_here(db: Session) -> None:
    w = world(db)
    other = factories.training(db, w.org, "Orientasi PKB")
    limited = factories.principal(factories.user(db, w.org, role="scanner", training=other))
    with pytest.raises(NotFound):
        attendance.scanner_training(db, limited, pk(w.training))


def test_the_daftar_hadir_has_one_sheet_per_day_for_each_list(db: Session) -> None:
    w = world(db)
    sheets = documents.sheets(db, w.training, "committee")
    assert len(sheets) == 4
    assert sheets[0].rows[0].name == w.chair.name  # type: ignore[union-attr]
    assert sheets[0].rows[0].detail == "Ketua"  # type: ignore[union-attr]
    data = render_guest_sheets_pdf(sheets, title=w.training.title)
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") >= 4


def test_the_daftar_hadir_masks_a_nip(db: Session) -> None:
    w = world(db)
    guest(db, w.training, "Camat", nip="197001011995031002")
    rows = documents.sheets(db, w.training, "guest")[0].rows
    notes = [r.note for r in rows]  # type: ignore[union-attr]
    assert "NIP ••••••••••••••1002" in notes and "197001011995031002" not in str(notes)


def test_cards_carry_the_guest_path_in_their_qr(db: Session) -> None:
    w = world(db)
    cards = documents.cards(db, w.training, "https://bimtek.example")
    assert {c.code for c in cards} == {f"https://bimtek.example/g/{w.guest.token}",
                                       f"https://bimtek.example/g/{w.chair.token}"}
    assert ticket_cards_pdf(cards, title="x").startswith(b"%PDF")


def test_the_activity_report_lists_guests_committee_and_narasumber(db: Session) -> None:
    from service.rendering.activity_report_docx import render_activity_report_docx
    from service.rendering.activity_report_pdf import render_activity_report_pdf
    from service.services import activity_report
    from service.services.guests import speaker_attendance

    w = world(db)
    attendance.set_attendance(db, w.training, w.guest, DAY1, True, None)
    for d in people.training_days(db, w.training):
        attendance.set_attendance(db, w.training, w.chair, d, True, None)
    speaker_attendance.record(db, w.session, pk(w.speaker), True, None)
    speaker_attendance.record(db, w.other_session, pk(w.other_speaker), False, None)
    report = activity_report.activity_report(db, w.training)
    people_ = report.people
    assert [(g.name, g.days_present) for g in people_.guests] == [(w.guest.name, [DAY1])]
    assert people_.days_label(people_.committee[0], "Setiap hari", "-") == "Setiap hari"
    assert [(s.speaker, s.present) for s in people_.speakers] == [
        ("Dr. Siti Rahma", True), ("dr. Yusrizal", False)]
    assert render_activity_report_pdf(report).startswith(b"%PDF")
    assert render_activity_report_docx(report)[:2] == b"PK"


def test_the_guests_sheet_leaves_rows_for_unannounced_officials(db: Session) -> None:
    w = world(db)
    rows = documents.sheets(db, w.training, "guest")[0].rows
    assert [r.name for r in rows] == [w.guest.name, "", "", ""]  # type: ignore[union-attr]
