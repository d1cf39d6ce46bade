"""What each kind of message says, on each channel, for one person.

Always Indonesian: a message goes to a participant's phone or inbox, not to the
committee member's screen. WhatsApp's first contact must be an approved template, so a
WhatsApp message is a template name and its body parameters, in this order (register
the templates with Meta with these placeholders):

  ticket       {{1}} name, {{2}} training and batch, {{3}} dates and place, {{4}} ticket link
  reminder     {{1}} name, {{2}} training and batch, {{3}} the day, {{4}} place, {{5}} ticket link
  certificate  {{1}} name, {{2}} training, {{3}} certificate link
  custom       {{1}} name, {{2}} the committee's text
  test         {{1}} name, {{2}} the test's title, {{3}} training and batch, {{4}} the person's
               own link to the test (/t/{token}/tes/{id})
  evaluation   {{1}} name, {{2}} training and batch, {{3}} the person's own link to the
               evaluation forms (/t/{token}/evaluasi)

The `body` kept beside them is the whole message as the committee's log shows it (and as
the wa.me link fills in where no WhatsApp account is configured).
"""

import html
import re
from dataclasses import dataclass
from datetime import date

from service.i18n import use_locale
from service.i18n.formats import fmt_date
from service.services import mailer
from service.services.whatsapp import certificate_message, ticket_message
from service.settings import Settings

# The committee's own text may name these; anything else in braces stays as typed.
PLACEHOLDERS = ("nama", "pelatihan", "angkatan", "tanggal", "tempat", "tiket")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Facts:
    """What a message may say about one person's place in a training."""

    name: str
    training: str
    organization: str
    batch: str
    dates: str
    place: str
    ticket_url: str
    certificate_url: str = ""
    day: date | None = None  # a reminder's day
    link: str = ""  # a test's or the evaluations' page behind the ticket
    test_title: str = ""  # a test's title (kind "test")


@dataclass(frozen=True)
class Content:
    """One message's words, for both channels: a channel takes what it needs."""

    body: str
    subject: str
    template_kind: str  # which configured WhatsApp template
    params: tuple[str, ...]
    link: str  # the one link the message is about (for the email's button)
    link_label: str


def _about(f: Facts) -> str:
    return f"{f.training} ({f.batch})" if f.batch else f.training


def _day_text(day: date) -> str:
    with use_locale("id"):
        return fmt_date(day, weekday=True)


def ticket(f: Facts) -> Content:
    where = ", ".join(p for p in (f.dates, f.place) if p)
    # The words of the wa.me link the committee sent by hand before the outbox.
    body = ticket_message(f.name, f.training, f.batch, f.dates, f.place or None, f.ticket_url)
    return Content(body, f"Tiket {_about(f)}", "ticket",
                   (f.name, _about(f), where or "-", f.ticket_url), f.ticket_url,
                   "Buka tiket Anda (kode QR)")


def reminder(f: Facts) -> Content:
    day = _day_text(f.day) if f.day else f.dates
    body = (f"Yth. Bapak/Ibu {f.name},\n"
            f"Mengingatkan: {_about(f)} berlangsung {day}"
            + (f" di {f.place}" if f.place else "") + ".\n"
            f"Tiket Anda (kode QR untuk registrasi): {f.ticket_url}\n"
            "Sampai jumpa. Terima kasih.")
    return Content(body, f"Pengingat: {_about(f)}, {day}", "reminder",
                   (f.name, _about(f), day, f.place or "-", f.ticket_url), f.ticket_url,
                   "Buka tiket Anda (kode QR)")


def certificate(f: Facts) -> Content:
    body = certificate_message(f.name, f.training, f.certificate_url)
    return Content(body, f"Sertifikat {f.training}", "certificate",
                   (f.name, f.training, f.certificate_url), f.certificate_url,
                   "Unduh sertifikat Anda (PDF)")


def custom(f: Facts, text: str) -> Content:
    values = {"nama": f.name, "pelatihan": f.training, "angkatan": f.batch,
              "tanggal": f.dates, "tempat": f.place, "tiket": f.ticket_url}
    filled = _PLACEHOLDER.sub(lambda m: values[m.group(1)], text.strip())
    body = f"Yth. Bapak/Ibu {f.name},\n{filled}"
    link = f.ticket_url if f.ticket_url in filled else ""
    return Content(body, f"Pesan panitia: {f.training}", "custom", (f.name, filled), link,
                   "Buka tiket Anda" if link else "")


def test(f: Facts) -> Content:
    body = (f"Yth. Bapak/Ibu {f.name},\n"
            f"Silakan mengerjakan {f.test_title} {_about(f)} melalui tautan pribadi "
            "Anda berikut (tanpa login; jawaban tersimpan di ponsel sampai terkirim):\n"
            f"{f.link}\n"
            "Terima kasih.")
    return Content(body, f"{f.test_title}: {_about(f)}", "test",
                   (f.name, f.test_title, _about(f), f.link), f.link,
                   f"Kerjakan {f.test_title}")


def evaluation(f: Facts) -> Content:
    body = (f"Yth. Bapak/Ibu {f.name},\n"
            f"Mohon isi evaluasi narasumber dan penyelenggaraan {_about(f)} melalui "
            "tautan pribadi Anda berikut. Jawaban Anda disimpan tanpa nama.\n"
            f"{f.link}\n"
            "Terima kasih.")
    return Content(body, f"Evaluasi {_about(f)}", "evaluation",
                   (f.name, _about(f), f.link), f.link, "Isi evaluasi")


def action_reminder(focal_name: str, unit: str, titles: list[str], due: date, link: str
                    ) -> Content:
    """A unit's focal point: its overdue follow-up action(s) and the unit's own link
    (kind "action_reminder"; template {{1}} name, {{2}} unit, {{3}} the actions,
    {{4}} the earliest due day, {{5}} the unit's link)."""
    what = "; ".join(titles)
    day = _day_text(due)
    body = (f"Yth. Bapak/Ibu {focal_name or 'Penanggung jawab ' + unit},\n"
            f"Rencana tindak lanjut {unit} berikut telah melewati tenggat ({day}): {what}.\n"
            f"Mohon perbarui statusnya dan unggah buktinya melalui tautan unit Anda:\n{link}\n"
            "Terima kasih.")
    return Content(body, f"Tindak lanjut terlambat: {unit}", "action_reminder",
                   (focal_name or unit, unit, what, day, link), link, "Perbarui tindak lanjut")


def nomination_reminder(focal_name: str, unit: str, training: str, named: int, quota: int,
                        deadline: str, link: str) -> Content:
    """A unit's focal point: how many of its delegates are named, by when, and the unit's
    own link (kind "nomination_reminder"; template {{1}} name, {{2}} unit, {{3}} training,
    {{4}} "3 dari 8", {{5}} the deadline, {{6}} the unit's link)."""
    filled = f"{named} dari {quota}"
    body = (f"Yth. Bapak/Ibu {focal_name or 'Penanggung jawab ' + unit},\n"
            f"Nama peserta {unit} untuk {training} baru terisi {filled}. "
            f"Mohon lengkapi nama peserta dan unggah surat tugas sebelum {deadline} "
            f"melalui tautan unit Anda:\n{link}\n"
            "Terima kasih.")
    return Content(body, f"Nominasi peserta: {unit}", "nomination_reminder",
                   (focal_name or unit, unit, training, filled, deadline, link), link,
                   "Isi nama peserta")


def template_name(settings: Settings, kind: str) -> str:
    return str(getattr(settings, f"whatsapp_template_{kind}"))


def email(content: Content, f: Facts) -> tuple[str, str]:
    """(text, html) of the email: the message and the committee's signature. The link
    that stops further messages is added when it is sent (stop_footer), since it names
    the message's row. A ticket is the ticket email the office sent before the outbox."""
    if content.template_kind == "ticket":
        mail = mailer.ticket_email(f.name, f.training, f.organization, f.batch, f.dates,
                                   f.place or None, f.ticket_url, to="")
        return mail.text, mail.html
    signature = f"Hormat kami,\nPanitia {f.organization}".strip()
    return f"{content.body}\n\n{signature}\n", _html(content, f.organization)


def _html(content: Content, organization: str) -> str:
    e = html.escape  # names, titles and the committee's text are typed in by people
    paragraphs = "".join(f"<p>{_linked(e(line))}</p>" for line in content.body.split("\n")
                         if line.strip())
    button = (f'<p><a href="{e(content.link)}">{e(content.link_label)}</a></p>'
              if content.link and content.link_label else "")
    return ("<!DOCTYPE html><html lang=\"id\"><body>"
            f"{paragraphs}{button}"
            f"<p>Hormat kami,<br>Panitia {e(organization)}</p>"
            "</body></html>")


def stop_footer(text: str, html_body: str | None, unsubscribe_url: str
                ) -> tuple[str, str | None]:
    """The email with the link that stops further messages at its foot."""
    ask = "Tidak ingin menerima pesan lagi dari panitia?"
    text = f"{text.rstrip()}\n\n--\n{ask} {unsubscribe_url}\n"
    if html_body is None:
        return text, None
    foot = (f'<hr><p style="font-size:small;color:#555">{ask} '
            f'<a href="{html.escape(unsubscribe_url)}">Berhenti menerima pesan</a></p>')
    head, marker, tail = html_body.rpartition("</body>")
    return text, (f"{head}{foot}{marker}{tail}" if marker else html_body + foot)


def _linked(escaped: str) -> str:
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
