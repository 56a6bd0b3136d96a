import errno
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import write
from pipeline.errors import MediaError
from pipeline.sound import audio, ffmpeg

# Uses ffmpeg or eSpeak NG: CI runs these again with the distribution's own tools.
pytestmark = pytest.mark.tools


def tone(path, seconds=2.0, rate=22050, amplitude=0.25, freq=440.0):
    t = np.arange(int(seconds * rate)) / rate
    with audio.WavWriter(path, rate) as w:
        w.write((amplitude * 32767 * np.sin(2 * np.pi * freq * t)).astype(np.int16))
    return path


def test_failure_names_command_and_stderr(tmp_path):
    with pytest.raises(MediaError) as err:
        ffmpeg.run(["-i", tmp_path / "missing.wav", "-f", "null", "-"], what="decoding")
    msg = str(err.value)
    assert msg.startswith("decoding failed (exit")
    assert "missing.wav" in msg and "No such file" in msg


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_is_the_os_error_naming_the_file():
    """ffmpeg's "No space left on device" becomes the OSError a write of ours would get (so the
    command says which file, as for any full disk), even from ffmpeg 5.1, which exits 0 then."""
    from pipeline.errors import user_os_error

    tone = ["-y", "-f", "lavfi", "-i", "sine=duration=20", "-map", "0:a", "-c:a", "libmp3lame"]
    with pytest.raises(OSError) as plain:
        ffmpeg.run([*tone, "-f", "mp3", "/dev/full"], what="encoding")
    with pytest.raises(OSError) as measured:
        ffmpeg.encode_measured(tone, Path("/dev/full"), "mp3", [], "encoding")
    for caught in (plain, measured):
        assert caught.value.errno == errno.ENOSPC and caught.value.filename == "/dev/full"
        assert str(user_os_error(caught.value)) == "/dev/full: no space left on the device"


def test_loudness_of_a_known_tone(tmp_path):
    # A full-scale-referenced 1 kHz sine at -20 dBFS peak in mono measures about -23 LUFS.
    path = tone(tmp_path / "t.wav", seconds=5, rate=48000, amplitude=0.1, freq=1000)
    m = ffmpeg.measure_loudness(path)
    assert m.integrated == pytest.approx(-23.0, abs=0.3)
    assert m.true_peak == pytest.approx(-20.0, abs=0.3)


def test_probe(tmp_path):
    info = ffmpeg.probe(tone(tmp_path / "t.wav", seconds=1.5))
    assert (info.sample_rate, info.channels, info.codec) == (22050, 1, "pcm_s16le")
    assert info.duration == pytest.approx(1.5, abs=0.01)
    with pytest.raises(MediaError, match="not a readable audio file"):
        ffmpeg.probe(write(tmp_path / "x.wav", "hello, I am text"))


def test_resample_keeps_duration(tmp_path):
    samples = (np.sin(np.arange(22050) / 10) * 10000).astype(np.int16)
    out = audio.resample(samples, 22050, 44100)
    assert out.dtype == np.int16 and abs(len(out) - 44100) <= 2


# ---------------------------------------------------------------- which ffmpeg, and what it can do


def fake_ffmpeg(
    tmp_path, name="ffmpeg", hide_filter=None, hide_quiet=False, hide_soxr=False, counter=None, hide_encoder=None
):
    """A wrapper around the ffmpeg in use that hides a capability from its listings,
    as an older or differently built ffmpeg would lack it."""
    real = ffmpeg.current().path
    lines = ["#!/bin/sh"]
    if counter:
        lines.append(f'echo "$*" >> "{counter}"')
    lines.append('case " $* " in')
    if hide_filter:
        lines.append(f'  *" -filters "*) "{real}" "$@" | grep -v " {hide_filter} "; exit 0 ;;')
    if hide_encoder:
        lines.append(f'  *" -encoders "*) "{real}" "$@" | grep -v " {hide_encoder} "; exit 0 ;;')
    if hide_quiet:
        lines.append(f'  *" -h full "*) "{real}" "$@" | grep -v "^     quiet "; exit 0 ;;')
    if hide_soxr:
        lines.append(f'  *" -version "*) "{real}" "$@" | sed "s/--enable-libsoxr//"; exit 0 ;;')
    lines += [f'  *) exec "{real}" "$@" ;;', "esac"]
    path = write(tmp_path / name, "\n".join(lines) + "\n")
    path.chmod(0o755)
    return path


def test_the_pinned_binary_by_default(monkeypatch):
    monkeypatch.delenv(ffmpeg.ENV, raising=False)
    tool = ffmpeg.choose()
    assert "imageio_ffmpeg" in tool.path and tool.source.startswith("pinned (imageio-ffmpeg ")
    assert tool.missing == () and tool.soxr and tool.framelog_quiet
    assert tool.version.startswith("n9.0")  # the version the project pins


def test_environment_wins_over_the_setting(tmp_path, monkeypatch):
    fake = fake_ffmpeg(tmp_path)
    monkeypatch.setenv(ffmpeg.ENV, str(fake))
    tool = ffmpeg.choose("system")
    assert (tool.path, tool.source) == (str(fake), ffmpeg.ENV)


def test_setting_names_a_path_relative_to_podcast_toml(tmp_path, monkeypatch):
    from pipeline._config import load_settings

    monkeypatch.delenv(ffmpeg.ENV, raising=False)
    fake = fake_ffmpeg(tmp_path / "bin")
    settings = load_settings(write(tmp_path / "podcast.toml", '[tools]\nffmpeg = "bin/ffmpeg"\n'))
    tool = ffmpeg.use(settings.tools.ffmpeg, settings.show_dir)
    assert tool.path == str(fake) and ffmpeg.current() == tool and tool.source == "podcast.toml"


def test_system_asked_for_but_none_on_path(tmp_path, monkeypatch):
    monkeypatch.delenv(ffmpeg.ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MediaError, match="no ffmpeg on PATH"):
        ffmpeg.choose("system")


def test_a_file_that_is_not_ffmpeg(tmp_path, monkeypatch):
    impostor = write(tmp_path / "ffmpeg", "#!/bin/sh\necho 'hello, I am not ffmpeg'\n")
    monkeypatch.setenv(ffmpeg.ENV, str(impostor))
    with pytest.raises(MediaError, match=r"ffmpeg is not ffmpeg|not an executable file"):
        ffmpeg.choose()
    impostor.chmod(0o755)
    with pytest.raises(MediaError, match=r"is not ffmpeg \(its -version says 'hello, I am not ffmpeg'\)"):
        ffmpeg.choose()


def test_a_missing_filter_stops_with_one_line(tmp_path, monkeypatch):
    fake = fake_ffmpeg(tmp_path, hide_filter="alimiter")
    monkeypatch.setenv(ffmpeg.ENV, str(fake))
    tool = ffmpeg.choose()
    assert tool.missing == ("the alimiter filter",)
    with pytest.raises(MediaError) as err:
        ffmpeg.use()
    msg = str(err.value)
    assert msg.startswith(f"ffmpeg {fake} (version ") and "lacks the alimiter filter" in msg
    assert ffmpeg.ENV in msg and "[tools] ffmpeg" in msg and "\n" not in msg


def test_ebur128_without_framelog_quiet_measures_the_same(tmp_path, monkeypatch):
    # Debian 12's ffmpeg 5.1: framelog has only info and verbose.
    path = tone(tmp_path / "t.wav", seconds=5, rate=48000, amplitude=0.1, freq=1000)
    expected = ffmpeg.measure_loudness(path)
    monkeypatch.setenv(ffmpeg.ENV, str(fake_ffmpeg(tmp_path, hide_quiet=True)))
    tool = ffmpeg.use()
    assert not tool.framelog_quiet and "framelog=verbose" in tool.ebur128()
    assert ffmpeg.measure_loudness(path) == expected


def test_swr_when_soxr_is_not_built_in(tmp_path, monkeypatch):
    monkeypatch.setenv(ffmpeg.ENV, str(fake_ffmpeg(tmp_path, hide_soxr=True)))
    tool = ffmpeg.use()
    assert tool.resampler == "swr" and tool.describe()["resampler"] == "swr"
    assert tool.resample(44100, precision=16) == "aresample=44100"
    samples = (np.sin(np.arange(22050) / 10) * 8000).astype(np.int16)
    assert len(audio.resample(samples, 22050, 44100)) == pytest.approx(44100, abs=2)


def test_the_probe_is_cached_per_binary_and_mtime(tmp_path, monkeypatch):
    import os

    counter = tmp_path / "calls.txt"
    fake = fake_ffmpeg(tmp_path, counter=counter)
    monkeypatch.setenv(ffmpeg.ENV, str(fake))
    ffmpeg.choose()
    first = counter.read_text().splitlines()
    assert "-version" in first[0] and len(first) >= 5
    ffmpeg._inspect.cache_clear()  # a new process: the answer comes from the disk cache
    ffmpeg.choose()
    assert counter.read_text().splitlines() == first
    os.utime(fake, ns=(1, 1))  # another binary at that path: probed again
    ffmpeg.choose()
    assert len(counter.read_text().splitlines()) == 2 * len(first)


def test_render_stops_before_synthesis_when_ffmpeg_lacks_something(tmp_path, cli_inproc):
    episode = write(tmp_path / "show" / "ep.md", "# Ep\n\nOne short paragraph.\n")
    env = {ffmpeg.ENV: str(fake_ffmpeg(tmp_path, hide_filter="alimiter"))}
    for args in (["render", episode, "-o", tmp_path / "out"], ["preview", episode, "1"], ["check", episode]):
        r = cli_inproc(*args, env=env)
        assert r.code == 1, (args, r.stderr)
        lines = [line for line in (r.stdout + r.stderr).splitlines() if "lacks" in line]
        assert len(lines) == 1 and "lacks the alimiter filter" in lines[0] and "Traceback" not in r.stderr
    assert not list((tmp_path / "cache").rglob("*.flac"))  # nothing was synthesized
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("program", ["pinned", "system"])
def test_both_ffmpegs_write_the_extra_formats(program, monkeypatch):
    """The pinned build and the distribution's (CI installs Debian's) have the AAC encoder and libopus."""
    monkeypatch.delenv(ffmpeg.ENV, raising=False)
    if program == "system" and not shutil.which("ffmpeg"):
        pytest.skip("no ffmpeg on PATH")
    tool = ffmpeg.choose(program)
    assert tool.formats_missing == () and tool.describe()["formats"] == ["m4a", "opus"]
    assert tool.require_formats(["m4a", "opus"]) is tool


def test_an_extra_format_the_ffmpeg_cannot_write_stops_the_render_before_synthesis(tmp_path, cli_inproc):
    show = tmp_path / "show"
    write(show / "podcast.toml", '[master]\nformats = ["m4a", "opus"]\n')
    episode = write(show / "ep.md", "# Ep\n\nOne short paragraph.\n")
    env = {ffmpeg.ENV: str(fake_ffmpeg(tmp_path, hide_encoder="libopus"))}
    for args in (["render", episode, "-o", tmp_path / "out"], ["check", episode]):
        r = cli_inproc(*args, env=env)
        assert r.code == 1, (args, r.stderr)
        lines = [line for line in (r.stdout + r.stderr).splitlines() if "lacks" in line]
        assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
        assert "[master] formats asks for opus" in lines[0] and "lacks the libopus encoder" in lines[0]
    assert not list((tmp_path / "cache").rglob("*.flac"))  # nothing was synthesized
    assert not (tmp_path / "out").exists()
    # Without the setting the same ffmpeg serves: only a show that asks for Opus needs libopus.
    tool = ffmpeg.inspect(env[ffmpeg.ENV], "test")
    assert tool.missing == () and tool.formats_missing == (("opus", "the libopus encoder"),)
    tool.require_formats(["m4a"])
