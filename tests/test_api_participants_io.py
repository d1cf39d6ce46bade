"""Import, assignment and tickets through the JSON API, as outside clients use them."""

import io
import socket
from typing import Any

import pytest
import zxingcpp
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.import_samples import PADANG_CATEGORIES, PADANG_HEADERS, make_csv, make_xlsx, padang_rows
from tests.test_api_planning import make_batch, make_training


def training(api: TestClient, capacities: tuple[int, ...] = (6, 6)) -> dict[str, Any]:
    t = make_training(api, categories=[{"name": n} for n in PADANG_CATEGORIES])
    t["batches"] = [make_batch(api, t["id"], f"Angkatan {i + 1}", capacity=c)
                    for i, c in enumerate(capacities)]
    return t


def upload(api: TestClient, tid: int, content: bytes, name: str = "peserta.xlsx",
           **data: str) -> Any:
    return api.post(f"/api/trainings/{tid}/registrations/import",
                    files={"file": (name, content, "application/octet-stream")}, data=data)


def total(api: TestClient, tid: int, **params: Any) -> int:
    return int(api.get(f"/api/trainings/{tid}/registrations", params=params).json()["total"])


# --- import ------------------------------------------------------------------------------

def test_valid_xlsx_imports_every_row_waiting_for_a_batch(api: TestClient) -> None:
    t = training(api)
    r = upload(api, t["id"], make_xlsx(padang_rows(10), PADANG_HEADERS))
    assert r.status_code == 200, r.text
    # Each row names a Kampung KB, but the office keeps no register: nothing to map.
    assert r.json() == {"imported": 10, "errors": [], "header_row": 1, "new_categories": [],
                        "kampung_kb_linked": 0, "kampung_kb_unmatched": 0}
    assert total(api, t["id"], status="waitlisted") == 10


def test_bad_rows_are_all_listed_and_nothing_is_imported(api: TestClient) -> None:
    t = training(api)
    rows = padang_rows(6)
    rows[1]["NIK"] = "1371019903850001"
    rows[3]["Nama"] = "=cmd|' /C calc'!A0"
    rows[4]["No HP"] = "12345"
    r = upload(api, t["id"], make_xlsx(rows, PADANG_HEADERS))
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "import_invalid"
    cells = {(e["row"], e["column"]) for e in body["errors"]}
    assert cells == {(3, "NIK"), (5, "Nama"), (6, "No HP")}
    assert "tanggal lahir" in body["errors"][0]["message"]
    assert total(api, t["id"]) == 0


def test_semicolon_cp1252_csv_with_english_headers(api: TestClient) -> None:
    t = training(api)
    rows = [{"name": "Nur\u2019aini Çelik", "phone": "0812 6634 1122", "district": "Koto Tangah"},
            {"name": "Sukarni", "phone": "0813 1111 2222", "district": "Kuranji"}]
    csv = make_csv(rows, ["name", "phone", "district"], delimiter=";", encoding="cp1252")
    r = upload(api, t["id"], csv, "peserta.csv")
    assert r.status_code == 200, r.text
    names = {i["name"] for i in api.get(f"/api/trainings/{t['id']}/registrations").json()["items"]}
    assert names == {"Nur\u2019aini Çelik", "Sukarni"}


def test_duplicates_in_the_file_and_against_registrations_are_reported(api: TestClient) -> None:
    t = training(api)
    rows = padang_rows(4)
    first = upload(api, t["id"], make_xlsx(rows[:2], PADANG_HEADERS))
    assert first.status_code == 200
    again = rows[2:] + [rows[0], {**rows[3], "Nama": rows[3]["Nama"]}]
    r = upload(api, t["id"], make_xlsx(again, PADANG_HEADERS))
    assert r.status_code == 422
    messages = [e["message"] for e in r.json()["errors"]]
    assert any("sudah terdaftar" in m.lower() for m in messages)
    assert any("baris 3" in m for m in messages)
    assert total(api, t["id"]) == 2


def test_unrecognised_column_can_be_mapped(api: TestClient) -> None:
    t = training(api)
    csv = make_csv([{"Peserta": "Sukarni", "HP": "081266341122"}], ["Peserta", "HP"])
    refused = upload(api, t["id"], csv, "p.csv")
    assert refused.status_code == 422 and refused.json()["code"] == "missing_name_column"
    r = upload(api, t["id"], csv, "p.csv", mapping='{"Peserta": "name"}')
    assert r.status_code == 200, r.text


def test_renamed_pdf_and_garbage_are_refused_with_4xx(api: TestClient) -> None:
    t = training(api)
    assert upload(api, t["id"], b"%PDF-1.4 not a sheet", "peserta.xlsx").status_code == 415
    assert upload(api, t["id"], b"PK\x03\x04broken", "peserta.xlsx").status_code == 422
    assert upload(api, t["id"], b"", "peserta.csv").status_code == 422


def test_file_over_10_mb_is_refused_before_parsing(api: TestClient) -> None:
    t = training(api)
    r = upload(api, t["id"], b"x" * (10 * 1024 * 1024 + 1), "peserta.csv")
    assert r.status_code == 413
    assert "10" in r.json()["message"]


def test_template_lists_the_columns_and_reimports_cleanly(api: TestClient) -> None:
    t = training(api)
    r = api.get(f"/api/trainings/{t['id']}/registrations/template.xlsx")
    assert r.status_code == 200
    imported = upload(api, t["id"], r.content, "template.xlsx")
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 1


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=st.binary(max_size=4096), name=st.sampled_from(["p.xlsx", "p.csv", "p.xls"]))
def test_any_bytes_give_4xx_or_a_clean_import_never_500(api: TestClient, content: bytes,
                                                        name: str) -> None:
    t = training(api)
    r = upload(api, t["id"], content, name)
    assert r.status_code in (200, 413, 415, 422), r.text
    if r.status_code != 200:
        assert total(api, t["id"]) == 0


# --- assignment ----------------------------------------------------------------------------

def test_assign_balanced_fills_batches_and_waitlists_the_rest(api: TestClient) -> None:
    t = training(api, capacities=(5, 5))
    upload(api, t["id"], make_xlsx(padang_rows(12), PADANG_HEADERS))
    preview = api.post(f"/api/trainings/{t['id']}/assign",
                       json={"strategy": "balanced", "dry_run": True}).json()
    assert preview["placed"] == 10 and preview["waitlisted"] == 2
    assert total(api, t["id"], status="confirmed") == 0
    r = api.post(f"/api/trainings/{t['id']}/assign", json={"strategy": "balanced"})
    assert r.status_code == 200
    assert [(b["confirmed"], b["capacity"]) for b in r.json()["batches"]] == [(5, 5), (5, 5)]
    assert r.json()["waitlisted"] == 2
    assert total(api, t["id"], status="confirmed") == 10


def test_assign_keeps_registrations_already_placed(api: TestClient) -> None:
    t = training(api, capacities=(3, 3))
    b2 = t["batches"][1]["id"]
    first = api.post(f"/api/trainings/{t['id']}/registrations",
                     json={"name": "Sukarni", "batch_id": b2}).json()
    upload(api, t["id"], make_xlsx(padang_rows(4), PADANG_HEADERS))
    api.post(f"/api/trainings/{t['id']}/assign", json={"strategy": "region"})
    assert api.get(f"/api/registrations/{first['id']}").json()["batch_id"] == b2


def test_assign_rejects_an_unknown_strategy(api: TestClient) -> None:
    t = training(api)
    r = api.post(f"/api/trainings/{t['id']}/assign", json={"strategy": "random"})
    assert r.status_code == 422


# --- tickets -----------------------------------------------------------------------------

def test_ticket_cards_pdf_has_a_scannable_code_per_confirmed_person(api: TestClient,
                                                                   tmp_path: Any) -> None:
    import subprocess

    from PIL import Image

    t = training(api, capacities=(9, 1))
    for n in range(10):
        api.post(f"/api/trainings/{t['id']}/registrations",
                 json={"name": f"Kader {n}", "phone": f"08126634{n:04d}"})
    r = api.get(f"/api/batches/{t['batches'][0]['id']}/tickets.pdf")
    assert r.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(r.content)).pages) == 2  # 9 cards, 8 per page
    (tmp_path / "cards.pdf").write_bytes(r.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "cards.pdf"), str(tmp_path / "page")], check=True)
    codes = [b.text for b in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
    assert len(codes) == 8
    for code in codes:
        assert api.post("/api/tickets/verify", json={"code": code}).status_code == 200


def test_ticket_key_is_public_only(api: TestClient) -> None:
    t = training(api)
    key = api.get(f"/api/trainings/{t['id']}/ticket-key").json()
    assert key["algorithm"] == "Ed25519" and len(key["public_key"]) == 44


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: Any) -> Any:
    from service.settings import get_settings

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setattr(get_settings(), "smtp_host", "127.0.0.1")
    monkeypatch.setattr(get_settings(), "smtp_port", port)
    yield inbox
    controller.stop()


def test_email_tickets_are_queued_for_the_worker(api: TestClient, db: Any,
                                                 smtp: _Inbox) -> None:
    from sqlmodel import select

    from service.models import Message

    t = training(api)
    a = api.post(f"/api/trainings/{t['id']}/registrations",
                 json={"name": "Hj. Nur Aisyah", "email": "aisyah@example.id"}).json()
    api.post(f"/api/trainings/{t['id']}/registrations", json={"name": "Sukarni"})
    r = api.post(f"/api/trainings/{t['id']}/tickets/email")
    assert r.status_code == 202, r.text
    assert r.json() == {"queued": 1, "without_email": 1, "opted_out": 0}
    # Nothing is sent inside the request: the worker does (tests/test_message_worker.py).
    assert smtp.messages == []
    (message,) = db.exec(select(Message).where(Message.training_id == t["id"])).all()
    assert (message.recipient, message.channel, message.status) == \
        ("aisyah@example.id", "email", "queued")
    assert a["ticket_url"].rsplit("/t/", 1)[1] in message.body


def test_email_without_smtp_is_a_clear_conflict(api: TestClient) -> None:
    t = training(api)
    r = api.post(f"/api/trainings/{t['id']}/tickets/email")
    assert r.status_code == 409 and r.json()["code"] == "channel_not_configured"
