"""Data written under an older schema survives each upgrade and gets sensible new values."""

from datetime import UTC, date, datetime, timedelta

from alembic import command
from sqlalchemy import create_engine, text

from service.migrate import alembic_config
from service.services import ticket_codes
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database


def test_0002_gives_existing_trainings_a_ticket_key_and_defaults() -> None:
    with fresh_database(DB_KIND, "mig") as url:
        command.upgrade(alembic_config(url), "0001")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO organization (id, name, created_at) "
                              "VALUES (1, 'DP3AP2KB', CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO training (id, organization_id, title, kind, start_date, end_date, "
                "timezone, checkin_mode, created_at) VALUES (7, 1, 'Pelatihan', 'pelatihan', "
                "'2018-09-12', '2018-09-18', 'Asia/Jakarta', 'day', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO trainingcategory (id, training_id, name, position) "
                              "VALUES (3, 7, 'Kader BKB', 0)"))
        command.upgrade(alembic_config(url), "head")
        with engine.connect() as conn:
            private, public, choice = conn.execute(text(
                "SELECT ticket_private_key, ticket_public_key, registration_batch_choice "
                "FROM training WHERE id = 7")).one()
            taken = conn.execute(text("SELECT taken FROM trainingcategory WHERE id = 3")).one()
        engine.dispose()
        claims = ticket_codes.TicketClaims(7, 1, 1, date(2018, 9, 12),
                                           date(2018, 9, 13))
        code = ticket_codes.sign_ticket(claims, bytes(private))
        assert ticket_codes.verify_ticket(code, bytes(public)) == claims
        assert not choice and taken == (0,)


def test_0012_normalises_narasumber_phones_like_participants() -> None:
    with fresh_database(DB_KIND, "mig") as url:
        command.upgrade(alembic_config(url), "0011_accounts")
        engine = create_engine(url)
        typed = {1: "0812-6610-4521", 2: "62 813 7441 2088", 3: "+6285263317740",
                 4: "(0751) 55-1234", 5: "lewat sekretariat", 6: None}
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO organization (id, name, created_at) "
                              "VALUES (1, 'DP3AP2KB', CURRENT_TIMESTAMP)"))
            for sid, phone in typed.items():
                conn.execute(text("INSERT INTO speaker (id, organization_id, name, phone, "
                                  "created_at) VALUES (:id, 1, 'Narasumber', :phone, "
                                  "CURRENT_TIMESTAMP)"), {"id": sid, "phone": phone})
        command.upgrade(alembic_config(url), "0012_certificate_layout")
        with engine.connect() as conn:
            phones = dict(conn.execute(text("SELECT id, phone FROM speaker")).all())
        engine.dispose()
        # Four shapes agree; what is not a number is left for the committee to see.
        assert phones == {1: "+6281266104521", 2: "+6281374412088", 3: "+6285263317740",
                          4: "+62751551234", 5: "lewat sekretariat", 6: None}


def test_0034_starts_the_announcement_of_a_retention_setting_already_on() -> None:
    with fresh_database(DB_KIND, "mig") as url:
        command.upgrade(alembic_config(url), "0033_checkin_index")
        engine = create_engine(url)
        with engine.begin() as conn:
            for oid, years in ((1, 3), (2, None)):
                conn.execute(text("INSERT INTO organization (id, name, created_at, "
                                  "retention_years) VALUES (:id, 'Dinas ' || :id, "
                                  "'2018-01-01 00:00:00', :years)"),
                             {"id": oid, "years": years})
        before = datetime.now(UTC).replace(microsecond=0)
        command.upgrade(alembic_config(url), "0034_retention_since")
        with engine.connect() as conn:
            since = dict(conn.execute(text("SELECT id, retention_since FROM organization")
                                      ).all())
        engine.dispose()
        # The setting already on is announced from the upgrade on, not from 2018 (which
        # would remove old papers on the worker's next run, unannounced); none is off.
        stamped = since[1] if isinstance(since[1], datetime) \
            else datetime.fromisoformat(str(since[1]))
        stamped = stamped if stamped.tzinfo else stamped.replace(tzinfo=UTC)
        assert before - timedelta(seconds=5) <= stamped <= datetime.now(UTC)
        assert since[2] is None
