"""The training form takes any number of participant categories in one pass: quotas stay
with their names, and "Add rows" without JavaScript brings the form back with more rows."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from service.models import Training, TrainingCategory
from tests import factories
from tests.helpers import login_page_client

NAMES = ["Bappeda", "Dinas Kesehatan", "Dinas PMD", "Dinas PPAKB", "Kader BKB", "Kader BKR",
         "Kader BKL", "PKB/PLKB"]
FORM = {"title": "Workshop Kampung KB Sumatera Selatan", "kind": "workshop",
        "start_date": "2022-08-24", "end_date": "2022-08-26", "timezone": "Asia/Jakarta"}


@pytest.fixture
def csrf(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def saved(db: Session) -> list[tuple[str, int | None]]:
    return [(name, quota) for name, quota in db.exec(
        select(TrainingCategory.name, TrainingCategory.quota)
        .order_by(col(TrainingCategory.position))).all()]


def test_eight_categories_are_saved_in_one_pass_with_their_quotas(
        client: TestClient, csrf: str, db: Session) -> None:
    quotas = ["20", "", "18", "", "", "40", "", "12"]
    r = client.post("/trainings", data={**FORM, "csrf_token": csrf, "category_name": NAMES,
                                         "category_quota": quotas}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert saved(db) == [(n, int(q) if q else None) for n, q in zip(NAMES, quotas, strict=True)]


def test_add_rows_brings_the_form_back_unsaved_with_more_blank_rows(
        client: TestClient, csrf: str, db: Session) -> None:
    r = client.post("/trainings", data={**FORM, "csrf_token": csrf, "add_rows": "8",
                                         "category_name": ["Bappeda", "", ""],
                                         "category_quota": ["30", "", ""]})
    assert r.status_code == 200
    assert db.exec(select(func.count()).select_from(Training)).one() == 0
    names = re.findall(r'name="category_name" value="([^"]*)"', r.text)
    assert names == ["Bappeda"] + [""] * 8
    assert 'name="category_quota" value="30"' in r.text
    assert 'value="Workshop Kampung KB Sumatera Selatan"' in r.text
    assert re.search(r'name="add_rows" value="13"', r.text)


def test_add_rows_on_the_edit_form_changes_nothing(client: TestClient, csrf: str, db: Session,
                                                   org: Any) -> None:
    t = factories.training(db, org, categories=("Kader BKB",))
    factories.committed(db)
    r = client.post(f"/trainings/{t.id}/edit", data={
        **FORM, "csrf_token": csrf, "add_rows": "999", "category_name": ["Kader BKB", "PKB"],
        "category_quota": ["", ""]})
    assert r.status_code == 200
    assert saved(db) == [("Kader BKB", None)]
    assert len(re.findall(r'name="category_name"', r.text)) == 2 + 50  # at most 50 blank


def test_the_form_offers_a_script_free_add_rows_button(client: TestClient, csrf: str) -> None:
    page = client.get("/trainings/new").text
    assert re.search(r'<button type="submit" name="add_rows" value="8" formnovalidate', page)
    assert 'data-add-row="#category-rows"' in page
    assert '<script src="/static/js/category-rows.js" defer></script>' in page
    # Enter in a field saves: the first submit button of the form is not "Add rows".
    first = re.search(r'<form method="post" action="/trainings"[^>]*>\s*<button([^>]*)>', page)
    assert first is not None and "add_rows" not in first.group(1)
    assert client.get("/static/js/category-rows.js").status_code == 200
