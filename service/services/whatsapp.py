"""WhatsApp click-to-chat links, and the words of the ticket and certificate messages
(the same whether the committee sends them by hand or the outbox sends them).

The committee sends from its own phone (no WhatsApp Business API account needed):
the page shows a wa.me link per participant with the message already filled in.
"""

import re
from urllib.parse import quote


def whatsapp_link(phone_e164: str, text: str) -> str:
    """https://wa.me/<digits>?text=<message>, as WhatsApp documents it."""
    digits = re.sub(r"\D", "", phone_e164)
    # wa.me wants the full international number; a national 08... number that slipped
    # through would open a chat with a stranger abroad, so it is read as Indonesian.
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits:
        raise ValueError("phone number has no digits")
    # safe="" so that &, ?, # and / in the message cannot break out of the parameter.
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"


def ticket_message(name: str, training_title: str, batch_name: str, dates_text: str,
                   venue: str | None, ticket_url: str) -> str:
    """The ticket message, always in Indonesian: it goes to the participant's phone,
    not to the committee member's UI language. Only the name is personal data here."""
    details = ", ".join(part for part in (batch_name, dates_text, venue) if part)
    about = f"{training_title} ({details})" if details else training_title
    return (f"Yth. Bapak/Ibu {name},\n"
            f"Tiket Anda untuk {about}:\n"
            f"{ticket_url}\n"
            "Tunjukkan kode QR pada tiket di meja registrasi. Terima kasih.")


def certificate_message(name: str, training_title: str, url: str) -> str:
    """Always in Indonesian: it goes to the participant, whatever the committee's UI."""
    return (f"Yth. Bapak/Ibu {name},\n"
            f"Terima kasih telah mengikuti {training_title}. Sertifikat Anda dapat "
            f"diunduh di:\n{url}\n"
            "Sertifikat memuat kode QR untuk memeriksa keasliannya. Terima kasih.")
