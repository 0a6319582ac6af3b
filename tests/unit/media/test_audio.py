"""Voice notes from phones: every accepted container is recognised, transcoded small, stripped; bad files refused."""
import threading
from io import BytesIO

import pytest

av = pytest.importorskip("av")

from lms.media import audio  # noqa: E402  (after the skip: PyAV is needed)
from tests.audio_samples import CONTAINERS, tone  # noqa: E402


def opened(data):
    return av.open(BytesIO(data), format="ogg")


@pytest.mark.parametrize("kind", list(CONTAINERS))
def test_a_voice_note_in_each_container_becomes_compact_mono_opus(kind):
    note = audio.transcode(BytesIO(tone(kind, seconds=4)))
    assert note.mime_type == "audio/ogg" and note.data[:4] == b"OggS"
    assert 3.7 < note.seconds < 4.4
    with opened(note.data) as result:
        stream = result.streams.audio[0]
        assert stream.codec_context.name == "opus"
        assert stream.codec_context.layout.name == "mono"
        decoded = sum(frame.samples for frame in result.decode(stream)) / 48_000
    assert 3.7 < decoded < 4.4


def test_stereo_becomes_mono():
    note = audio.transcode(BytesIO(tone("wav", layout="stereo")))
    with opened(note.data) as result:
        assert result.streams.audio[0].codec_context.layout.name == "mono"


def test_a_minute_costs_at_most_250_kb():
    note = audio.transcode(BytesIO(tone("m4a", seconds=60, frequency=300)))
    assert 59 < note.seconds < 61
    assert len(note.data) <= 250 * 1024, len(note.data)


@pytest.mark.parametrize("kind", ["m4a", "mp3", "opus", "wav"])
def test_metadata_is_stripped(kind):
    original = tone(kind)
    assert b"Mariam" in original  # the phone's tags are there before
    note = audio.transcode(BytesIO(original))
    assert b"Mariam" not in note.data and b"+14.69" not in note.data and b"Lavf" not in note.data
    with opened(note.data) as result:
        tags = {**result.metadata, **result.streams.audio[0].metadata}
    assert not {"title", "artist", "location"} & {name.lower() for name in tags}


def test_longer_than_the_limit_is_refused():
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(tone("wav", seconds=5)), max_seconds=3)
    assert refused.value.code == "too_long" and refused.value.limit == 3


def test_a_header_that_hides_the_length_is_caught_while_decoding():
    # ADTS AAC has no length in its header: the decoded samples are counted instead.
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(tone("aac", seconds=6)), max_seconds=3)
    assert refused.value.code == "too_long"


def test_too_many_bytes_are_refused_while_reading():
    class Endless:
        """A sender that never stops: it must be cut off, not read to the end."""

        read_bytes = 0

        def read(self, size):
            self.read_bytes += size
            return b"RIFF" + b"\0" * (size - 4)

    sender = Endless()
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(sender, max_bytes=1024 * 1024)
    assert refused.value.code == "too_large" and refused.value.megabytes == 1
    assert sender.read_bytes <= 1024 * 1024 + audio.CHUNK


@pytest.mark.parametrize("data", [
    b"",
    b"Bonjour, ceci est un texte et pas un son.",
    b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n",  # a playlist: never opened
    b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
    b"%PDF-1.4\n" + b"x" * 200,
])
def test_what_is_not_sound_is_refused(data):
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(data))
    assert refused.value.code in ("not_audio", "empty")


def test_a_video_without_sound_is_not_audio():
    buffer = BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for index in range(5):
            frame = av.VideoFrame(64, 64, "yuv420p")
            frame.pts = index
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(buffer.getvalue()))
    assert refused.value.code == "not_audio"


@pytest.mark.parametrize("kind", ["m4a", "mp3", "opus", "wav", "amr"])
def test_a_damaged_file_is_refused(kind):
    data = tone(kind)
    cut = data[:60]  # the start of the file and nothing else
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(cut))
    assert refused.value.code in ("damaged", "not_audio")


def test_garbage_after_a_good_header_is_damaged():
    data = bytearray(tone("m4a"))
    start = data.index(b"mdat") + 8  # the sound itself; its index (moov) stays whole, after it
    end = data.index(b"moov") - 4
    data[start:end] = bytes((i * 37) & 0xFF for i in range(end - start))
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(bytes(data)))
    assert refused.value.code == "damaged"


def test_the_deadline_stops_a_long_transcode():
    with pytest.raises(audio.AudioError) as refused:
        audio.transcode(BytesIO(tone("wav", seconds=20)), deadline=0)
    assert refused.value.code == "too_slow"


def test_one_transcode_at_a_time_and_a_late_one_is_told_to_wait():
    release = threading.Event()
    running = audio._worker.submit(release.wait)  # the worker is busy with someone else's note
    try:
        with pytest.raises(audio.AudioError) as refused:
            audio.transcode(BytesIO(tone("wav", seconds=1)), wait=0.2)
        assert refused.value.code == "busy"
    finally:
        release.set()
        running.result()
    assert audio.transcode(BytesIO(tone("wav", seconds=1))).seconds > 0.9


def test_sniffing_names_the_demuxer():
    assert audio.sniff(b"RIFF\0\0\0\0WAVEfmt ") == "wav"
    assert audio.sniff(b"\0\0\0\x1cftyp3gp4") == "mov"
    assert audio.sniff(b"#!AMR\n") == "amr"
    assert audio.sniff(b"\xff\xf1\x50") == "aac"
    assert audio.sniff(b"\xff\xfb\x90") == "mp3"
    assert audio.sniff(b"GIF89a") is None
