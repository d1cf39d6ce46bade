"""The demo's letters (demo/letters.py): both offices' letter settings, Padang's requests
to its narasumber and its surat tugas, Sumsel's 17 invitations, one per invited unit with
a link of its own; and the same function when the committee and the units are not there
yet."""

import io

from docx import Document
from sqlmodel import Session, select

from service.models import IssuedLetter, Training
from service.rendering.letter_docx import render_letter_docx
from service.services.demo import letters as demo_letters
from service.services.demo import nominations as demo_nominations
from service.services.demo import province as demo_province
from service.services.letters import content
from tests import factories as f
from tests.letters_world import world

PASSWORD = "demo-letters-2022-x"


def test_sumsel_gets_17_invitations_and_padang_its_letters(db: Session) -> None:
    result = demo_province.seed_province(db, PASSWORD)
    units = demo_nominations.seed_nominations(db, result)
    sumsel = db.get(Training, result.training_id)
    assert sumsel is not None
    padang = world(db).training
    done = demo_letters.seed_letters(db, padang, sumsel, units)
    assert (done.invitations, done.speaker_requests, done.assignments) == (17, 2, 1)
    invitations = db.exec(select(IssuedLetter).where(IssuedLetter.training_id == sumsel.id)
                          .order_by(IssuedLetter.seq)).all()
    assert [x.number for x in invitations][:2] == ["001/005/KS.03/J4/VIII/2022",
                                                   "002/005/KS.03/J4/VIII/2022"]
    assert len({x.link_url for x in invitations}) == 17
    assert "Bupati Ogan Ilir" in {x.recipient for x in invitations}
    first = Document(io.BytesIO(render_letter_docx(content.document(db, invitations[0]))))
    text = "\n".join(p.text for p in first.paragraphs)
    assert "Palembang, 1 Agustus 2022" in text
    assert "PERWAKILAN PROVINSI SUMATERA SELATAN" in "\n".join(
        c.text for t in first.tables for r in t.rows for c in r.cells)


def test_the_demo_letters_wait_for_committee_and_units(db: Session) -> None:
    padang = world(db, committee=False, units=0).training
    office = f.organization(db, demo_province.ORG_NAME)
    f.user(db, office, role="admin")
    sumsel = f.training(db, office, demo_province.TITLE, kind="workshop", categories=())
    done = demo_letters.seed_letters(db, padang, sumsel, [])
    assert (done.invitations, done.assignments) == (0, 0)
    assert done.speaker_requests == 2
