"""Engines are plugins: every engine name, the bundled ones included, is found through the
entry-point group `podcast_pipeline.engines` of an installed distribution."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from pipeline.errors import VoiceError
from pipeline.synthesis.engines import registry
from pipeline.synthesis.voices import load_voice_file

BUNDLED = {
    "piper": "pipeline.synthesis.engines.piper:PiperEngine",
    "kokoro": "pipeline.synthesis.engines.kokoro:KokoroEngine",
    "espeak": "pipeline.synthesis.engines.espeak:EspeakEngine",
    "coqui": "pipeline.synthesis.engines.coqui:CoquiEngine",
}

ACME = """
class AcmeEngine:
    name = "acme"
    concurrent = True
    seeded = False

    @staticmethod
    def resolve_model(ref, base, where):
        return ref

    @staticmethod
    def model_config(model, config, base, where):
        return None
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where a test installs distributions by hand (a `NAME.dist-info`
    with METADATA and entry_points.txt, as pip leaves one); the group is read afresh after."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    monkeypatch.undo()
    registry._declared.cache_clear()


def install(site: Path, dist: str, entry_points_txt: str, **modules: str) -> None:
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[podcast_pipeline.engines]\n{entry_points_txt}")
    for module, source in modules.items():
        (site / f"{module}.py").write_text(source)


def test_the_bundled_engines_are_entry_points_of_the_package():
    declared = {p.name: p for p in entry_points(group=registry.GROUP) if p.name in BUNDLED}
    assert {name: p.value for name, p in declared.items()} == BUNDLED
    assert {p.dist.name for p in declared.values() if p.dist is not None} == {"podcast-pipeline"}
    for name in BUNDLED:
        assert registry.engine_class(name).name == name
    assert set(BUNDLED) <= set(registry.names())


def test_a_third_party_engine_is_found_by_name_through_its_entry_point(site, tmp_path):
    registry.names()  # the group was read before the plugin was installed: it is read again on a miss
    install(site, "acme_tts", "acme = acme_tts:AcmeEngine\n", acme_tts=ACME)
    cls = registry.engine_class("acme")
    assert cls.__module__ == "acme_tts" and cls.__name__ == "AcmeEngine"
    assert "acme" in registry.names()
    voice_file = tmp_path / "voices" / "robot.toml"
    voice_file.parent.mkdir()
    voice_file.write_text('engine = "acme"\nmodel = "anvil"\n')
    voice = load_voice_file(voice_file)
    assert (voice.engine, voice.model) == ("acme", "anvil")


def test_a_stale_copy_of_the_package_metadata_earlier_on_the_path_does_not_hide_the_engines(site):
    """Package metadata earlier on sys.path that declares no engines (a source tree's stale
    podcast_pipeline.egg-info, first on the path when `podcast` runs from the tree) hides none of
    the installed engines: they all count."""
    stale = site / "podcast_pipeline.egg-info"
    stale.mkdir()
    (stale / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: podcast-pipeline\nVersion: 0.1.0\n")
    (stale / "entry_points.txt").write_text("[console_scripts]\npodcast = pipeline.app.cli:main\n")
    registry._declared.cache_clear()
    assert registry.engine_class("piper").name == "piper"
    assert set(BUNDLED) <= set(registry.names())


def test_an_unknown_engine_is_one_line_naming_the_voice_file_and_the_known_names():
    with pytest.raises(VoiceError) as err:
        registry.engine_class("nope", "voices/mine.toml")
    message = str(err.value)
    assert message.startswith("voices/mine.toml: unknown engine 'nope' (known: ")
    assert "\n" not in message and all(name in message for name in BUNDLED)


def test_without_the_bundled_engines_registered_the_error_says_to_reinstall_the_package(monkeypatch):
    """Package metadata older than the entry points (an install from before them) lists no bundled engine."""
    monkeypatch.setattr(registry, "distributions", lambda: ())
    registry._declared.cache_clear()
    try:
        with pytest.raises(
            VoiceError,
            match=r"^voice: unknown engine 'piper' \(known: none; the bundled engines are not registered: reinstall",
        ):
            registry.engine_class("piper")
    finally:
        monkeypatch.undo()
        registry._declared.cache_clear()


def test_an_engine_name_two_packages_declare_is_refused_naming_both(site):
    install(site, "acme_tts", "twin = acme_tts:AcmeEngine\n", acme_tts=ACME)
    install(site, "other_tts", "twin = other_tts:AcmeEngine\n", other_tts=ACME)
    with pytest.raises(VoiceError, match=r"^v.toml: engine 'twin' is declared by more than one .*acme_tts, other_tts"):
        registry.engine_class("twin", "v.toml")


def test_a_plugin_whose_module_is_missing_is_not_installed(site):
    install(site, "ghost_tts", "ghost = ghost_tts_missing:GhostEngine\n")
    with pytest.raises(
        VoiceError, match=r"^v.toml: the ghost engine is not installed \(ghost_tts_missing is missing\)$"
    ):
        registry.engine_class("ghost", "v.toml")


def test_a_plugin_naming_a_class_its_module_lacks_is_one_line(site):
    install(site, "hollow_tts", "hollow = hollow_tts:NoSuchEngine\n", hollow_tts="X = 1\n")
    with pytest.raises(VoiceError, match=r"^v.toml: the hollow engine's entry point 'hollow_tts:NoSuchEngine' names"):
        registry.engine_class("hollow", "v.toml")
