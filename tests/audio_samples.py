"""Sound made in the tests with PyAV itself: a few seconds of tone in each container a phone records."""
import array
import math
from io import BytesIO

import pytest

av = pytest.importorskip("av")

# (container, codec, sample rate): what phones' recorders and browsers make.
CONTAINERS = {
    "m4a": ("ipod", "aac", 44_100),
    "aac": ("adts", "aac", 44_100),
    "3gp": ("3gp", "libopencore_amrnb", 8_000),
    "amr": ("amr", "libopencore_amrnb", 8_000),
    "ogg": ("ogg", "libvorbis", 44_100),
    "opus": ("ogg", "libopus", 48_000),
    "webm": ("webm", "libopus", 48_000),
    "mp3": ("mp3", "libmp3lame", 44_100),
    "wav": ("wav", "pcm_s16le", 16_000),
}


def has_encoder(codec):
    try:
        av.codec.Codec(codec, "w")
    except Exception:  # PyAV raises its own error types, which vary between versions
        return False
    return True


def tone(kind="wav", seconds=3.0, frequency=440, tags=True, layout="mono"):
    """Return a few seconds of a sine tone in this kind of file, tagged like a phone's recording."""
    container, codec, rate = CONTAINERS[kind]
    if kind == "ogg" and not has_encoder(codec):
        codec = "flac"  # Ogg from a recorder: Vorbis when the wheel has it, else FLAC in Ogg
    if not has_encoder(codec):
        pytest.skip(f"this PyAV wheel has no {codec} encoder to make a {kind} file")
    buffer = BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = layout
        if tags:
            out.metadata.update({"title": "Marché de Mariam", "artist": "Mariam Camara", "location": "+14.69-017.44/"})
        total, done, channels = int(rate * seconds), 0, 2 if layout == "stereo" else 1
        while done < total:
            count = min(1024, total - done)
            samples = array.array("h", (int(8000 * math.sin(2 * math.pi * frequency * (done + i) / rate))
                                        for i in range(count) for _channel in range(channels)))
            frame = av.AudioFrame(format="s16", layout=layout, samples=count)
            frame.planes[0].update(samples.tobytes())
            frame.rate, frame.pts = rate, done
            for packet in stream.encode(frame):
                out.mux(packet)
            done += count
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()
