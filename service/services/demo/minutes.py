"""The demo's minutes (notulen) and follow-up actions (rencana tindak lanjut, issue 17).

Tangerang Selatan: the Pokja Kampung KB meeting of 16 October 2018 (demo_tangsel) gets its
minutes, decisions and actions, and an EARLIER Pokja meeting of the same programme (18
September 2018) whose open actions carry over to it: its minutes page shows them under
"Tindak lanjut rapat sebelumnya". Some actions are done with a photo or a PDF as evidence,
some in progress, some overdue (the demo's dates are past, so every open one is late).

Pontianak: a few actions agreed at the monthly coaching (demo_pontianak), carried from
one month's meeting to the next.

Built through the services the committee uses (minutes save, actions, status, evidence).
"""

import io
from datetime import date, timedelta
from typing import Any

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlmodel import Session, col, select

from service.models import FollowUpAction, Training, User
from service.models.base import pk
from service.schemas.actions import ActionCreate
from service.schemas.minutes import MinutesSave
from service.schemas.planning import TrainingCreate
from service.schemas.programs import ProgramCreate
from service.services import programs, trainings, units
from service.services.actions import core, evidence
from service.services.minutes import editing

PROGRAM_TITLE = "Pokja Kampung KB Kota Tangerang Selatan 2018"
EARLIER_TITLE = "Rapat Pokja Kampung KB Kota Tangerang Selatan (persiapan)"
EARLIER_DAY = date(2018, 9, 18)

CHAIR = ("Drs. H. Bambang Sutrisno, M.Si.", "196805141994031007",
         "Asisten Pemerintahan dan Kesejahteraan Rakyat Setda Kota Tangerang Selatan")
NOTE_TAKER = ("Rina Marlina, S.Sos.", "198203172006042011")

EARLIER_TEXT = """\
Rapat persiapan Pokja Kampung KB tingkat kota dibuka pukul 09.00 WIB oleh Asisten \
Pemerintahan dan Kesra.

1. DP3AKB melaporkan 7 Kampung KB (satu per kecamatan) telah dicanangkan; papan nama dan \
data profil keluarga belum lengkap di 3 kecamatan.
2. Kecamatan Setu dan Serpong Utara menyampaikan Pokja tingkat kelurahan belum terbentuk.
3. Dinas Kesehatan siap menjadwalkan pelayanan KB keliling di Kampung KB.
4. Bappeda meminta usulan kegiatan Kampung KB masuk Musrenbang kecamatan bulan Januari.

Rapat ditutup pukul 11.30 WIB."""
EARLIER_DECISIONS = (
    "Setiap kecamatan membentuk Pokja Kampung KB tingkat kelurahan dengan SK Lurah.",
    "Rapat Pokja tingkat kota berikutnya pada pertengahan Oktober 2018 dengan paparan "
    "setiap OPD.",
)
# title, unit, owner, due (days after the meeting), status, note, evidence
EARLIER_ACTIONS = (
    ("SK Pokja Kampung KB tingkat kelurahan", "Kecamatan Setu", "Camat Setu", 21, "open",
     "", None),
    ("SK Pokja Kampung KB tingkat kelurahan", "Kecamatan Serpong Utara", "Camat Serpong Utara",
     21, "in_progress", "Draf SK sudah di bagian hukum kecamatan.", None),
    ("Jadwal pelayanan KB keliling di 7 Kampung KB", "Dinas Kesehatan", "Kabid Kesmas", 14,
     "done", "Jadwal Oktober-Desember sudah dibagikan ke puskesmas.", "pdf"),
    ("Papan nama Kampung KB di Pondok Aren", "Kecamatan Pondok Aren", "Sekcam Pondok Aren", 14,
     "done", "Papan nama terpasang di RW 05 Pondok Kacang Timur.", "photo"),
    ("Data profil keluarga Kampung KB Pamulang", "Kecamatan Pamulang", "PKB Pamulang", 28,
     "open", "", None),
)

MEETING_TEXT = """\
Rapat Pokja Kampung KB Kota Tangerang Selatan dibuka pukul 08.45 WIB. Wali Kota dalam \
arahannya meminta Kampung KB dijalankan dengan komunikasi, kolaborasi dan evaluasi, \
"bukan sekadar seremonial", supaya kegiatan tetap berjalan setelah tahun pertama.

Paparan OPD:
1. DP3AKB: capaian Kampung KB 2018; peserta KB aktif naik di 5 dari 7 Kampung KB.
2. Dinas Kesehatan: posyandu dan imunisasi berjalan; pelayanan KB keliling sudah dua kali.
3. Disdukcapil: pelayanan jemput bola akta kelahiran dan KIA di Kampung KB.
4. Bappeda: Kampung KB masuk prioritas RKPD 2019, usulan lewat Musrenbang kecamatan.
5. Dinas Sosial: paparan ditunda, bahan belum siap; data PKH dikirim menyusul.
6. Dinas Pendidikan dan Kebudayaan: PAUD dan BKB terpadu di 4 Kampung KB.

Laporan kecamatan: Setu dan Serpong Utara belum menyelesaikan SK Pokja kelurahan \
(tindak lanjut rapat September).

Diskusi: perlunya satu data keluarga untuk semua OPD, dan jadwal evaluasi triwulanan."""
MEETING_DECISIONS = (
    "Setiap OPD menunjuk satu penghubung (focal point) Kampung KB dan melaporkan kegiatannya "
    "setiap triwulan kepada Pokja kota.",
    "Evaluasi Kampung KB dilakukan setiap triwulan; yang pertama pada Januari 2019.",
    "Usulan kegiatan Kampung KB tahun 2019 dimasukkan melalui Musrenbang kecamatan.",
)
MEETING_ACTIONS = (
    ("Surat penunjukan penghubung Kampung KB", "Dinas Sosial", "Sekretaris Dinas", 14, "open",
     "", None),
    ("Data PKH keluarga di 7 Kampung KB", "Dinas Sosial", "Kabid Linjamsos", 21, "open", "",
     None),
    ("Pelayanan akta kelahiran jemput bola di Kampung KB Ciputat", "Disdukcapil",
     "Kabid Pelayanan", 30, "done", "82 akta dan 120 KIA diterbitkan pada 7 November 2018.",
     "photo"),
    ("Usulan Kampung KB dalam Musrenbang kecamatan 2019", "Bappeda", "Kabid Sosbud", 90,
     "in_progress", "Surat edaran ke 7 kecamatan sudah dikirim.", None),
    ("Format laporan triwulanan Kampung KB untuk OPD", "DP3AKB", "Kabid KB", 21, "in_progress",
     "", None),
    ("BKB terpadu PAUD di Kampung KB Serpong", "Dinas Pendidikan dan Kebudayaan",
     "Kabid PAUD", 45, "dropped", "Digabung dengan kegiatan BKB Dinas Kesehatan.", None),
)

# Pontianak's coaching: (meeting month index, kecamatan, title, due in days, status, note)
COACHING_ACTIONS = (
    (0, "Pontianak Barat", "Rekap data keluarga Kampung KB Pal Lima", 25, "done",
     "Rekap diserahkan pada pertemuan Juni."),
    (0, "Pontianak Timur", "Jadwal kegiatan BKB di Tambelan Sampit", 25, "open", ""),
    (1, "Pontianak Kota", "Sekretariat Kampung KB di Kelurahan Mariana", 30, "in_progress",
     "Ruang di kantor lurah sudah disediakan, perlengkapan belum."),
    (1, "Pontianak Utara", "Laporan kegiatan UPPKS Siantan Hulu", 30, "open", ""),
    (2, "Pontianak Selatan", "Pendataan akseptor KB baru di Parit Tokaya", 30, "open", ""),
)


def _photo(caption: str) -> bytes:
    """A small JPEG standing in for a focal point's phone photo."""
    img = Image.new("RGB", (480, 320), (210, 226, 214))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 60, 440, 200), fill=(15, 110, 79))
    draw.text((60, 110), "KAMPUNG KB", fill=(255, 255, 255))
    draw.text((40, 240), caption[:60], fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def _pdf(title: str) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=True)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(60, 780, title[:70])
    c.setFont("Helvetica", 11)
    c.drawString(60, 750, "Bukti tindak lanjut Rapat Pokja Kampung KB")
    c.showPage()
    c.save()
    return out.getvalue()


def _admin(db: Session, org_id: int) -> User:
    user = db.exec(select(User).where(User.organization_id == org_id)
                   .order_by(col(User.id))).first()
    assert user is not None
    return user


def _minutes(db: Session, training: Training, user: User, text: str,
             decisions: tuple[str, ...], place: str) -> None:
    editing.save(db, training, MinutesSave(
        text=text, decisions=list(decisions), base_version=0, chair_name=CHAIR[0],
        chair_nip=CHAIR[1], chair_position=CHAIR[2], note_taker_name=NOTE_TAKER[0],
        note_taker_nip=NOTE_TAKER[1], place=place, held_on=training.start_date), user)


def _actions(db: Session, training: Training, user: User, rows: tuple[tuple[Any, ...], ...]
             ) -> list[FollowUpAction]:
    made = []
    for title, unit, owner, days, status, note, proof in rows:
        action = core.create_action(db, training, ActionCreate(
            title=title, unit=unit, owner=owner,
            due_date=training.start_date + timedelta(days=days)), user)
        if status != "open":
            core.set_status(db, action, status, note, user.name, pk(user))
        if proof == "photo":
            evidence.attach(db, action, _photo(title), f"Foto {title}.jpg", owner)
        elif proof == "pdf":
            evidence.attach(db, action, _pdf(title), f"{title}.pdf", owner)
        made.append(action)
    return made


def seed_tangsel(db: Session, meeting: Training) -> Training:
    """Minutes and actions of the Tangsel Pokja meeting and of the earlier one of the same
    programme; flushes. Returns the meeting."""
    org_id = meeting.organization_id
    user = _admin(db, org_id)
    program = programs.create_program(db, org_id, ProgramCreate(
        title=PROGRAM_TITLE, start_date=date(2018, 9, 1), end_date=date(2018, 12, 31),
        description="Rapat kerja Pokja Kampung KB tingkat kota dan tindak lanjutnya."))
    meeting.program_id, meeting.program_stage = pk(program), 2
    db.add(meeting)
    earlier = trainings.create_training(db, org_id, TrainingCreate(
        title=EARLIER_TITLE, kind="pertemuan", start_date=EARLIER_DAY, end_date=EARLIER_DAY,
        timezone="Asia/Jakarta", venue_id=meeting.venue_id, program_id=pk(program),
        program_stage=1, description="Rapat persiapan Pokja Kampung KB tingkat kota."))
    db.flush()
    place = "Tangerang Selatan"
    _minutes(db, earlier, user, EARLIER_TEXT, EARLIER_DECISIONS, place)
    _actions(db, earlier, user, EARLIER_ACTIONS)
    _minutes(db, meeting, user, MEETING_TEXT, MEETING_DECISIONS, place)
    _actions(db, meeting, user, MEETING_ACTIONS)
    db.flush()
    return meeting


def seed_pontianak(db: Session, coaching: Training) -> None:
    """A few actions agreed at the monthly coaching, carried from month to month; flushes."""
    user = _admin(db, coaching.organization_id)
    days = core.meeting_days(db, coaching)
    for month, kec, title, due, status, note in COACHING_ACTIONS:
        unit = units.find_or_create_unit(db, coaching.organization_id, f"Kecamatan {kec}",
                                         "kecamatan")
        action = core.create_action(db, coaching, ActionCreate(
            title=title, unit_id=unit.id, owner=f"PKB {kec}", meeting_on=days[month],
            due_date=days[month] + timedelta(days=due)), user)
        if status != "open":
            core.set_status(db, action, status, note, user.name, pk(user))
    db.flush()
