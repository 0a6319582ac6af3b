"""Voice notes: the transcoded size per minute (budget 250 KB), and the server's memory while four 3-minute
notes are transcoded at once (they take turns on one worker thread).

Run: .venv/bin/python benchmarks/bench_audio.py  (uses a temporary instance, loopback only)
"""
import array
import io
import math
import random
import tempfile
import time
from pathlib import Path

import av
from _server import Browser, Server, at_once, prepared_instance

from lms.media import audio

PASSWORD = "une phrase de passe"
BUDGET_KB_PER_MINUTE = 250
AT_ONCE = 4
COURSE = {
    "path.yaml": "id: bench\ntitle: Banc d'essai\nlevel: beginner\nhours: 1\n",
    "01-stall.fr.md": ("---\nid: bench-stall\ntitle: Votre étal\nminutes: 5\n---\n\nParlez de votre étal.\n\n"
                       "::: assignment\nsubmit: text\nParlez de votre étal.\n:::\n"),
}
KINDS = {"m4a (AAC, 44.1 kHz)": ("ipod", "aac", 44_100), "amr (phone recorder, 8 kHz)": ("amr", "libopencore_amrnb", 8_000),
         "mp3 (44.1 kHz)": ("mp3", "libmp3lame", 44_100), "wav (16 kHz)": ("wav", "pcm_s16le", 16_000)}


def speech_like(seconds, rate):
    """A voice-like signal: a gliding pitch with harmonics, syllables four times a second, pauses and breath."""
    noise = random.Random(7)
    samples = array.array("h")
    phase = 0.0
    for n in range(int(seconds * rate)):
        t = n / rate
        pitch = 180 + 60 * math.sin(2 * math.pi * 0.7 * t)
        phase += 2 * math.pi * pitch / rate
        syllable = max(0.0, math.sin(2 * math.pi * 4 * t)) * (0.0 if (t % 6) > 5.2 else 1.0)
        voiced = sum(math.sin(k * phase) / k for k in (1, 2, 3, 5))
        samples.append(int(6000 * syllable * voiced + noise.gauss(0, 300)))
    return samples


def recording(kind, seconds):
    container, codec, rate = KINDS[kind]
    samples = speech_like(seconds, rate)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        for start in range(0, len(samples), 1024):
            chunk = samples[start:start + 1024]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk))
            frame.planes[0].update(chunk.tobytes())
            frame.rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def send_voice(phone, slug, data, filename):
    return phone.send_work(slug, {}, {"voice_note": (filename, data)}, timeout=300)


def sizes():
    print("transcoded size of one minute of voice-like sound (Opus mono 24 kb/s in Ogg):")
    worst = 0
    for kind in KINDS:
        original = recording(kind, 60)
        started = time.perf_counter()
        note = audio.transcode(io.BytesIO(original))
        seconds = time.perf_counter() - started
        per_minute = len(note.data) / 1024 / (note.seconds / 60)
        worst = max(worst, per_minute)
        print(f"  {kind:30} sent {len(original) // 1024:5} KB -> kept {per_minute:5.0f} KB per minute "
              f"(transcoded in {seconds:.2f} s)")
    verdict = "OK" if worst <= BUDGET_KB_PER_MINUTE else "OVER BUDGET"
    print(f"  largest: {worst:.0f} KB per minute (budget {BUDGET_KB_PER_MINUTE} KB) {verdict}")


def memory():
    with tempfile.TemporaryDirectory() as tmp:
        instance = prepared_instance(tmp, COURSE, AT_ONCE + 1, PASSWORD)
        note = recording("m4a (AAC, 44.1 kHz)", 178)
        server = Server(instance)
        try:
            server.wait_ready("/sign-in")
            phones = [Browser(server.base, language="en") for _ in range(AT_ONCE + 1)]
            for i, phone in enumerate(phones):
                assert phone.sign_in(f"learner{i}", PASSWORD) == 302
            send_voice(phones[-1], "bench-stall", recording("m4a (AAC, 44.1 kHz)", 2), "warm-up.m4a")  # loads PyAV
            codes, before, growth, after, seconds = at_once(
                server, AT_ONCE, lambda i: send_voice(phones[i], "bench-stall", note, "note.m4a"))
            stored = [p for p in (Path(instance) / "uploads").iterdir() if p.suffix == ".ogg"]
            print(f"{AT_ONCE} voice notes of 2 min 58 s ({len(note) // 1024} KB m4a each) sent at once: "
                  f"HTTP {sorted(set(codes))}, all answered in {seconds:.1f} s, {len(stored) - 1} stored")
            print(f"  server resident before {before:.1f} MB (PyAV loaded), peak growth "
                  f"{growth:.1f} MB, resident after {after:.1f} MB")
        finally:
            server.stop()


if __name__ == "__main__":
    sizes()
    memory()
