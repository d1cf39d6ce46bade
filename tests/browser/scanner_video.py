"""A door scanner in Chromium with a fake camera that films a ticket.

Shared by tests/browser/test_scanner.py and bench/bench_scanner.py: the y4m videos
Chromium's fake camera plays (white, then the QR, looping), a training whose batch meets
today in Jakarta with people and their real ticket codes, a logged-in scanner page, and
the latency probe.

Latency is measured in the page, honestly: a requestVideoFrameCallback hook looks at the
centre of every frame the video element presents and notes when dark pixels appear after
white ones (the QR entering the camera); the page notes when each result is painted
(requestAnimationFrame after showing it). The difference is what a person at the door
waits for, decoding, signature check, the server or IndexedDB, and painting included.
"""

import io
import secrets
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import qrcode
import zxingcpp
from PIL import Image

from tests.browser.conftest import CHROMIUM

W, H, FPS = 640, 480, 10
FAKE_CAMERA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
SCANNER_PASSWORD = "gerbang-" + secrets.token_hex(8)


# --- video --------------------------------------------------------------------------------

def qr_image(text: str, box: int = 6) -> Image.Image:
    """The QR of `text` as a phone screen shows it (black on white, quiet zone of 4)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box,
                       border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").convert("RGB")


def _frame(picture: Image.Image | None, height: int) -> Image.Image:
    canvas = Image.new("RGB", (W, H), "white")
    if picture is not None:
        scale = height / picture.height
        shown = picture.resize((max(1, round(picture.width * scale)), height), Image.NEAREST
                               if picture.width < height else Image.LANCZOS)
        canvas.paste(shown, ((W - shown.width) // 2, (H - shown.height) // 2))
    return canvas


def _yuv420(img: Image.Image) -> bytes:
    """One y4m frame body: full Y plane, then Cb and Cr at half width and height (4:2:0,
    full range as in JPEG, which the C420jpeg header says)."""
    y, cb, cr = img.convert("YCbCr").split()
    half = (W // 2, H // 2)
    return y.tobytes() + cb.resize(half, Image.BILINEAR).tobytes() + \
        cr.resize(half, Image.BILINEAR).tobytes()


def write_video(path: Path, picture: Image.Image | list[Image.Image] | None,
                blank_s: float = 2.5, shown_s: float = 1.0, height: int = 330) -> Path:
    """A y4m video: `blank_s` of white, then `picture` centred, `height` pixels tall (a
    list: each picture in turn, white before each). Chromium loops it, so a picture
    enters the camera again every loop: the white is longer than the scanner's 3 s pause
    for a code just shown, so each appearance of a ticket is one deliberate scan (a
    shorter loop would end the pause while the ticket is still in view)."""
    pictures = picture if isinstance(picture, list) else [picture]
    blank = _yuv420(_frame(None, height))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for pic in pictures:
            shown = _yuv420(_frame(pic, height))
            for n in range(round((blank_s + shown_s) * FPS)):
                out.write(b"FRAME\n")
                out.write(blank if n < blank_s * FPS else shown)
    return path


def printed_card(pdf: bytes, code: str, dpi: int = 150) -> Image.Image:
    """The part of a printed ticket-card page around `code`'s QR, as a camera held over
    the card sees it: the PDF rendered by pdftoppm, the QR found on it by zxing-cpp."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cards.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(src),
                        str(Path(tmp) / "page")], check=True, timeout=60)
        page = Image.open(next(Path(tmp).glob("page*.png"))).convert("RGB")
        page.load()
    found = [b for b in zxingcpp.read_barcodes(page) if b.text == code]
    assert found, "the ticket's QR is not on the first page of the cards"
    pos = found[0].position
    xs = [p.x for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
    ys = [p.y for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
    side = max(xs) - min(xs)
    # The QR with the card around it (name, batch), about as a phone held 20 cm away.
    cx, cy = (max(xs) + min(xs)) // 2, (max(ys) + min(ys)) // 2
    half_h = int(side * 1.0)
    half_w = int(half_h * W / H)
    left = min(max(0, cx - half_w), page.width - 2 * half_w)
    top = min(max(0, cy - half_h), page.height - 2 * half_h)
    return page.crop((left, top, left + 2 * half_w, top + 2 * half_h))


# --- the training ---------------------------------------------------------------------------

def jakarta_today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


@dataclass
class ScanSetup:
    training_id: int
    batch_id: int
    other_batch_id: int
    people: list[dict[str, Any]] = field(default_factory=list)  # with "code"
    scanner_email: str = ""
    other: dict[str, Any] = field(default_factory=dict)  # a person of the other batch

    def code(self, n: int) -> str:
        return str(self.people[n]["code"])


def ticket_code(api: httpx.Client, ticket_url: str) -> str:
    """The text of a ticket's QR, read back from the ticket's own QR image."""
    token = ticket_url.rstrip("/").rsplit("/", 1)[-1]
    png = api.get(f"/t/{token}/qr.png")
    assert png.status_code == 200, png.text
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert len(found) == 1
    return str(found[0].text)


def make_scan_setup(api: httpx.Client, people: int = 6, title: str = "Pelatihan Kader "
                    "Kampung KB Kota Padang", gate: str = "Gerbang 2") -> ScanSetup:
    """A training whose "Angkatan I" meets today (WIB), with `people` confirmed
    participants and a door-scanner login for it."""
    today = jakarta_today()
    start, end = today - timedelta(days=1), today + timedelta(days=1)
    t = api.post("/api/trainings", json={
        "title": title, "kind": "pelatihan", "start_date": start.isoformat(),
        "end_date": (end + timedelta(days=3)).isoformat(), "timezone": "Asia/Jakarta",
        "categories": [{"name": "Kader BKB"}, {"name": "PKB"}]})
    assert t.status_code == 201, t.text
    tid = t.json()["id"]
    batches = []
    for name, first, last in (("Angkatan I", start, end),
                              ("Angkatan II", end + timedelta(days=2), end + timedelta(days=3))):
        b = api.post(f"/api/trainings/{tid}/batches", json={
            "name": name, "start_date": first.isoformat(), "end_date": last.isoformat(),
            "capacity": 100})
        assert b.status_code == 201, b.text
        batches.append(b.json()["id"])
    setup = ScanSetup(tid, batches[0], batches[1])
    names = ["Hj. Nur'aini Syafii", "Yusnidar Rangkuti", "Desi Marlina", "Rahmat Hidayat",
             "Siti Rohani", "Afrizal Tanjung", "Yulia Fitri", "Zulkifli Chaniago"]
    for n in range(people):
        body = {"name": f"{names[n % len(names)]}{'' if n < len(names) else f' {n}'}",
                "phone": f"081266{34000 + n:05d}", "nik": f"137101520385{n + 1000:04d}",
                "district": "Padang Utara" if n % 2 else "Kuranji",
                "category": "Kader BKB" if n % 2 else "PKB", "batch_id": batches[0]}
        reg = api.post(f"/api/trainings/{tid}/registrations", json=body)
        assert reg.status_code == 201, reg.text
        person = reg.json()
        assert person["status"] == "confirmed", person
        person["code"] = ticket_code(api, person["ticket_url"])
        setup.people.append(person)
    other = api.post(f"/api/trainings/{tid}/registrations", json={
        "name": "Rini Oktavia", "phone": "081377120044", "category": "PKB",
        "batch_id": batches[1]})
    assert other.status_code == 201, other.text
    setup.other = {**other.json(), "code": ticket_code(api, other.json()["ticket_url"])}
    setup.scanner_email = f"gerbang-{tid}@padang.test"
    u = api.post("/api/users", json={"email": setup.scanner_email, "name": gate,
                                     "role": "scanner", "password": SCANNER_PASSWORD,
                                     "training_id": tid})
    assert u.status_code == 201, u.text
    return setup


def forged(code: str) -> str:
    """The code with one character of its signature changed: well-formed, not genuine."""
    i = len(code) - 20
    return code[:i] + ("A" if code[i] != "A" else "B") + code[i + 1:]


# --- the browser ------------------------------------------------------------------------------

# Notes each frame's centre brightness; a dark centre after a white one is the QR arriving.
LATENCY_HOOK = """
(() => {
  const arrivals = [];
  window.__qrArrivals = arrivals;
  const canvas = document.createElement('canvas');
  canvas.width = 32; canvas.height = 32;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  let wasDark = false;
  function watch(video) {
    if (video.__watched) return;
    video.__watched = true;
    const onFrame = (now, meta) => {
      if (video.videoWidth) {
        const w = video.videoWidth, h = video.videoHeight;
        ctx.drawImage(video, w / 2 - 40, h / 2 - 40, 80, 80, 0, 0, 32, 32);
        const px = ctx.getImageData(0, 0, 32, 32).data;
        let dark = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] < 80) dark++;
        const isDark = dark > 40;
        if (isDark && !wasDark) {
          arrivals.push({presented: meta.presentationTime, expected: meta.expectedDisplayTime,
                         captured: meta.captureTime ?? null, callback: now});
        }
        wasDark = isDark;
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }
  new MutationObserver(() => document.querySelectorAll('video').forEach(watch))
    .observe(document, {childList: true, subtree: true});
})();
"""


# For an offline start: the first load (online, to download the ticket list) gets no
# camera, so no ticket can be scanned online before the network is cut.
CAMERA_LATER = """
(() => {
  if (sessionStorage.getItem('camera-ok')) return;
  const refuse = () => Promise.reject(new DOMException('not yet', 'NotAllowedError'));
  if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = refuse;
})();
"""


# A stand-in for the browser's BarcodeDetector (Android Chrome, Safari have one; desktop
# Linux Chromium has none), built on the vendored decoder: it exercises the scanner's
# native-detector path, detect(video) -> [{rawValue}].
FAKE_BARCODE_DETECTOR = """
(() => {
  const WASM = '/static/vendor/zxing-wasm/zxing_reader.wasm';
  let zxing = null;
  window.BarcodeDetector = class {
    static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
    constructor(options) { this.formats = options.formats; window.__nativeDetector = true; }
    async detect(video) {
      if (!zxing) {
        zxing = await import('/static/vendor/zxing-wasm/reader/index.js');
        await zxing.prepareZXingModule({fireImmediately: true, overrides: {
          locateFile: (path, prefix) => path.endsWith('.wasm') ? WASM : prefix + path}});
      }
      const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(video, 0, 0);
      const found = await zxing.readBarcodes(
        ctx.getImageData(0, 0, canvas.width, canvas.height), {formats: ['QRCode']});
      return found.filter((r) => r.isValid).map((r) => ({rawValue: r.text, format: 'qr_code'}));
    }
  };
})();
"""


def launch_with_video(browser_type: Any, video: Path, extra_args: list[str]) -> Any:
    """A Chromium whose camera plays `video` (one browser per video: the file is a
    launch argument)."""
    return browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*FAKE_CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}", *extra_args])


def open_scanner(browser: Any, base_url: str, setup: ScanSetup, viewport: Any,
                 offline: bool = False, password: str = SCANNER_PASSWORD,
                 requests: list[str] | None = None,
                 native_detector: bool = False, init_script: str = "",
                 locale: str = "id-ID", batch_id: int | None = None,
                 email: str | None = None, day: date | None = None,
                 session: str | None = None) -> tuple[Any, Any]:
    """(context, page): the scanner logged in, on the scanning view of today's batch,
    with the ticket list downloaded and the camera running. `offline`: then the network
    is cut and the page reloaded, as a phone that lost its signal (the service worker
    and IndexedDB must carry it). `requests` collects the URL of every request made.
    `native_detector`: the page finds a BarcodeDetector (FAKE_BARCODE_DETECTOR).
    `locale`: the browser's own language (its Accept-Language); `batch_id`, `day` and
    `email`: another batch (one of its days), or another scanner login, than the setup's;
    `session`: for a per-session training ("now", or a session's id)."""
    context = browser.new_context(base_url=base_url, viewport=viewport, locale=locale,
                                  permissions=["camera"])
    context.set_default_timeout(15_000)
    context.add_init_script(LATENCY_HOOK)
    if init_script:  # the caller's own watch on every page (e.g. CSP violations)
        context.add_init_script(init_script)
    if offline:
        context.add_init_script(CAMERA_LATER)
    if native_detector:
        context.add_init_script(FAKE_BARCODE_DETECTOR)
    if requests is not None:
        context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto("/login?next=/scan")
    page.locator("input[name=email]").fill(email or setup.scanner_email)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/scan**")
    page.goto(f"/scan?batch_id={batch_id or setup.batch_id}"
              f"&day={(day or jakarta_today()).isoformat()}"
              + (f"&session={session}" if session else ""))
    # Predicates as functions: an expression is eval'd in the page while Playwright
    # polls, which the Content-Security-Policy forbids.
    ready = "() => window.__scanner && window.__scanner.ready && window.__scanner.manifest !== null"
    if offline:
        page.wait_for_function("() => window.__scanner && window.__scanner.manifest !== null "
                               "&& window.__scanner.offlineReady === true")
        page.evaluate("sessionStorage.setItem('camera-ok', '1')")
        context.set_offline(True)
        page.reload()
    page.wait_for_function(ready)
    return context, page


def results(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("window.__scanner.results"))


def wait_result(page: Any, count: int, timeout: float = 15_000) -> dict[str, Any]:
    """The `count`-th result (1-based) once the page has painted it."""
    page.wait_for_function(f"() => window.__scanner.results.length >= {count}",
                           timeout=timeout)
    return results(page)[count - 1]


def latency(page: Any, result: dict[str, Any]) -> float | None:
    """Milliseconds from the QR's arrival in the camera to this result being painted;
    None when the QR arrived before the scanner was ready (that wait is not latency)."""
    arrivals = page.evaluate("window.__qrArrivals")
    ready = page.evaluate("window.__scanner.readyAt")
    before = [a["presented"] for a in arrivals if a["presented"] <= result["paintedAt"]]
    if not before or before[-1] < ready:
        return None
    return float(result["paintedAt"] - before[-1])
