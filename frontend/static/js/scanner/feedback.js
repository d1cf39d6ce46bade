// A short sound and a vibration for each result, different for green, amber and red, so
// the door staff need not look at the screen for every person.

let audio = null;

function context() {
  if (!audio) {
    const Ctx = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Ctx) return null;
    audio = new Ctx();
  }
  if (audio.state === "suspended") audio.resume().catch(() => {});
  return audio;
}

// Browsers start audio only after a tap: the first touch anywhere unlocks it. The context
// is made now, not at the first result: making one takes a while (100 ms seen), and that
// first result must not wait for it.
export function unlockOnFirstTap() {
  try {
    context();
  } catch { /* no audio on this device */ }
  const unlock = () => {
    context();
    window.removeEventListener("pointerdown", unlock);
    window.removeEventListener("keydown", unlock);
  };
  window.addEventListener("pointerdown", unlock);
  window.addEventListener("keydown", unlock);
}

const TONES = {
  ok: { notes: [[880, 0, 0.12], [1320, 0.12, 0.12]], wave: "sine", buzz: [80] },
  warn: { notes: [[520, 0, 0.14], [520, 0.22, 0.14]], wave: "triangle", buzz: [80, 80, 80] },
  bad: { notes: [[180, 0, 0.45]], wave: "square", buzz: [300, 100, 300] },
  info: { notes: [[660, 0, 0.1]], wave: "sine", buzz: [40] },
};

export function signal(kind) {
  const tone = TONES[kind] || TONES.info;
  try {
    if (navigator.vibrate) navigator.vibrate(tone.buzz);
  } catch { /* not allowed here */ }
  const ctx = context();
  if (!ctx || ctx.state !== "running") return;
  const start = ctx.currentTime + 0.01;
  for (const [freq, offset, length] of tone.notes) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = tone.wave;
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + offset);
    osc.stop(start + offset + length + 0.02);
  }
}
