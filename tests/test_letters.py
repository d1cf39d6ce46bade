"""Letters: settings, numbering per kind and year, issuing (kept or renumbered), and each
kind's text in DOCX and PDF, made from the training's data."""

import io
import zipfile
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import Session, select

from service.errors import DomainError
from service.models import IssuedLetter, NominationLink
from service.models.base import pk
from service.rendering.letter_docx import render_letter_docx
from service.rendering.letter_pdf import render_letter_pdf, render_letters_pdf
from service.rendering.letters_zip import render_letters_zip
from service.schemas.letters import LetterIssue, LetterKindSetting
from service.services.certificates import numbering
from service.services.letters import content, issuing, settings
from service.services.nominations import links
from tests import factories as f
from tests.letters_world import NIP, World, settings_in, world

BASE = "https://bimtek.example"
SEPT = date(2018, 9, 3)


def _issue(db: Session, w: World, kind: str, on: date = SEPT, **kw: object
           ) -> list[tuple[IssuedLetter, bool]]:
    return issuing.issue(db, w.training, w.admin,
                         LetterIssue.model_validate({"kind": kind, "letter_date": on, **kw}),
                         BASE)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- numbering --------------------------------------------------------------------------

def test_a_letter_pattern_fills_code_and_roman_month() -> None:
    pattern = numbering.validate_pattern("{seq:03}/{code}/DP3AP2KB/{roman_month}/{year}",
                                         "p", with_code=True, code="005")
    assert numbering.format_number(pattern, 7, SEPT, "005") == "007/005/DP3AP2KB/IX/2018"


def test_a_certificate_pattern_still_refuses_code() -> None:
    with pytest.raises(DomainError) as exc:
        numbering.validate_pattern("{seq}/{code}")
    assert exc.value.code == "invalid_pattern"


@pytest.mark.parametrize("pattern", ["{code}/{year}", "{seq}/{seq}", "{seq}/{kode}",
                                     "{seq}/{year"])
def test_a_letter_pattern_needs_seq_once_and_known_placeholders(pattern: str) -> None:
    with pytest.raises(DomainError) as exc:
        numbering.validate_pattern(pattern, "invitation_pattern", with_code=True)
    assert exc.value.code == "invalid_pattern"


def test_each_kind_counts_on_its_own(db: Session) -> None:
    w = world(db)
    first = _issue(db, w, "invitation")
    speakers = _issue(db, w, "speaker_request")
    assert [x.number for x, _e in first] == [f"00{n}/005/DP3AP2KB/IX/2018" for n in (1, 2, 3)]
    assert [x.seq for x, _e in speakers] == [1, 2]


def test_a_new_year_starts_again_at_one(db: Session) -> None:
    w = world(db)
    _issue(db, w, "speaker_request", date(2018, 12, 30))
    late = _issue(db, w, "speaker_request", date(2019, 1, 2), new_number=True)
    assert [x.number for x, _e in late] == ["001/005/DP3AP2KB/I/2019",
                                            "002/005/DP3AP2KB/I/2019"]


def test_the_settings_preview_shows_the_next_number_without_taking_it(db: Session) -> None:
    w = world(db)
    _issue(db, w, "committee_assignment")
    s = settings.require(db, pk(w.org))
    assert settings.next_number(db, pk(w.org), s, "committee_assignment", SEPT) \
        == "002/094/DP3AP2KB/IX/2018"
    assert settings.next_number(db, pk(w.org), s, "committee_assignment", SEPT) \
        == "002/094/DP3AP2KB/IX/2018"


# --- settings ---------------------------------------------------------------------------

def test_settings_refuse_a_bad_pattern_and_change_nothing(db: Session) -> None:
    w = world(db)
    bad = settings_in(place="Bukittinggi",
                      kinds={"invitation": LetterKindSetting(pattern="{code}/{year}")})
    with pytest.raises(DomainError) as exc:
        settings.save(db, pk(w.org), bad, w.admin)
    assert exc.value.code == "invalid_pattern"
    assert getattr(exc.value, "field", "") == "invitation_pattern"
    assert settings.require(db, pk(w.org)).place == "Padang"


def test_settings_refuse_a_nip_that_is_not_18_digits(db: Session) -> None:
    w = world(db)
    with pytest.raises(DomainError) as exc:
        settings.save(db, pk(w.org), settings_in(signatory_nip="19680514"), w.admin)
    assert exc.value.code == "invalid_nip"


def test_a_kind_left_out_keeps_its_numbering(db: Session) -> None:
    w = world(db)
    saved = settings.save(db, pk(w.org), settings_in(kinds={}), w.admin)
    assert saved.committee_assignment_code == "094"


# --- issuing ----------------------------------------------------------------------------

def test_nothing_is_issued_before_the_settings_exist(db: Session) -> None:
    w = world(db, with_settings=False)
    with pytest.raises(DomainError) as exc:
        _issue(db, w, "invitation")
    assert exc.value.code == "letters_not_set_up" and exc.value.status == 409


def test_issuing_again_keeps_the_letter_and_its_number(db: Session) -> None:
    w = world(db)
    first = _issue(db, w, "invitation")
    again = _issue(db, w, "invitation")
    assert [x.id for x, _e in again] == [x.id for x, _e in first]
    assert all(existing for _x, existing in again)
    assert settings.next_number(db, pk(w.org), settings.require(db, pk(w.org)), "invitation",
                                SEPT).startswith("004/")


def test_a_new_number_replaces_the_old_letter(db: Session) -> None:
    w = world(db)
    first = _issue(db, w, "speaker_request", speaker_ids=[pk(w.speakers[0])])
    again = _issue(db, w, "speaker_request", speaker_ids=[pk(w.speakers[0])], new_number=True)
    old, new = first[0][0], again[0][0]
    assert new.number == "002/005/DP3AP2KB/IX/2018" and not again[0][1]
    db.refresh(old)
    assert old.replaced_at is not None
    assert [x.id for x in issuing.current(db, w.training, "speaker_request")] == [new.id]


def test_another_offices_unit_is_refused(db: Session) -> None:
    w = world(db)
    other = f.organization(db, "DP3AKB Kota Tangerang Selatan")
    stranger = f.training(db, other, "Rapat Pokja", categories=())
    from service.services.nominations import units as nomination_units

    tu = nomination_units.add_unit(db, stranger, quota=2, name="Kecamatan Setu",
                                   kind="kecamatan")
    with pytest.raises(DomainError) as exc:
        _issue(db, w, "invitation", unit_ids=[tu.unit_id])
    assert exc.value.code == "not_a_recipient" and exc.value.status == 422


def test_a_training_without_units_cannot_send_invitations(db: Session) -> None:
    w = world(db, units=0)
    with pytest.raises(DomainError) as exc:
        _issue(db, w, "invitation")
    assert exc.value.code == "no_recipients"


def test_each_invitation_carries_a_link_of_its_own(db: Session) -> None:
    w = world(db)
    letters = [x for x, _e in _issue(db, w, "invitation")]
    urls = {x.link_url for x in letters}
    assert len(urls) == 3 and all(u.startswith(f"{BASE}/nominasi/") for u in urls)
    # The unit's other links keep working: the letter's link did not revoke them.
    assert db.exec(select(NominationLink).where(
        NominationLink.revoked_at == None)).all().__len__() == 3  # noqa: E711
    tu = links.resolve(db, letters[0].link_url.rsplit("/", 1)[1])
    assert tu.unit_id == letters[0].unit_id


# --- content ----------------------------------------------------------------------------

def _doc_bytes(db: Session, letter: IssuedLetter) -> tuple[str, str]:
    """The letter's DOCX and PDF text, whitespace folded (a PDF wraps table cells)."""
    doc = content.document(db, letter)
    return (" ".join(docx_text(render_letter_docx(doc)).split()),
            " ".join(pdf_text(render_letter_pdf(doc)).split()))


def test_an_invitation_names_the_unit_its_quota_and_its_link(db: Session) -> None:
    w = world(db)
    letters = {x.recipient: x for x, _e in _issue(db, w, "invitation")}
    letter = letters["Camat Kuranji"]
    for text in _doc_bytes(db, letter):
        assert "Yth. Camat Kuranji" in text
        assert "001/005/DP3AP2KB/IX/2018" not in text or letter.seq == 1
        assert letter.number in text
        assert "7 orang" in text  # Kuranji's quota
        assert "Rabu s.d. Kamis, 12–13 September 2018" in text
        assert "Hotel Pangeran Beach" in text
        assert "Padang, 3 September 2018" in text
        assert "Rabu, 5 September 2018 pukul 23.59 WIB" in text
        assert "PEMERINTAH KOTA PADANG" in text
        assert f"NIP. {NIP}" in text
        assert "Kebijakan Program Bangga Kencana" in text
    docx, _pdf = _doc_bytes(db, letter)
    assert letter.link_url in docx


def test_a_request_to_a_narasumber_lists_their_sessions_and_jpl(db: Session) -> None:
    w = world(db)
    letter = _issue(db, w, "speaker_request", speaker_ids=[pk(w.speakers[0])])[0][0]
    for text in _doc_bytes(db, letter):
        assert "Yth. Dr. Siti Rahma, M.Kes." in text
        assert "Permohonan Narasumber" in text
        assert "Kebijakan Program Bangga Kencana" in text
        assert "Kesehatan Reproduksi Remaja" in text
        assert "Gizi Keluarga" not in text  # Budi's session
        assert "Kamis, 13 September 2018" in text
        assert "5 JPL" in text


def test_a_narasumber_letter_shows_todays_timetable_with_its_first_number(
        db: Session) -> None:
    w = world(db)
    letter = _issue(db, w, "speaker_request", speaker_ids=[pk(w.speakers[1])])[0][0]
    b = f.batch(db, w.training, "Angkatan II", days=2)
    f.session(db, w.training, b, "Pola Asuh Anak", start=__import__("datetime").time(13),
              end=__import__("datetime").time(14, 30), jpl=2, teachers=[w.speakers[1]])
    docx, _pdf = _doc_bytes(db, letter)
    assert "Pola Asuh Anak" in docx and letter.number in docx


def test_the_surat_tugas_lists_the_committee(db: Session) -> None:
    w = world(db)
    letter = _issue(db, w, "committee_assignment")[0][0]
    assert letter.number == "001/094/DP3AP2KB/IX/2018"
    for text in _doc_bytes(db, letter):
        assert "SURAT TUGAS" in text and "MENUGASKAN" in text
        for who in ("Rina Marlina, S.Sos.", "198203172006042011", "Kepala Seksi Advokasi",
                    "Ketua", "Andi Pratama", "Sekretaris", "Yusnaini"):
            assert who in text
        assert "12–13 September 2018" in text


def test_no_committee_means_no_surat_tugas(db: Session) -> None:
    w = world(db, committee=False)
    with pytest.raises(DomainError) as exc:
        _issue(db, w, "committee_assignment")
    assert exc.value.code == "no_recipients"


def test_the_zip_holds_one_safely_named_file_per_recipient(db: Session) -> None:
    w = world(db)
    letters = [x for x, _e in _issue(db, w, "invitation")]
    named = content.documents(db, w.training, letters)
    data = render_letters_zip(named, "docx")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["001-undangan-kepala-dinas-kesehatan-kota-padang.docx",
                     "002-undangan-camat-kuranji.docx", "003-undangan-camat-padang-barat.docx"]


def test_all_invitations_print_as_one_pdf(db: Session) -> None:
    w = world(db)
    letters = [x for x, _e in _issue(db, w, "invitation")]
    data = render_letters_pdf([d for _n, d in content.documents(db, w.training, letters)])
    text = pdf_text(data)
    assert all(x.number in text for x in letters)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3
