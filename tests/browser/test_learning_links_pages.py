"""The participants' own links to a test and to the evaluations, sent from the test page
and the evaluations page (queued as messages, once per person); the projector QR of the
event's evaluation; the report page's learning charts. On a server of its own with
WhatsApp and email set up and no embedded worker, so what the pages queue stays queued."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.db import make_engine, writer_bind
from service.models import Message, Organization
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate
from service.services.assessments import answering, bank, windows
from tests import factories
from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    htmx_idle,
    login,
    no_horizontal_overflow,
)
from tests.live import live_app

pytestmark = pytest.mark.browser
EMAIL = "panitia@dp3ap2kb.padang.test"
PASSWORD = "kampung-kb-x" + secrets.token_hex(6)
SERVER_ENV = {"BIMTEK_SMTP_HOST": "127.0.0.1", "BIMTEK_SMTP_PORT": "9",
              "BIMTEK_WHATSAPP_API_URL": "http://127.0.0.1:9/v21.0",
              "BIMTEK_WHATSAPP_TOKEN": "token-uji", "BIMTEK_WHATSAPP_PHONE_NUMBER_ID": "1",
              "BIMTEK_WORKER_EMBEDDED": "false"}
SHOTS = ARTIFACTS
QUESTIONS = [{"text": "Kepanjangan BKB adalah ...",
              "choices": ["Bina Keluarga Balita", "Bina Kesehatan Bayi"], "answer": "a"},
             {"text": "Kampung KB dicanangkan tahun 2016.", "choices": ["Benar", "Salah"],
              "answer": "Benar"}]


@dataclass
class Served:
    base_url: str
    engine: Engine


@dataclass
class Office:
    training_id: int
    batch_id: int
    pretest_id: int
    tokens: list[str]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with live_app("learning-links", EMAIL, PASSWORD, env=SERVER_ENV) as (client, url):
        engine = make_engine(url)
        try:
            yield Served(str(client.base_url).rstrip("/"), engine)
        finally:
            engine.dispose()


def _office(served: Served, answered: bool = False) -> Office:
    """A training under way (its batch began yesterday): six cadres, a pre-test open to the
    batch (and, `answered`, a post-test; both answered by everyone)."""
    start = (datetime.now(UTC) - timedelta(days=1)).date()
    with Session(writer_bind(served.engine), expire_on_commit=False) as db:
        org = db.exec(select(Organization)).first()
        assert org is not None
        t = factories.training(db, org, f"Pelatihan Kader Kampung KB Kota Padang "
                                        f"{secrets.token_hex(2)}", start=start, days=3)
        b = factories.batch(db, t, "Angkatan I", start=start, days=3)
        regs = factories.register_many(db, t, b, 6)
        tests = []
        for kind in ("pretest", "posttest") if answered else ("pretest",):
            a = bank.create_assessment(db, t, AssessmentCreate.model_validate(
                {"kind": kind, "title": f"{kind.title()} Kampung KB", "questions": QUESTIONS}))
            windows.set_open(db, a, pk(b), True)
            tests.append(a)
        if answered:
            for n, reg in enumerate(regs):
                answering.submit(db, reg, pk(tests[0]), [0 if n % 2 else 1, 1])
                answering.submit(db, reg, pk(tests[1]), [0, 0 if n != 5 else 1])
        db.commit()
        return Office(pk(t), pk(b), pk(tests[0]), [r.ticket_token for r in regs])


def _messages(served: Served, training_id: int) -> list[Message]:
    with Session(served.engine) as db:
        return list(db.exec(select(Message).where(Message.training_id == training_id)
                            .order_by(col(Message.id))).all())


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Page]:
    context = browser.new_context(base_url=served.base_url, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    login(pg, EMAIL, PASSWORD)
    yield pg
    context.close()


def test_the_test_page_sends_each_participant_their_link_once(page: Page,
                                                              served: Served) -> None:
    o = _office(served)
    page.goto(f"/trainings/{o.training_id}/tests/{o.pretest_id}")
    form = page.locator("#links-form")
    expect(form).to_be_visible()  # loaded in place
    expect(page.locator("#links-button")).to_have_text("Kirim tautan ke peserta Angkatan I")
    page.locator("#send-links").screenshot(path=f"{SHOTS}/learning-links-test.png")
    page.locator("#links-button").click()
    expect(page.locator("#links-notice")).to_contain_text("6 tautan masuk antrean")
    rows = _messages(served, o.training_id)
    assert [m.kind for m in rows] == ["test"] * 6
    assert rows[0].body.endswith(f"/t/{o.tokens[0]}/tes/{o.pretest_id}\nTerima kasih.")
    page.locator("#links-button").click()
    expect(page.locator("#links-notice")).to_contain_text("Tidak ada tautan baru")
    assert len(_messages(served, o.training_id)) == 6
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#links-form")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/learning-links-test-phone.png", full_page=True)
    no_horizontal_overflow(page)


def test_the_evaluations_page_sends_the_evaluation_link(page: Page, served: Served) -> None:
    o = _office(served)
    page.goto(f"/trainings/{o.training_id}/evaluations")
    expect(page.locator("#links-form")).to_be_visible()
    page.locator("#links-only").select_option("")
    page.locator("#links-button").click()
    expect(page.locator("#links-notice")).to_contain_text("6 tautan masuk antrean")
    rows = _messages(served, o.training_id)
    assert {m.kind for m in rows} == {"evaluation"} and len(rows) == 6
    page.screenshot(path=f"{SHOTS}/learning-links-evaluations.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    htmx_idle(page)
    no_horizontal_overflow(page)


def test_the_event_qr_opens_the_event_form_on_the_phone_that_holds_a_ticket(
        page: Page, served: Served, browser: Any) -> None:
    o = _office(served)
    page.goto(f"/trainings/{o.training_id}/evaluations")
    with page.context.expect_page() as opened:
        page.locator("#ev-event-screen").click()
    screen = opened.value
    expect(screen.locator("#ev-screen-qr svg")).to_be_visible()
    expect(screen.locator("h1")).to_have_text("Evaluasi penyelenggaraan")
    url = screen.locator("#ev-screen-url").inner_text().strip()
    assert "/e/v" in url
    screen.screenshot(path=f"{SHOTS}/learning-event-screen.png")
    phone = browser.new_context(base_url=served.base_url, viewport=PHONE, locale="id-ID")
    try:
        holder = phone.new_page()
        # A phone that opened its evaluations once goes straight to the event's form.
        holder.goto(f"/t/{o.tokens[2]}/evaluasi")
        holder.goto(url)
        expect(holder).to_have_url(f"{served.base_url}/t/{o.tokens[2]}/evaluasi/event")
        # Another phone is asked for its ticket's link first.
        other = phone.browser.new_context(base_url=served.base_url, viewport=PHONE,
                                          locale="id-ID").new_page()
        other.goto(url)
        other.locator("#ticket").fill(f"{served.base_url}/t/{o.tokens[3]}")
        other.locator("#evaluation-code-form button").click()
        expect(other).to_have_url(f"{served.base_url}/t/{o.tokens[3]}/evaluasi/event")
        other.context.close()
        bad = holder.request.get(url[:-1] + ("0" if url[-1] != "0" else "1"))
        assert bad.status == 404
    finally:
        phone.close()


def test_the_report_page_shows_the_learning_charts(page: Page, served: Served) -> None:
    o = _office(served, answered=True)
    page.goto(f"/trainings/{o.training_id}/report")
    charts = page.locator("#learning-charts")
    expect(charts).to_be_visible()
    # Pre-test: three scored 0 and three 50; post-test: five 100 and the sixth 50 again.
    expect(page.locator("#lc-gain-counts")).to_have_text("5 naik, 1 tetap, 0 turun")
    page.locator("#lc-people summary").click()
    expect(page.locator("#lc-people tbody tr")).to_have_count(6)
    charts.screenshot(path=f"{SHOTS}/learning-report-charts.png")
    page.set_viewport_size(PHONE)
    page.reload()
    charts.screenshot(path=f"{SHOTS}/learning-report-charts-phone.png")
    no_horizontal_overflow(page)
