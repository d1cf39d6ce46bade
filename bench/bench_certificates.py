"""Certificates per second, and peak memory, for the Padang training (421) and 10,000.

Each case runs in its own process (`python -m bench.bench_certificates --child ...`), so
its peak resident memory (VmHWM) is its own: the same figure for 421 and 10,000
people shows that pages stream instead of piling up. Output goes to a temporary file,
as a download would go to a socket. Target: at least 300 certificates a second on one
core, for one merged PDF and for a ZIP of separate files.

Names are Faker id_ID names, one in five with the titles and long forms that certificates
carry ("Hj. ... Binti ..., S.Pd., M.Pd."), some with diacritics; the design has a logo,
three signatories with signature images, and the built-in frame.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
TARGET = 300.0
COUNTS = (421, 10_000)
POOL = 1000  # distinct names, reused: the pool's memory is the same for every count

_PREFIXES = ("Hj. ", "H. ", "Dra. ", "Drs. ", "dr. ", "Ir. ")
_SUFFIXES = (", S.Pd., M.Pd.", ", S.K.M.", ", S.Sos., M.Si.", ", A.Md.Keb.", ", S.E.")
_RARE = ("Ni Luh Putu Ayu Sukmawatī", "Ṭāhir Al-Ḥaddād", "Nguyễn Thị Hương",
         "Ma\u02bcruf O’Neil", "Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd.")


def _names() -> list[str]:
    from faker import Faker

    fake = Faker("id_ID")
    Faker.seed(421)
    rnd = random.Random(421)
    names = []
    for i in range(POOL):
        name = fake.name()
        if i % 5 == 0:
            name = f"{rnd.choice(_PREFIXES)}{name} Binti {fake.last_name()}" \
                   f"{rnd.choice(_SUFFIXES)}"
        names.append(name)
    names[::97] = [_RARE[k % len(_RARE)] for k in range(len(names[::97]))]
    return names


def _image(kind: str) -> bytes:
    image = Image.new("RGBA", (600, 200) if kind == "signature" else (300, 300), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    if kind == "signature":
        d.line([(20 + 9 * k, 100 + (25 if k % 2 else -25)) for k in range(60)],
               fill=(20, 30, 90, 255), width=6)
    else:
        d.ellipse((5, 5, 295, 295), fill=(24, 90, 60, 255))
        d.polygon([(150, 40), (250, 240), (50, 240)], fill=(200, 40, 40, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _design():  # type: ignore[no-untyped-def]
    from service.rendering.certificate_pdf import CertificateDesign, Signatory

    signature = _image("signature")
    return CertificateDesign(
        training_title="Pelatihan Kader Kampung KB Kota Padang Tahun 2018",
        organizer="Dinas P3AP2KB Kota Padang", place_and_date="Padang, 18 September 2018",
        logo=_image("logo"),
        signatories=(
            Signatory("Drs. H. Ahmad Fauzi, M.Si", "Ketua Panitia Pelatihan",
                      "19700101 199503 1 001", signature),
            Signatory("dr. Hj. Rosa Rosita, M.Kes", "Kepala Dinas P3AP2KB Kota Padang",
                      "19680412 199003 2 004", signature),
            Signatory("Ir. Syahrial Kamat", "Kepala Perwakilan BKKBN Provinsi Sumatera Barat",
                      "19650505 199003 1 002", signature)))


def _people(count: int, names: list[str]) -> Iterator:  # type: ignore[type-arg]
    from service.rendering.certificate_pdf import CertificateFields

    rnd = random.Random(count)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    categories = ("Kader BKB", "Kader BKR", "Kader BKL", "PKB", "TP-PKK Kelurahan",
                  "Pokja Kampung KB")
    romans = ("I", "II", "III", "IV")
    for i in range(count):
        code = "".join(rnd.choice(alphabet) for _ in range(22))
        yield CertificateFields(
            name=names[i % len(names)], number=f"{i + 1:05d}/SERT/DP3AP2KB/IX/2018",
            category=categories[i % len(categories)], batch=f"Angkatan {romans[i % 4]}",
            dates="12 - 13 September 2018" if i % 2 else "17 - 18 September 2018",
            jpl="16 JPL", verify_url=f"https://bimtek.padang.go.id/v/{code}")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries that over an
    exec from the parent that forked us (`make bench` has grown large by now)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, count: int) -> None:
    """One case in this process: prints a JSON line with time, size and memory."""
    from service.rendering.certificate_pdf import render_certificates, render_zip

    names = _names()
    design = _design()
    # Warm up (font parsing, imports) on another file, as a running server would be.
    render_certificates(design, _people(2, names), io.BytesIO())
    before = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("out.zip" if kind == "zip" else "out.pdf")
        with path.open("wb") as out:
            started, cpu_started = time.perf_counter(), time.process_time()
            if kind == "zip":
                n = render_zip(design, ((f"sertifikat-{i:05d}.pdf", p)
                                        for i, p in enumerate(_people(count, names))), out)
            else:
                n = render_certificates(design, _people(count, names), out)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        size = path.stat().st_size
    peak = _peak_mb()
    print(json.dumps({"n": n, "seconds": elapsed, "cpu": cpu, "bytes": size,
                      "rss_before_mb": before, "peak_mb": peak}))


def _run_case(kind: str, count: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_certificates", "--child", kind,
                          str(count)], cwd=REPO, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run() -> Iterator[str]:
    yield (f"{'case':<22} {'certs':>6} {'wall s':>7} {'/s wall':>8} {'CPU s':>6} "
           f"{'/s a core':>9} {'file MB':>8} {'RSS before':>10} {'peak RSS':>9}")
    peaks: dict[str, list[float]] = {"merged": [], "zip": []}
    for kind in ("merged", "zip"):
        for count in COUNTS:
            r = _run_case(kind, count)
            rate = r["n"] / r["seconds"]
            # Per core = per CPU-second of this process: the machine may be shared, and
            # wall time then counts other people's work too.
            per_core = r["n"] / r["cpu"]
            verdict = "OK" if per_core >= TARGET else "SLOW"
            peaks[kind].append(r["peak_mb"])
            label = "one merged PDF" if kind == "merged" else "ZIP of separate PDFs"
            yield (f"{label:<22} {int(r['n']):>6} {r['seconds']:>7.2f} {rate:>8.0f} "
                   f"{r['cpu']:>6.2f} {per_core:>9.0f} "
                   f"{r['bytes'] / 2**20:>8.1f} {r['rss_before_mb']:>8.1f} MB "
                   f"{r['peak_mb']:>6.1f} MB  [{verdict}: target >= {TARGET:.0f}/s a core]")
    for kind, (small, large) in peaks.items():
        yield (f"memory {kind}: peak {small:.1f} MB for {COUNTS[0]}, {large:.1f} MB for "
               f"{COUNTS[1]} ({large - small:+.1f} MB for {COUNTS[1] / COUNTS[0]:.0f}x the "
               f"people): {'flat' if large - small < 10 else 'GROWS'}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        for line in run():
            print(line, flush=True)
