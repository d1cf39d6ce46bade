"""Minutes written by several committee members at once: nobody's text is lost."""

import threading
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.db import writer_bind
from service.models import Minutes, MinutesRevision
from service.models.base import pk
from service.schemas.minutes import DecisionIn, MinutesSave
from service.services.minutes import editing
from service.services.minutes.merge import CONFLICT_HEADING, merge
from tests import factories

BASE = "Rapat dibuka pukul 09.00 oleh Sekda.\n\nPembahasan:\n"


def _meeting(db: Session):  # type: ignore[no-untyped-def]
    org = factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    t = factories.training(db, org, title="Rapat Pokja Kampung KB", days=1, kind="pertemuan",
                           start=date(2018, 10, 4))
    return org, t, factories.user(db, org, name="Notulis A"), factories.user(
        db, org, name="Notulis B")


def test_two_saves_from_the_same_version_keep_both_texts(db: Session) -> None:
    _org, t, a, b = _meeting(db)
    first = editing.save(db, t, MinutesSave(text=BASE, base_version=0), a)
    assert first.version == 1 and not first.merged
    mine_a = BASE + "- Dinas Kesehatan: posyandu aktif 54.\n"
    mine_b = "Hadir 7 camat.\n" + BASE + "- Camat Serpong: data PUS diperbarui.\n"
    saved_a = editing.save(db, t, MinutesSave(text=mine_a, base_version=1), a)
    saved_b = editing.save(db, t, MinutesSave(text=mine_b, base_version=1), b)
    assert (saved_a.version, saved_a.merged) == (2, False)
    assert saved_b.version == 3 and saved_b.merged and not saved_b.conflict
    for piece in ("Hadir 7 camat.", "posyandu aktif 54", "data PUS diperbarui", "Sekda"):
        assert piece in saved_b.text
    row = db.get(Minutes, saved_b_minutes_id(db, t))
    assert row is not None and row.text == saved_b.text


def saved_b_minutes_id(db: Session, t) -> int:  # type: ignore[no-untyped-def]
    found = editing.find(db, t)
    assert found is not None
    return pk(found)


def test_a_patch_that_cannot_apply_is_kept_under_a_marked_heading() -> None:
    result = merge("Anggaran 2019 sebesar 10 juta.", "Anggaran 2019 sebesar 12 juta.",
                   "Seluruh paragraf ini ditulis ulang oleh notulis lain tanpa angka.")
    assert result.conflict
    assert result.text.startswith("Seluruh paragraf ini ditulis ulang")
    assert CONFLICT_HEADING in result.text and "12" in result.text


def test_two_members_writing_into_empty_minutes_keep_their_own_lines() -> None:
    merged = merge("", "Rapat dibuka pukul 09.00.", "Paparan Dinas Kesehatan.")
    assert merged.text == "Paparan Dinas Kesehatan.\nRapat dibuka pukul 09.00."
    assert not merged.conflict
    below = merge("Agenda:\n", "Agenda:\n- OPD lapor", "Agenda:\n- Camat lapor")
    assert below.text == "Agenda:\n- Camat lapor\n- OPD lapor" and not below.conflict


def test_typing_on_after_a_merged_save_does_not_repeat_the_merged_words(db: Session) -> None:
    _org, t, a, b = _meeting(db)
    editing.save(db, t, MinutesSave(text=BASE, base_version=0), a)
    editing.save(db, t, MinutesSave(text=BASE + "- B menulis.\n", base_version=1), b)
    sent_a = BASE + "- A menulis.\n"
    merged = editing.save(db, t, MinutesSave(text=sent_a, base_version=1), a)
    assert merged.merged and merged.version == 3
    # A kept typing while that save travelled: the page still shows A's own text.
    later = editing.save(db, t, MinutesSave(text=sent_a + "- A lagi.\n", base_version=3,
                                            based_on_own=True), a)
    assert later.text.count("- A menulis.") == 1
    assert later.text.count("- B menulis.") == 1
    assert "- A lagi." in later.text


def test_decisions_added_by_another_member_are_not_removed(db: Session) -> None:
    _org, t, a, b = _meeting(db)
    editing.save(db, t, MinutesSave(text=BASE, decisions=["Rapat berikut 4 November."],
                                    base_version=0), a)
    got = editing.save(db, t, MinutesSave(text=BASE, decisions=[
        "Rapat berikut 4 November.", "Setiap OPD melapor bulanan."], base_version=1), b)
    assert [d.text for d in got.decisions] == ["Rapat berikut 4 November.",
                                               "Setiap OPD melapor bulanan."]
    # A, still on version 1, edits the first decision: B's second one stays.
    first_id = pk(got.decisions[0])
    after = editing.save(db, t, MinutesSave(text=BASE, decisions=[DecisionIn(
        id=first_id, text="Rapat berikut 5 November.")], base_version=1), a)
    assert [d.text for d in after.decisions] == ["Rapat berikut 5 November.",
                                                 "Setiap OPD melapor bulanan."]


def test_a_save_that_changes_nothing_makes_no_version(db: Session) -> None:
    _org, t, a, _b = _meeting(db)
    editing.save(db, t, MinutesSave(text=BASE, base_version=0), a)
    again = editing.save(db, t, MinutesSave(text=BASE, base_version=1), a)
    assert again.version == 1


def test_two_threads_saving_at_once_both_keep_their_text(engine: Engine) -> None:
    """Two requests' own transactions, committed for real: the row lock (PostgreSQL) or
    the IMMEDIATE write transaction (SQLite) puts one after the other."""
    writer = writer_bind(engine)
    with Session(writer) as db:
        org = factories.organization(db, "Pokja Uji Paralel")
        t = factories.training(db, org, title="Rapat Paralel", days=1, kind="pertemuan")
        u = factories.user(db, org, name="Notulis")
        editing.save(db, t, MinutesSave(text=BASE, base_version=0), u)
        db.commit()
        tid, uid, oid = pk(t), pk(u), pk(org)
    texts = {"A": BASE + "- Tulisan A.\n", "B": "Pembuka B.\n" + BASE}
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def save(who: str) -> None:
        try:
            barrier.wait()  # before any statement: SQLite's writer holds its lock
            with Session(writer) as db:
                from service.models import Training, User

                training, user = db.get(Training, tid), db.get(User, uid)
                assert training is not None and user is not None
                editing.save(db, training, MinutesSave(text=texts[who], base_version=1), user)
                db.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(w,)) for w in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    try:
        assert errors == []
        with Session(engine) as db:
            from service.models import Training

            training = db.get(Training, tid)
            assert training is not None
            final = editing.current(db, training)
            assert final.version == 3
            assert "- Tulisan A." in final.text and "Pembuka B." in final.text
            found = editing.find(db, training)
            assert found is not None
            revs = db.exec(select(MinutesRevision.version)
                           .where(MinutesRevision.minutes_id == found.id)).all()
            assert sorted(revs) == [1, 2, 3]
    finally:
        with Session(engine) as db:
            from service.models import Organization, Training, User

            for model, row_id in ((Training, tid), (User, uid)):
                row = db.get(model, row_id)
                if row is not None:
                    db.delete(row)
                    db.flush()
            org_row = db.get(Organization, oid)
            if org_row is not None:
                db.delete(org_row)
            db.commit()
