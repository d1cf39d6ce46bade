// The rear camera, read continuously: the browser's BarcodeDetector where it exists
// (Android Chrome, Safari), the vendored zxing-wasm elsewhere (desktop Linux Chromium).

const WASM_URL = "/static/vendor/zxing-wasm/zxing_reader.wasm";

async function nativeDetector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const detector = new globalThis.BarcodeDetector({ formats: ["qr_code"] });
    return {
      name: "BarcodeDetector",
      async read(video) {
        const found = await detector.detect(video);
        return found.length ? found[0].rawValue : null;
      },
    };
  } catch {
    return null;
  }
}

async function wasmDetector() {
  const zxing = await import("../../vendor/zxing-wasm/reader/index.js");
  // Load the .wasm from our own server (the package's default is a CDN: venues are offline).
  await zxing.prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? WASM_URL : prefix + path),
    },
    fireImmediately: true,
  });
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const options = { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 };
  return {
    name: "zxing-wasm",
    async read(video) {
      const w = video.videoWidth, h = video.videoHeight;
      if (!w || !h) return null;
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      ctx.drawImage(video, 0, 0, w, h);
      const found = await zxing.readBarcodes(ctx.getImageData(0, 0, w, h), options);
      const ok = found.find((r) => r.isValid && r.text);
      return ok ? ok.text : null;
    },
  };
}

export async function makeDetector() {
  return (await nativeDetector()) || (await wasmDetector());
}

export async function openCamera(video) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  video.muted = true;
  await video.play();
  return stream;
}

/**
 * Read every new video frame (one at a time: a frame that arrives while the previous
 * one is being decoded is skipped), calling onCode(text, frameInfo) for each QR found.
 */
export function scanLoop(video, detector, onCode) {
  let stopped = false;
  let busy = false;
  const hasRvfc = "requestVideoFrameCallback" in HTMLVideoElement.prototype;

  async function tick(now, meta) {
    if (stopped) return;
    if (!busy && video.readyState >= 2) {
      busy = true;
      const started = performance.now();
      try {
        const text = await detector.read(video);
        if (text) onCode(text, { frameTime: meta ? meta.presentationTime : started, decodeMs: performance.now() - started });
      } catch (err) {
        console.warn("decode failed", err);
      } finally {
        busy = false;
      }
    }
    schedule();
  }

  function schedule() {
    if (stopped) return;
    if (hasRvfc) video.requestVideoFrameCallback(tick);
    else requestAnimationFrame((t) => tick(t, null));
  }

  schedule();
  return () => {
    stopped = true;
  };
}
