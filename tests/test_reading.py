"""The reading check (verify/reading.py): the recognizer's written words against the script's
written text, so that a wrong reading shows although the audio says what the program meant.

The recognizer's output is a stub here (what faster-whisper tiny.en writes for such audio);
the end-to-end measurement is scripts/verify_calibration.py's (README, "Verification")."""

import pytest

from pipeline.parse.script import Segment
from pipeline.text.lexicon import parse
from pipeline.text.spoken import split_sentences, spoken_text
from pipeline.verify import checks, reading, recognizer
from pipeline.verify.doc import Verification, as_text, report_summary


def segment(text, words=None, index=1):
    """A segment as the spoken-text stage makes it, with a show lexicon of `words`."""
    lexicon = parse({"words": words or {}}, "lexicon.toml")
    written = split_sentences(text)
    said = tuple(spoken_text(s, lexicon) for s in written)
    return Segment(
        index=index,
        id=f"s{index}",
        chapter=0,
        source=text,
        voice="joe",
        line=1,
        spoken=" ".join(said),
        sentences=said,
        written=written,
    )


def heard(text, start=0.0):
    return [recognizer.Heard(w, start + i * 0.3, start + i * 0.3 + 0.25) for i, w in enumerate(text.split())]


WRONG = {"Dr.": "Drive", "2038": "twenty thirty-nine", "KVM": "gravy"}
TEXT = "We asked Dr. Jones about KVM and the 2038 problem."


def test_a_lexicon_reading_heard_as_read_is_a_reading_problem():
    seg = segment(TEXT, WRONG)
    assert "Drive Jones" in seg.spoken and "gravy" in seg.spoken  # the audio says what the lexicon meant
    found = {r["token"]: r for r in reading.check(seg, heard("We asked Drive Jones about gravy and the 2039 problem."))}
    assert set(found) == {"Dr.", "KVM", "2038"}
    dr = found["Dr."]
    assert dr["reading"] == "Drive" and dr["heard"] == "Drive" and dr["expected"] == "Doctor"
    assert dr["source"] == "lexicon" and dr["suggestion"] == '"Dr." = "Doctor"' and dr["inline"] == "{Dr.|Doctor}"
    assert dr["time"] == pytest.approx(0.6)
    assert found["2038"]["suggestion"] == '2038 = "twenty thirty-eight"' and found["2038"]["heard"] == "2039"


def test_the_same_audio_is_no_problem_without_the_lexicon():
    """The sound check and the reading check agree on a correct render: no hint."""
    seg = segment(TEXT)
    assert reading.check(seg, heard("We asked Dr. Jones about KVM and the 2038 problem.")) == []


@pytest.mark.parametrize(
    "written, said",
    [
        ("We asked Dr. Jones about KVM and the 2038 problem.", "written as the script"),
        ("We asked Doctor Jones about K V M and the 2038 problem.", "words for the abbreviation, letters"),
        ("We asked Dr Jones about K-V-M, and the twenty thirty-eight problem.", "no stop, dashes, number words"),
    ],
)
def test_the_recognizers_ways_of_writing_a_right_reading_pass(written, said):
    seg = segment(TEXT, {"KVM": "K V M"})  # a lexicon line that agrees with the rules
    assert reading.check(seg, heard(written)) == [], said


@pytest.mark.parametrize(
    "text, heard_as",
    [
        ("Linus announced Linux 4.11-rc3 today.", "Linus announced Linux 4.11 RC3 today."),
        ("Linus announced Linux 4.11-rc3 today.", "Linus announced Linux four point eleven RC3 today."),
        ("It grew by 45% in 2016.", "It grew by 45 percent in 2016."),
        ("It costs $5 and that is all.", "It costs five dollars and that is all."),
        ("The meeting is on Feb. 3, 2025 at noon.", "The meeting is on February 3rd, 2025 at noon."),
    ],
)
def test_no_hint_on_correct_readings_written_otherwise(text, heard_as):
    assert reading.check(segment(text), heard(heard_as)) == []


def test_a_misheard_token_is_the_sound_checks_business_not_a_reading_problem():
    """Heard neither as the program read it nor as the rules would: a recognizer slip."""
    seg = segment(TEXT, WRONG)
    assert reading.check(seg, heard("We asked Dr. Jones about TVM and the 2038 problem.")) == []


def test_the_rules_reading_two_numbers_alike_is_found_by_the_number_heard(monkeypatch):
    """Were the rules themselves to read "24.04" as "twenty-four point four", the recognizer would
    write "24.4": a number the script does not have, heard exactly as the program read it."""
    real = spoken_text

    def rules(text, *args, **kwargs):
        return real(text.replace("24.04", "24.4"), *args, **kwargs)

    monkeypatch.setattr(reading, "spoken_text", rules)
    seg = segment("Ubuntu 24.04 is out.", {"24.04": "twenty-four point four"})  # the same reading, as the rules'
    [found] = reading.check(seg, heard("Ubuntu 24.4 is out."))
    assert found["token"] == "24.04" and found["source"] == "rules" and found["suggestion"] == '"24.04" = "..."'
    assert reading.check(seg, heard("Ubuntu 24.04 is out.")) == []
    assert reading._new_number("24.4", "24.04") == "24.4"
    assert reading._new_number("4 11", "4.11-rc3") is None
    assert reading._new_number("March 21st, 2017", "2017/03/21") is None
    assert reading._new_number("3 quarters", "3/4") is None
    assert reading._new_number("1,024", "1024") is None


def test_an_inline_override_is_the_authors_reading_and_not_checked():
    seg = segment("We asked {Dr.|Drive} Jones.")
    assert "Drive Jones" in seg.spoken
    assert reading.check(seg, heard("We asked Drive Jones.")) == []


def test_plain_words_respelled_by_the_lexicon_are_not_checked():
    seg = segment("The statx call is new.", {"statx": "stat x"})
    assert reading.check(seg, heard("The stat x call is new.")) == []


@pytest.mark.parametrize(
    "token, kind",
    [
        ("2038", "number"),
        ("4.11-rc3,", "number"),
        ("Dr.", "abbreviation"),
        ("e.g.", "abbreviation"),
        ("$5", "number"),
        ("a/b", "symbol"),
        ("HAVE_GENERIC", "symbol"),
        ("KVM", "acronym"),
        ("(KVM)", "acronym"),
        ("Linux.", None),
        ("It's", None),
        ("dm-crypt", None),
    ],
)
def test_kinds_of_token_checked(token, kind):
    assert reading.kind(token) == kind


def test_readings_show_in_the_verification_and_its_text():
    seg = segment(TEXT, WRONG)
    check = checks.check_segment(seg, heard("We asked Drive Jones about gravy and the 2039 problem."), 0, 4)
    assert check.verdict == "ok" and len(check.readings) == 3  # a hint, never a verdict
    doc = Verification("t.md", "t", (check,), {"largest_offset": None, "offsets": [], "checked": 0}, 1.0, 4.0).to_json()
    assert doc["summary"]["reading_hints"] == 3 and doc["summary"]["ok"] == 1
    text = as_text(doc)
    assert "reading: 'Dr.' read 'Drive', heard 'Drive' (segment 1 at 0.6 s)" in text
    assert '"Dr." = "Doctor"' in text and "{Dr.|Doctor}" in text
    summary = report_summary(doc, "t.verify.json")
    assert summary["readings"][0]["token"] == "Dr." and summary["readings"][0]["segments"] == [1]


# ---------------------------------------------------------------- end to end: the real voice and recognizer


@pytest.mark.slow
@pytest.mark.tools
@pytest.mark.skipif(
    recognizer.available() is not None, reason="the verify extra is not installed; `make test` installs it"
)
def test_render_verify_reports_a_wrong_lexicon_reading(tmp_path, cli):
    """A lexicon line meant for street names reads a doctor's title "Drive": the render is fine
    (every word heard as read), and the reading hint names the token, the reading and the fix."""
    import json

    show = tmp_path / "show"
    show.mkdir()
    (show / "podcast.toml").write_text('[music]\nintro = "none"\noutro = "none"\n')
    (show / "lexicon.toml").write_text('[words]\n"Dr." = "Drive"\n')
    episode = show / "visit.md"
    episode.write_text("# Visit\n\nYesterday we spoke with Dr. Jones about the new hospital.\n")
    r = cli("render", episode, "-o", tmp_path / "out", "--verify")
    assert r.code == 0, r.stderr
    assert "reading: 'Dr.' read 'Drive'" in r.stderr and '"Dr." = "Doctor"' in r.stderr
    report = json.loads((tmp_path / "out" / "visit.report.json").read_text())
    [hint] = report["verify"]["readings"]
    assert hint["token"] == "Dr." and hint["reading"] == "Drive" and hint["expected"] == "Doctor"
    assert report["verify"]["broken"] == 0 and report["verify"]["retried"] == []  # a hint, never a retake
    text = cli("verify", episode, "-o", tmp_path / "out")
    assert text.code == 0 and "1 reading hint(s)" in text.stdout and "{Dr.|Doctor}" in text.stdout
