import pytest

from conftest import write
from pipeline._config import Settings, ShowSettings, find_config, load_settings, settings_for
from pipeline.errors import ConfigError
from pipeline.parse.script import load_script


def test_defaults_live_in_the_dataclasses(monkeypatch):
    monkeypatch.delenv("PODCAST_VOICE", raising=False)
    s = Settings()
    assert (s.speech.voice, s.master.loudness, s.master.true_peak, s.master.bitrate) == ("michael", -16.0, -1.0, 128)


def test_the_environment_chooses_the_machines_default_voice_under_everything_else(tmp_path, monkeypatch):
    monkeypatch.setenv("PODCAST_VOICE", " joe ")
    assert Settings().speech.voice == "joe"
    assert load_settings(write(tmp_path / "podcast.toml", '[speech]\nvoice = "heart"\n')).speech.voice == "heart"
    monkeypatch.setenv("PODCAST_VOICE", "")
    assert Settings().speech.voice == "michael"


def test_precedence_defaults_toml_front_matter_cli(tmp_path):
    write(
        tmp_path / "podcast.toml",
        """
[show]
title = "My Show"
author = "Me"
[speech]
voice = "from-toml"
paragraph_pause = 0.5
[master]
loudness = -19
channels = 1
[music]
intro = "music/intro.flac"
""",
    )
    episode = write(tmp_path / "season1" / "ep.md", "---\nvoice: from-front-matter\nintro: mine.wav\n---\n\nHi.\n")
    settings = settings_for(episode)
    assert settings.show.title == "My Show"
    assert settings.master.loudness == -19.0 and settings.master.channels == 1
    assert settings.music.intro == str(tmp_path / "music" / "intro.flac")

    script = load_script(episode, settings)
    assert script.settings.speech.voice == "from-front-matter"
    assert script.settings.music.intro == str(tmp_path / "season1" / "mine.wav")
    assert script.settings.speech.paragraph_pause == 0.5  # untouched layers stay

    script = load_script(episode, settings, {"speech": {"voice": "from-cli"}})
    assert script.settings.speech.voice == "from-cli"
    assert script.segments[0].voice == "from-cli"


def test_config_found_in_parent_folder(tmp_path):
    write(tmp_path / "podcast.toml", "[show]\ntitle = 'x'\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep / "ep.md") == tmp_path / "podcast.toml"


@pytest.mark.parametrize(
    "toml, problem",
    [
        ("[master]\nloudness = 'loud'\n", "master.loudness must be float"),
        ("[master]\nchannels = 2.5\n", "master.channels must be int"),
        ("[speech]\nvoices = 'x'\n", "unknown setting speech.voices"),
        ("[mastering]\nloudness = -16\n", "unknown section [mastering]"),
        ("[show\ntitle = 1\n", "invalid TOML"),
        ("[music]\nintro = ''\n", "must be a file path"),
    ],
)
def test_bad_config(tmp_path, toml, problem):
    path = write(tmp_path / "podcast.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert problem in str(err.value) and str(path) in str(err.value)


def test_explicit_config_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "toml, problem",
    [
        ("[master]\nchannels = 6\n", "master.channels must be 1 (mono) or 2 (stereo)"),
        ("[master]\nbitrate = 100\n", "master.bitrate must be an MP3 bit rate"),
        ("[master]\nloudness = 3\n", "master.loudness must be between -40 and -5 LUFS"),
        ("[music]\nlead_in = -1\n", "music.lead_in must be between 0 and 60 seconds"),
        # issue 11, item 8: NaN and infinity passed (then "the audio is silent", or an OverflowError)
        ("[music]\nlevel = nan\n", "music.level must be a finite number, not nan"),
        ("[music]\nlead_in = inf\n", "music.lead_in must be a finite number, not inf"),
        ("[master]\nloudness = -inf\n", "master.loudness must be a finite number, not -inf"),
        ("[music]\noutro_hold = 1e9\n", "music.outro_hold must be between 0 and 60 seconds"),
        ("[music]\nlevel = 90.0\n", "music.level must be between -40 and 20 LU"),
        ("[batch]\nscheduler_timeout = 0\n", "batch.scheduler_timeout must be more than 0 and at most 600 seconds"),
    ],
)
def test_out_of_range_settings(tmp_path, toml, problem):
    with pytest.raises(ConfigError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_settings(write(tmp_path / "podcast.toml", toml))


@pytest.mark.parametrize(
    "toml, problem",
    [
        # "none" became a cache folder named none in the working folder
        ('[paths]\ncache = "none"\n', "paths.cache must be a folder path or 'default', not 'none'"),
        ('[paths]\noutput = "default"\n', "paths.output must be a folder path, not 'default'"),
        ('[paths]\noutput = "None"\n', "paths.output must be a folder path, not 'None'"),
        ('[site]\noutput = "default"\n', "site.output must be a folder path or 'none', not 'default'"),
        ('[show]\nartwork = "default"\n', "show.artwork must be a file path or 'none', not 'default'"),
    ],
)
def test_each_path_setting_takes_only_the_words_that_mean_something_for_it(tmp_path, toml, problem):
    path = write(tmp_path / "podcast.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value).startswith(f"{path}: {problem}")
    word = problem.split("'")[-2]
    assert f"'./{word}'" in str(err.value)  # how to name a folder that really is called that


def test_the_words_a_path_setting_takes(tmp_path):
    toml = (
        '[show]\nartwork = "none"\n[music]\nintro = "none"\noutro = "Default"\n'
        '[paths]\ncache = "default"\noutput = "./none"\n[site]\noutput = "none"\n'
    )
    s = load_settings(write(tmp_path / "podcast.toml", toml))
    assert (s.show.artwork, s.music.intro, s.music.outro) == ("none", "none", "default")
    assert (s.paths.cache, s.site.output) == ("default", "none")
    assert s.paths.output == str(tmp_path / "none")  # a folder that is called none: written as a path


def test_dotted_numbers_setting(tmp_path):
    assert Settings().speech.dotted_numbers == "auto"
    write(tmp_path / "podcast.toml", '[speech]\ndotted_numbers = "version"\n')
    assert load_settings(tmp_path / "podcast.toml").speech.dotted_numbers == "version"
    write(tmp_path / "podcast.toml", '[speech]\ndotted_numbers = "semver"\n')
    with pytest.raises(
        ConfigError, match="speech.dotted_numbers must be one of 'auto', 'version', 'decimal', not 'semver'"
    ):
        load_settings(tmp_path / "podcast.toml")


def test_a_kernel_show_reads_every_dotted_number_as_a_version(tmp_path):
    from pipeline.text import spoken

    write(tmp_path / "podcast.toml", '[speech]\ndotted_numbers = "version"\n')
    episode = write(tmp_path / "ep.md", "We expect 4.19 soon.\n")
    said = spoken.speak(load_script(episode, settings_for(episode)))
    assert said.segments[0].spoken == "We expect four point nineteen soon."
    write(tmp_path / "podcast.toml", '[speech]\ndotted_numbers = "decimal"\n')
    said = spoken.speak(load_script(episode, settings_for(episode)))
    assert said.segments[0].spoken == "We expect four point one nine soon."


def test_the_feed_asks_for_artwork_unless_it_names_a_file():
    from pipeline.show.derive import feed_problems

    needed = "show.artwork is needed for the feed"
    for unset in (None, "none"):
        assert ShowSettings(artwork=unset).cover is None
        assert any(p.startswith(needed) for p in feed_problems(ShowSettings(artwork=unset)))
    assert ShowSettings(artwork="/art/cover.jpg").cover == "/art/cover.jpg"
    assert not any(p.startswith(needed) for p in feed_problems(ShowSettings(artwork="/art/cover.jpg")))


def test_extra_formats_are_off_by_default_and_validated(tmp_path):
    assert Settings().master.formats == ()
    ok = load_settings(write(tmp_path / "podcast.toml", '[master]\nformats = ["Opus", "m4a"]\n'))
    assert ok.master.formats == ("opus", "m4a")
    for value, problem in (
        ('["mp4"]', "master.formats: 'mp4' is not one of 'm4a', 'opus'"),
        ('["m4a", "m4a"]', "master.formats names a format twice"),
        ('"m4a"', "master.formats must be a list of text"),
    ):
        path = write(tmp_path / "podcast.toml", f"[master]\nformats = {value}\n")
        with pytest.raises(ConfigError) as err:
            load_settings(path)
        assert str(err.value).startswith(f"{path}: ") and problem in str(err.value), str(err.value)
        assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "text",
    ["a = " + "[" * 5000 + "]" * 5000 + "\n", "a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n"],
    ids=["arrays", "inline-tables"],
)
def test_toml_nested_past_the_parser_is_one_config_error(tmp_path, text):
    """Arrays or inline tables nested 5,000 deep: a ConfigError naming the file, not a RecursionError."""
    path = write(tmp_path / "podcast.toml", text)
    with pytest.raises(ConfigError, match="nested too deeply") as err:
        load_settings(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_podcast_toml_that_is_no_regular_file_is_found_and_named(tmp_path):
    """Discovery stops at a podcast.toml that is a FIFO (or a folder, or a dangling link): loading
    names it, instead of passing over it to a parent's, or to none."""
    import os

    write(tmp_path / "podcast.toml", "[show]\ntitle = 'the parent'\n")
    show = tmp_path / "show"
    show.mkdir()
    os.mkfifo(show / "podcast.toml")
    assert find_config(show / "ep.md") == show / "podcast.toml"
    with pytest.raises(ConfigError, match=r"podcast.toml: is a FIFO \(named pipe\), not a regular settings file"):
        settings_for(show / "ep.md")
    (show / "podcast.toml").unlink()
    (show / "podcast.toml").symlink_to(show / "gone.toml")
    with pytest.raises(ConfigError, match="podcast.toml: no such file"):
        settings_for(show / "ep.md")


@pytest.mark.parametrize(
    "toml",
    [
        "[show]\ntitle = [" + "1, " * 300_000 + "]\n",
        "[show]\n" + "k" * 1_000_000 + " = 1\n",
        "[" + "s" * 1_000_000 + "]\n",
        "[master]\nloudness = '" + "x" * 1_000_000 + "'\n",
        "[site]\nsubscribe = '" + "x" * 1_000_000 + "'\n",
    ],
    ids=["long-list", "long-key", "long-section", "long-text", "long-table"],
)
def test_an_error_quotes_a_huge_value_short(tmp_path, toml):
    """An error about a setting quotes its value or name cut short: one readable line, not megabytes."""
    path = write(tmp_path / "podcast.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert len(str(err.value)) < 1000 and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "toml, problem",
    [
        (
            "[master]\nsample_rate = 8000\n",
            "master.sample_rate must be 22050, 24000, 32000, 44100 or 48000 (Hz), not 8000",
        ),
        ('[show]\ncategories = ["Technology", "Technology"]\n', "show.categories names 'Technology' twice"),
        ('[show]\ncategories = ["Arts/Design", "Arts / Design"]\n', "show.categories names 'Arts/Design' twice"),
        ("[show]\nseason_names = {a = 1}\n", "show.season_names must map season numbers (1, 2, ...) to names; 'a' = 1"),
        (
            '[show]\nseason_names = {a = "First"}\n',
            "show.season_names must map season numbers (1, 2, ...) to names; 'a'",
        ),
        (
            '[show]\nseason_names = {01 = "First"}\n',
            "show.season_names must map season numbers (1, 2, ...) to names; '01'",
        ),
        (
            '[show]\nseason_names = {0 = "First"}\n',
            "show.season_names must map season numbers (1, 2, ...) to names; '0'",
        ),
        ("[show]\nseason_names = {1 = 1}\n", "show.season_names must map season numbers (1, 2, ...) to names; '1' = 1"),
        (
            '[show]\nseason_names = {1 = "  "}\n',
            "show.season_names must map season numbers (1, 2, ...) to names; '1' = '  '",
        ),
        ('[show]\nseason_names = "First"\n', 'show.season_names must be a table (1 = "Season name")'),
        ('[show]\nspeaker_names = "Ada"\n', 'show.speaker_names must be a table (HOST = "Display Name")'),
        ('[show]\nspeaker_roles = "host"\n', 'show.speaker_roles must be a table (HOST = "host")'),
        (
            '[show]\nspeaker_images = "x"\n',
            'show.speaker_images must be a table (HOST = "https://example.com/host.jpg")',
        ),
        ('[show]\nspeaker_links = "x"\n', 'show.speaker_links must be a table (HOST = "https://example.com/host")'),
        ('[site]\nsubscribe = "x"\n', 'site.subscribe must be a table (apple = "https://podcasts.apple.com/...")'),
    ],
)
def test_each_table_and_list_setting_says_its_own_form(tmp_path, toml, problem):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path / "podcast.toml", toml))
    assert problem in str(err.value), str(err.value)


def test_season_names_by_number_are_accepted(tmp_path):
    settings = load_settings(write(tmp_path / "podcast.toml", '[show.season_names]\n1 = "First"\n12 = "Twelfth"\n'))
    assert settings.show.season_names == {"1": "First", "12": "Twelfth"}
