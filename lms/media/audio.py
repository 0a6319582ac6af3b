"""Sound we did not make (voice notes, recorded lessons): recognised by its bytes, bounded, transcoded to Opus.

A voice note from a phone comes as m4a, aac, amr, 3gp, ogg, opus, mp3, wav or
the browser's WebM; we keep one compact copy (Opus, mono, 24 kb/s, in Ogg, no
metadata: a title or a place name recorded by the phone goes no further). The
container is recognised from its first bytes and only its own demuxer is used:
FFmpeg's guessing would also open playlists that read other files. The upload
is copied to a temporary file while it is counted (never whole in memory), the
length is checked in the header and again on the decoded samples, and one
transcode at a time runs per process, on one worker thread, within a deadline.
"""
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO

MAX_SECONDS = 180  # a voice note: three minutes
MAX_BYTES = 16 * 1024 * 1024  # three minutes of 22 kHz mono WAV, or half an hour of m4a
DEADLINE_SECONDS = 60  # one transcode's own time (three minutes of speech take about 2 s)
WAIT_SECONDS = 60  # how long a note waits for its turn before the sender is told to try again
BIT_RATE = 24_000
SAMPLE_RATE = 48_000  # Opus's own rate: no resampling inside the encoder
MIME_TYPE = "audio/ogg"
EXTENSION = ".ogg"
CHUNK = 64 * 1024
# The decoders a phone's or a browser's recorder uses; no other codec runs on what people send.
CODECS = {"aac", "aac_latm", "amr_nb", "amr_wb", "amrnb", "amrwb", "opus", "vorbis", "mp3", "mp3float", "flac",
          "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_u8", "pcm_f32le", "pcm_alaw", "pcm_mulaw", "adpcm_ima_wav",
          "gsm_ms", "libopencore_amrnb", "libopencore_amrwb"}

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-audio")


class AudioError(ValueError):
    """Why a sound was refused: empty, too_large, not_audio, damaged, too_long, too_slow or busy; limit says the
    limit that was passed (bytes or seconds)."""

    def __init__(self, code, limit=None):
        super().__init__(code)
        self.code, self.limit = code, limit

    @property
    def minutes(self):
        return round(self.limit / 60) if self.code == "too_long" and self.limit else None

    @property
    def megabytes(self):
        return round(self.limit / 1024 / 1024) if self.code == "too_large" and self.limit else None


@dataclass
class Transcoded:
    """The compact copy: Ogg Opus bytes, and its length in seconds."""

    data: bytes
    seconds: float
    mime_type: str = MIME_TYPE
    extension: str = EXTENSION


def sniff(head):
    """Return the FFmpeg demuxer for a sound file's first bytes, or None when they are no sound we accept."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:5] == b"#!AMR":
        return "amr"
    if head[4:8] == b"ftyp":
        return "mov"  # m4a, 3gp, mp4 audio
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "matroska"  # WebM from a browser's recorder
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "aac" if head[1] & 0x06 == 0 else "mp3"  # ADTS has layer 0; MPEG audio layers 1-3
    return None


def transcode(stream, max_seconds=MAX_SECONDS, max_bytes=MAX_BYTES, deadline=DEADLINE_SECONDS, wait=WAIT_SECONDS):
    """Check a sound file read from stream and return its compact copy (Transcoded); raise AudioError."""
    with tempfile.NamedTemporaryFile(prefix="lms-audio-", suffix=".in") as spooled:
        head = _spool(stream, spooled, max_bytes)
        demuxer = sniff(head)
        if demuxer is None:
            raise AudioError("not_audio")
        job = _worker.submit(_transcode, spooled.name, demuxer, max_seconds, deadline)
        try:
            return job.result(timeout=wait)
        except TimeoutError:
            if job.cancel():
                raise AudioError("busy") from None
            return job.result()  # its turn came just now


def _spool(stream, out, max_bytes):
    """Copy the upload to out in chunks, counting: refuse it as soon as it passes max_bytes; return its head."""
    size, head = 0, b""
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise AudioError("too_large", max_bytes)
        if len(head) < 64:
            head += chunk[:64]
        out.write(chunk)
    if not size:
        raise AudioError("empty")
    out.flush()
    return head


def _transcode(path, demuxer, max_seconds, deadline):
    import av  # FFmpeg loads with the first sound, not with the app

    started = time.monotonic()
    try:
        source = av.open(path, format=demuxer, options={"enable_drefs": "0"} if demuxer == "mov" else {})
    except (av.FFmpegError, ValueError, OSError):
        raise AudioError("not_audio") from None
    with source:
        stream = next((s for s in source.streams if s.type == "audio"), None)
        if stream is None or stream.codec_context.name not in CODECS:
            raise AudioError("not_audio")
        if source.duration is not None and source.duration / 1_000_000 > max_seconds + 1:
            raise AudioError("too_long", max_seconds)  # the header says so: not a sample decoded
        stream.codec_context.thread_count = 1
        return _encode(av, source, stream, max_seconds, started + deadline)


def _encode(av, source, stream, max_seconds, deadline):
    out_buffer = BytesIO()
    samples = 0
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(out_buffer, "w", format="ogg", options={"fflags": "+bitexact"}) as out:
            # Constrained VBR: free VBR spends half as much again on steady sounds and breaks the budget.
            opus = out.add_stream("libopus", rate=SAMPLE_RATE, options={"application": "voip", "vbr": "constrained",
                                                                         "frame_duration": "60"})
            opus.layout = "mono"
            opus.bit_rate = BIT_RATE
            opus.codec_context.thread_count = 1
            for frame in source.decode(stream):
                if time.monotonic() > deadline:
                    raise AudioError("too_slow")
                frame.pts = None
                for mono in resampler.resample(frame):
                    samples += mono.samples
                    if samples > (max_seconds + 1) * SAMPLE_RATE:
                        raise AudioError("too_long", max_seconds)  # the header lied, or had no length
                    for packet in opus.encode(mono):
                        out.mux(packet)
            for mono in resampler.resample(None):
                samples += mono.samples
                for packet in opus.encode(mono):
                    out.mux(packet)
            for packet in opus.encode(None):
                out.mux(packet)
    except AudioError:
        raise
    except (av.FFmpegError, ValueError, OSError, MemoryError):
        raise AudioError("damaged") from None
    if samples < SAMPLE_RATE // 10:  # under a tenth of a second: nothing could be decoded
        raise AudioError("damaged")
    return Transcoded(out_buffer.getvalue(), samples / SAMPLE_RATE)
