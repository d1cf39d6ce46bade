"""WhatsApp click-to-chat links for tickets."""

from urllib.parse import parse_qs, urlsplit

import pytest

from service.services.whatsapp import ticket_message, whatsapp_link

URL = "http://127.0.0.1:8000/t/AbC123"


def message() -> str:
    return ticket_message("Nur'aini", "Bimtek Pengelola Kampung KB", "Angkatan I",
                          "12–13 September 2018", "Rumah Makan Kakap", URL)


def test_link_has_only_digits_after_wa_me():
    link = whatsapp_link("+62 812-3456-7890", "Halo")
    assert link == "https://wa.me/6281234567890?text=Halo"


def test_national_number_is_read_as_indonesian():
    assert whatsapp_link("081234567890", "x").startswith("https://wa.me/6281234567890?")


def test_text_is_url_encoded_and_round_trips():
    text = "Tiket & info? #1 /t/abc 100% — selesai\nbaris 2"
    link = whatsapp_link("+6281234567890", text)
    query = urlsplit(link).query
    assert " " not in query and "\n" not in query and "&" not in query and "#" not in query
    assert parse_qs(query)["text"] == [text]


def test_phone_without_digits_is_refused():
    with pytest.raises(ValueError):
        whatsapp_link("+", "x")


def test_message_is_indonesian_and_contains_the_ticket_url():
    text = message()
    assert text.startswith("Yth. Bapak/Ibu Nur'aini,")
    assert URL in text
    assert "Bimtek Pengelola Kampung KB (Angkatan I, 12–13 September 2018, Rumah Makan Kakap)" \
        in text
    assert "Tunjukkan kode QR" in text
    assert parse_qs(urlsplit(whatsapp_link("+6281234567890", text)).query)["text"] == [text]


def test_message_leaves_out_a_missing_venue():
    text = ticket_message("Budi", "Workshop", "Angkatan II", "3 Mei", None, URL)
    assert "(Angkatan II, 3 Mei):" in text
