"""An organization export while the office keeps working: a request that writes during
the export's long read must not make it fail. On SQLite the first export made the
installation's id inside that read, and the write failed ("database is locked": the
read's snapshot was older than the other commit). Seen under `make fuzz`.

The export's own sessions commit for real (as the worker's do), so this test commits
an office of its own and removes it afterwards."""

import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, update
from sqlmodel import col, select

from service.db import open_session
from service.models import AppSecret, Organization
from service.models.base import pk
from service.rendering.org_export_sheets import lists_xlsx
from service.services.org_export import jobs
from service.services.org_export.export import INSTALLATION_KEY
from service.settings import get_settings


@pytest.fixture
def committed_office(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                     ) -> Iterator[int]:
    """A committed office with no installation id yet (the first export's case)."""
    monkeypatch.setattr(get_settings(), "data_dir", str(tmp_path))
    with open_session() as db:
        kept = db.exec(select(AppSecret).where(col(AppSecret.name) == INSTALLATION_KEY)
                       ).first()
        kept_value = kept.value if kept else None
        db.execute(delete(AppSecret).where(col(AppSecret.name) == INSTALLATION_KEY))
        org = Organization(name=f"DP3AP2KB Kota Ekspor {secrets.token_hex(4)}")
        db.add(org)
        db.commit()
        org_id = pk(org)
    yield org_id
    with open_session() as db:
        db.execute(delete(Organization).where(col(Organization.id) == org_id))
        db.execute(delete(AppSecret).where(col(AppSecret.name) == INSTALLATION_KEY))
        if kept_value is not None:
            db.add(AppSecret(name=INSTALLATION_KEY, value=kept_value))
        db.commit()


def test_a_write_during_the_first_export_does_not_fail_it(committed_office: int) -> None:
    writes = 0

    def render_while_someone_writes(title: str, sheets: Sequence[Any]) -> bytes:
        # Called when the export has read every table and before it writes its manifest:
        # a committee member saves something meanwhile.
        nonlocal writes
        with open_session() as other:
            other.execute(update(Organization).where(col(Organization.id) == committed_office)
                          .values(name=Organization.name))
            other.commit()
        writes += 1
        return lists_xlsx(title, sheets)

    job = jobs.start(committed_office, render_while_someone_writes, background=False)
    assert writes == 1
    assert job.status == "done", job.error
    with open_session(write=False) as db:
        made = db.exec(select(AppSecret.value).where(col(AppSecret.name) == INSTALLATION_KEY)
                       ).one()
    assert len(made) == 32
