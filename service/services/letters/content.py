"""The text of each letter, made from the training's data as it is now (a letter issued
last week and downloaded again today keeps its number and date, and shows today's
timetable). The letters are written in Indonesian whatever the screen's language: they are
official letters (tata naskah dinas), sent to offices that read Indonesian."""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from service.i18n import use_locale
from service.i18n.formats import WEEKDAYS, fmt_date, fmt_range, fmt_time
from service.models import (
    AgendaSession,
    Batch,
    EventPerson,
    IssuedLetter,
    LetterSettings,
    Organization,
    OrgUnit,
    SessionSpeaker,
    Speaker,
    Training,
    TrainingUnit,
    Venue,
)
from service.models.base import as_utc, pk
from service.models.trainings import TIMEZONES
from service.rendering.letter_types import (
    Block,
    Details,
    Grid,
    Kop,
    LetterDoc,
    Link,
    Signature,
    Text,
)
from service.services import speakers as speaker_names
from service.services import training_clock as clock
from service.services.letters import issuing, settings

FILE_PREFIX = {"invitation": "undangan", "speaker_request": "permohonan-narasumber",
               "committee_assignment": "surat-tugas"}


@dataclass
class Context:
    """What every letter of one training reads, loaded once (17 invitations, one query
    each kind of data, not one per letter)."""

    training: Training
    org: Organization
    s: LetterSettings
    venue: str
    units: dict[int, tuple[TrainingUnit, OrgUnit]] = field(default_factory=dict)
    speakers: dict[int, Speaker] = field(default_factory=dict)
    sessions: dict[int, list[tuple[AgendaSession, Batch]]] = field(default_factory=dict)
    agenda: list[tuple[date, list[str]]] = field(default_factory=list)
    committee: list[EventPerson] = field(default_factory=list)
    batch_count: int = 1


def _venue(db: Session, training: Training) -> str:
    venue = db.get(Venue, training.venue_id) if training.venue_id else None
    if venue is None:
        return "-"
    return ", ".join(p for p in (venue.name, venue.address) if p)


def context(db: Session, training: Training) -> Context:
    s = settings.require(db, training.organization_id)
    org = db.get(Organization, training.organization_id)
    assert org is not None  # the foreign key keeps it
    ctx = Context(training, org, s, _venue(db, training))
    ctx.units = {pk(u): (tu, u) for tu, u in issuing.invited_units(db, training)}
    rows = db.exec(select(AgendaSession, Batch, SessionSpeaker.speaker_id)
                   .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                   .join(SessionSpeaker, col(SessionSpeaker.session_id) == AgendaSession.id,
                         isouter=True)
                   .where(Batch.training_id == pk(training))
                   .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                             col(Batch.position), col(Batch.id))).all()
    by_day: dict[date, list[str]] = defaultdict(list)
    batches: set[int] = set()
    for session, batch, speaker_id in rows:
        batches.add(pk(batch))
        if speaker_id is not None:
            ctx.sessions.setdefault(speaker_id, []).append((session, batch))
        if session.kind != "break" and session.title not in by_day[session.date]:
            by_day[session.date].append(session.title)
    ctx.agenda = sorted(by_day.items())
    ctx.batch_count = max(1, len(batches))
    ctx.speakers = {pk(sp): sp for sp in issuing.training_speakers(db, training)}
    ctx.committee = issuing.committee(db, training)
    return ctx


def _kop(ctx: Context) -> Kop:
    return Kop(lines=list(ctx.s.header_lines), logo_png=ctx.org.logo_png)


def _signature(ctx: Context, place_date: str = "") -> Signature:
    return Signature(place_date=place_date, position=ctx.s.signatory_position,
                     name=ctx.s.signatory_name, nip=ctx.s.signatory_nip)


def _days(t: Training) -> str:
    """"Rabu s.d. Jumat, 24–26 Agustus 2022" (or one day with its weekday)."""
    if t.start_date == t.end_date:
        return fmt_date(t.start_date, weekday=True)
    names = WEEKDAYS["id"]
    return (f"{names[t.start_date.weekday()]} s.d. {names[t.end_date.weekday()]}, "
            f"{fmt_range(t.start_date, t.end_date)}")


def _place_date(ctx: Context, on: date) -> str:
    return f"{ctx.s.place}, {fmt_date(on)}"


def _closing(ctx: Context, thanks: str) -> list[Block]:
    out: list[Block] = []
    if ctx.s.contact:
        out.append(Text(f"Informasi lebih lanjut dapat menghubungi {ctx.s.contact}."))
    return [*out, Text(thanks)]


def _deadline(t: Training, moment: datetime) -> str:
    """"Rabu, 5 September 2018 pukul 23.59 WIB"."""
    local = clock.local(t, as_utc(moment))
    return (f"{fmt_date(local.date(), weekday=True)} pukul {fmt_time(local.time())} "
            f"{TIMEZONES.get(t.timezone, '')}").strip()


def invitation(ctx: Context, letter: IssuedLetter) -> LetterDoc:
    t = ctx.training
    found = ctx.units.get(letter.unit_id or 0)
    tu, unit = found if found else (None, None)
    unit_name = unit.name if unit else letter.recipient
    deadline = _deadline(t, tu.deadline) if tu and tu.deadline else ""
    rows = [("Hari/tanggal", _days(t)), ("Tempat", ctx.venue),
            ("Jumlah peserta", f"{tu.quota} orang" if tu else "-")]
    if deadline:
        rows.append(("Batas pengiriman nama", deadline))
    body: list[Block] = [
        Text(f"Dengan hormat, {ctx.org.name} akan menyelenggarakan {t.title}. Sehubungan "
             f"dengan hal tersebut, kami mengundang {unit_name} untuk menugaskan peserta "
             "dengan ketentuan sebagai berikut:"),
        Details(rows),
    ]
    if letter.link_url:
        when = f" paling lambat {deadline}" if deadline else ""
        body.append(Text(f"Nama peserta beserta NIP, jabatan dan nomor telepon mohon "
                         f"didaftarkan melalui tautan khusus {unit_name} berikut{when}; "
                         "surat tugas peserta diunggah melalui tautan yang sama."))
        body.append(Link(letter.link_url, "Pindai kode QR atau buka tautan:"))
    appendix: list[Block] = []
    if ctx.agenda:
        body.append(Text("Susunan acara kegiatan sebagaimana terlampir."))
        appendix = [Grid(["No", "Hari, tanggal", "Acara"],
                         [[str(i), fmt_date(d, weekday=True), "; ".join(titles)]
                          for i, (d, titles) in enumerate(ctx.agenda, start=1)],
                         [1.0, 5.0, 10.5])]
    body += _closing(ctx, "Demikian undangan ini kami sampaikan. Atas perhatian dan kerja "
                          "sama Bapak/Ibu diucapkan terima kasih.")
    city = unit_name[5:] if unit_name.startswith("Kota ") else "Tempat"
    return LetterDoc(kop=_kop(ctx), number=letter.number, signature=_signature(ctx),
                     body=body, document_title=f"Undangan {t.title}",
                     date_line=_place_date(ctx, letter.letter_date), nature="Penting",
                     attachment="1 (satu) lembar" if appendix else "-",
                     subject=f"Undangan {t.title}",
                     addressee=[f"Yth. {letter.recipient}", "di", city],
                     appendix_title="Susunan Acara", appendix=appendix)


def speaker_request(ctx: Context, letter: IssuedLetter) -> LetterDoc:
    t = ctx.training
    sp = ctx.speakers.get(letter.speaker_id or 0)
    sessions = ctx.sessions.get(letter.speaker_id or 0, [])
    many = ctx.batch_count > 1
    head = ["No", "Hari, tanggal", "Waktu", "Materi", *(["Angkatan"] if many else []), "JPL"]
    rows = [[str(i), fmt_date(s.date, weekday=True),
             f"{fmt_time(s.start_time)}–{fmt_time(s.end_time)}", s.title,
             *([b.name] if many else []), str(s.counted_jpl)]
            for i, (s, b) in enumerate(sessions, start=1)]
    # "09.00–10.30" on one line: the time column fits it at the letter's font size.
    widths = [0.9, 3.7, 2.8, 5.1, 2.3, 1.2] if many else [0.9, 4.2, 2.8, 6.9, 1.2]
    total = sum(s.counted_jpl for s, _b in sessions)
    body: list[Block] = [
        Text(f"Dalam rangka pelaksanaan {t.title} yang diselenggarakan oleh {ctx.org.name} "
             f"pada {_days(t)} bertempat di {ctx.venue}, dengan hormat kami mohon kesediaan "
             "Bapak/Ibu untuk menjadi narasumber dan menyampaikan materi pada sesi berikut:"),
        Grid(head, rows, widths, centered=(0, len(head) - 1)),
        Text(f"Jumlah: {total} JPL (1 JPL = 45 menit).", plain=True),
        Text("Bahan paparan mohon dapat dikirimkan kepada panitia sebelum kegiatan "
             "dilaksanakan."),
    ]
    body += _closing(ctx, "Demikian permohonan ini kami sampaikan. Atas perhatian dan "
                          "kesediaan Bapak/Ibu diucapkan terima kasih.")
    addressee = [f"Yth. {letter.recipient}"]
    if sp and (sp.position or sp.institution):
        addressee.append(" ".join(p for p in (sp.position, sp.institution) if p))
    if sp is not None:
        addressee[0] = f"Yth. {speaker_names.display_name(sp)}"
    return LetterDoc(kop=_kop(ctx), number=letter.number, signature=_signature(ctx),
                     body=body, document_title=f"Permohonan Narasumber {t.title}",
                     date_line=_place_date(ctx, letter.letter_date), nature="Penting",
                     attachment="-", subject="Permohonan Narasumber",
                     addressee=[*addressee, "di", "Tempat"])


def committee_assignment(ctx: Context, letter: IssuedLetter) -> LetterDoc:
    t = ctx.training
    rows = [[str(i), p.name, p.nip or "-", p.position or "-", p.committee_role or "Anggota"]
            for i, p in enumerate(ctx.committee, start=1)]
    body: list[Block] = [
        Text("Yang bertanda tangan di bawah ini:", plain=True),
        Details([("Nama", ctx.s.signatory_name),
                 *([("NIP", ctx.s.signatory_nip)] if ctx.s.signatory_nip else []),
                 ("Jabatan", ctx.s.signatory_position)]),
        Text("MENUGASKAN:", center=True),
        Text("Kepada:", plain=True),
        Grid(["No", "Nama", "NIP", "Jabatan", "Kedudukan dalam panitia"], rows,
             [0.9, 4.3, 4.3, 3.8, 3.2]),
        Text("Untuk:", plain=True),
        Text(f"1. Melaksanakan tugas sebagai panitia {t.title} pada {_days(t)} bertempat di "
             f"{ctx.venue};", plain=True),
        Text("2. Melaksanakan tugas ini dengan penuh tanggung jawab dan melaporkan "
             f"hasilnya kepada {ctx.s.signatory_position}.", plain=True),
        Text("Demikian surat tugas ini dibuat untuk dilaksanakan sebagaimana mestinya."),
    ]
    return LetterDoc(kop=_kop(ctx), number=letter.number,
                     signature=_signature(ctx, _place_date(ctx, letter.letter_date)),
                     body=body, document_title=f"Surat Tugas Panitia {t.title}",
                     title="SURAT TUGAS")


BUILDERS = {"invitation": invitation, "speaker_request": speaker_request,
            "committee_assignment": committee_assignment}


def document(db: Session, letter: IssuedLetter) -> LetterDoc:
    training = db.get(Training, letter.training_id)
    assert training is not None  # the foreign key keeps it
    with use_locale("id"):
        return BUILDERS[letter.kind](context(db, training), letter)


def documents(db: Session, training: Training, letters: list[IssuedLetter]
              ) -> list[tuple[str, LetterDoc]]:
    """(file name without extension, letter) for each; names safe and unique."""
    ctx = context(db, training) if letters else None
    out: list[tuple[str, LetterDoc]] = []
    seen: set[str] = set()
    with use_locale("id"):
        for letter in letters:
            assert ctx is not None
            name = filename(letter)
            while name in seen:
                name += "-b"
            seen.add(name)
            out.append((name, BUILDERS[letter.kind](ctx, letter)))
    return out


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:80] or "surat"


def filename(letter: IssuedLetter) -> str:
    """"003-undangan-bupati-ogan-ilir": ASCII letters, digits and dashes only."""
    return f"{letter.seq:03d}-{FILE_PREFIX[letter.kind]}-{slug(letter.recipient)}"


BUNDLE_NAMES = {"invitation": "undangan", "speaker_request": "permohonan-narasumber",
                "committee_assignment": "surat-tugas", None: "surat"}


def bundle_name(training: Training, kind: str | None, ext: str) -> str:
    """"undangan-workshop-penguatan-kampung-kb.zip"."""
    return f"{BUNDLE_NAMES.get(kind, 'surat')}-{slug(training.title)[:60]}.{ext}"
