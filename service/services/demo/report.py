"""The demo's activity report for Padang: the committee's texts in Indonesian and four
photos of the sessions, drawn here with Pillow (no file is downloaded) and uploaded
through the same path as a phone's, EXIF date included."""

import io
from datetime import date

from PIL import Image, ImageDraw, ImageFont
from sqlmodel import Session, col, select

from service.models import AgendaSession, Batch, Training, User
from service.schemas.report_sections import ReportTextsUpdate
from service.services import report_photos, report_texts

TEXTS = ReportTextsUpdate(
    background=(
        "Kampung KB merupakan wahana pemberdayaan masyarakat untuk mewujudkan keluarga "
        "berkualitas melalui program Bangga Kencana. Di Kota Padang, kader BKB, BKR, BKL, "
        "UPPKA, petugas lapangan KB dan Pokja Kampung KB menjadi ujung tombak kegiatan di "
        "tingkat kelurahan.\n\n"
        "Agar para kader mampu mengelola kegiatan poktan, mencatat dan melaporkan "
        "hasilnya, DP3AP2KB Kota Padang menyelenggarakan pelatihan kader Kampung KB dalam "
        "empat angkatan."),
    objectives=(
        "1. Meningkatkan pengetahuan kader tentang program Bangga Kencana dan Kampung KB.\n"
        "2. Meningkatkan keterampilan kader dalam mengelola kegiatan poktan BKB, BKR, BKL "
        "dan UPPKA.\n"
        "3. Memperkuat koordinasi Pokja Kampung KB dengan OPD terkait."),
    conclusions=(
        "Pelatihan berjalan sesuai jadwal. Sebagian besar peserta hadir pada setiap hari "
        "angkatannya dan nilai post-test meningkat dibandingkan pre-test. Peserta menilai "
        "materi narasumber bermanfaat untuk kegiatan di kelurahan."),
    follow_up=(
        "1. Kader menyusun rencana kegiatan poktan di kelurahan masing-masing "
        "(penanggung jawab: Pokja Kampung KB, paling lambat Oktober 2018).\n"
        "2. PKB mendampingi pencatatan dan pelaporan bulanan (setiap bulan).\n"
        "3. DP3AP2KB melakukan pembinaan ke Kampung KB pada triwulan IV 2018."))

# caption, background colour, banner, EXIF day
PHOTOS = (
    ("Pembukaan pelatihan oleh Kepala DP3AP2KB Kota Padang", "#2f5d8a", "PEMBUKAAN",
     date(2018, 9, 12)),
    ("Penyampaian materi Kebijakan Program Kampung KB", "#1f6f5c", "MATERI", date(2018, 9, 12)),
    ("Diskusi kelompok kader BKB dan BKR", "#8a5fbf", "DISKUSI KELOMPOK", date(2018, 9, 13)),
    ("Foto bersama peserta Angkatan I", "#c2455b", "FOTO BERSAMA", date(2018, 9, 13)),
)


def _picture(colour: str, banner: str, day: date, seed: int) -> bytes:
    """A simple hall: a banner over the front, a screen, and rows of participants."""
    w, h = 1200, 900
    img = Image.new("RGB", (w, h), "#e9e4d8")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, w, 260), fill=colour)
    draw.rectangle((120, 40, w - 120, 130), fill="#f5f0e1")
    draw.text((150, 62), f"PELATIHAN KADER KAMPUNG KB · {banner}", fill="#222222",
              font=ImageFont.load_default(size=34))
    draw.rectangle((420, 150, 780, 250), fill="#ffffff", outline="#333333", width=3)
    for row in range(4):
        for n in range(9):
            x = 90 + n * 125 + (row % 2) * 30
            y = 380 + row * 120
            tone = ("#5b3a29", "#7a4b32", "#3d2a1e")[(n + row + seed) % 3]
            draw.ellipse((x, y, x + 50, y + 50), fill=tone)
            draw.rounded_rectangle((x - 15, y + 50, x + 65, y + 110), radius=14,
                                   fill=("#d9534f", "#f0ad4e", "#5bc0de", "#ffffff")
                                   [(n + seed) % 4])
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = day.strftime("%Y:%m:%d 09:30:00")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def seed_report(db: Session, training: Training, admin: User) -> None:
    """Padang's texts and photos, the second photo linked to its session."""
    report_texts.save(db, training, TEXTS, admin)
    first_session = db.exec(select(AgendaSession.id)
                            .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                            .where(Batch.training_id == training.id,
                                   AgendaSession.kind != "break")
                            .order_by(col(AgendaSession.date), col(AgendaSession.start_time))
                            ).first()
    for n, (caption, colour, banner, day) in enumerate(PHOTOS):
        report_photos.add_photo(db, training, _picture(colour, banner, day, n), caption,
                                first_session if n == 1 else None, admin)
