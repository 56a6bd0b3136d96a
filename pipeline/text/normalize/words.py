"""Words no rule has read: the technical lexicon, acronyms (spelled or said), mixed-case and code names."""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

from ... import _tomlfile as tomlfile
from . import vocab
from .context import _guess
from .say import digits, number, pairs

_DATA = vocab.load("words")
# Spoken letter by letter.
SPELLED: frozenset[str] = frozenset(_DATA["spelled"])
# Said as words.
WORDS: dict[str, str] = dict(_DATA["words"])
_ONSETS = frozenset(_DATA["onsets"])
_CODAS = frozenset(_DATA["codas"])


def _dictionary_bytes() -> bytes:
    return resources.files("pipeline").joinpath("data").joinpath("cmudict-words.txt.gz").read_bytes()


@functools.lru_cache(maxsize=1)
def dictionary() -> dict[str, bool]:
    """The CMU Pronouncing Dictionary's words: word -> True if its pronunciation is its letters (IBM)."""
    data = _dictionary_bytes()
    out: dict[str, bool] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        word, _, flag = line.partition("\t")
        out[word] = bool(flag)
    return out


@dataclass(frozen=True)
class Technical:
    words: Mapping[str, str]  # exact-case keys (with capitals) and lowercase keys (any case)
    patterns: tuple[tuple["re.Pattern[str]", str], ...]
    parts: frozenset[str]  # pieces code names are made of: "stat", "alloc", "exec"...
    source: bytes  # the file, for cache keys


@functools.lru_cache(maxsize=1)
def technical() -> Technical:
    """The bundled technical lexicon (pipeline/data/lexicon/technical.toml)."""
    raw = resources.files("pipeline").joinpath("data").joinpath("lexicon").joinpath("technical.toml").read_bytes()
    data = tomlfile.loads(raw.decode("utf-8"))
    words = {k if any(c.isupper() for c in k) else k.lower(): v for k, v in data.get("words", {}).items()}
    patterns = tuple((re.compile(k), v) for k, v in data.get("patterns", {}).items())
    return Technical(words, patterns, frozenset(data.get("parts", {}).get("parts", [])), raw)


def lexicon_lookup(token: str) -> str | None:
    tech = technical()
    hit = tech.words.get(token)
    if hit is None and not any(c.isupper() for c in token[1:]):
        hit = tech.words.get(token.lower())
    if hit is not None:
        return token if hit.lower() == token.lower() else hit
    for pattern, repl in tech.patterns:
        if pattern.fullmatch(token):
            return re.sub(r"\s+", " ", pattern.sub(repl, token)).strip()
    return None


def said_reading(token: str) -> str | None:
    """The technical lexicon's reading of the token in another case (NGINX: nginx = "engine X"), when
    that reading is said as words rather than letter by letter; else None."""
    tech = technical()
    for variant in (token.lower(), token.upper(), token.capitalize()):
        hit = tech.words.get(variant)
        if hit is not None and not re.fullmatch(r"(?:[A-Z] )*[A-Z](?:'?s)?", hit):
            return hit  # 'LINUX' -> "linux": the reading's own case, not the token's capitals
    return None


def spell(token: str) -> str:
    """Letter by letter: 'MCE' -> 'M C E' (a plural s stays with the last letter: 'VMs' -> 'V M's')."""
    plural = token.endswith("s") and token[:-1].isupper() and len(token) > 2
    core = token[:-1] if plural else token
    letters = " ".join(ch.upper() for ch in core if ch.isalpha())
    return letters + ("'s" if plural else "")


_VOWELS = set("aeiouy")


def pronounceable(word: str) -> bool:
    """Could an English reader say this as a word? Vowels in it, no long consonant pile-ups."""
    w = word.lower()
    if len(w) < 3 or not any(c in _VOWELS for c in w):
        return False
    if w[0] not in _VOWELS and w[1] not in _VOWELS and w[:2] not in _ONSETS and w[:3] not in _ONSETS:
        return False
    if re.search(r"[^aeiouy]{4,}", w) or re.search(r"([^aeiouy])\1\1", w):
        return False
    coda = re.search(r"[^aeiouy]*$", w).group(0)  # type: ignore[union-attr]  # always matches
    return len(coda) <= 1 or coda in _CODAS or (coda[-1] == "s" and (len(coda) == 2 or coda[:-1] in _CODAS))


def acronym(token: str, words: Mapping[str, str] = WORDS, spelled: frozenset[str] = SPELLED) -> str:
    """An all-capitals token: a known word, a known spelling, the pronouncing dictionary, else by rule."""
    if token in words:
        return words[token]
    if token in spelled:
        return spell(token)
    plural = token.endswith("s") and token[:-1].isupper() and len(token) > 2
    base = token[:-1] if plural else token
    if base in words:
        return words[base] + "s"
    if base in spelled:
        return spell(token)
    hit = lexicon_lookup(base) or (said_reading(base) if len(base) > 3 else None)
    if hit is not None:
        return hit + ("s" if plural else "")
    known = dictionary().get(base.lower())
    if known is True:
        return spell(token)
    if len(base) <= 3 or not pronounceable(base):
        return spell(token)
    if known is False:
        return base.lower() + ("s" if plural else "")
    if len(base) >= 5:
        reading = base.lower() + ("s" if plural else "")
        _guess(token, reading, "an acronym the dictionary does not know: said as a word")
        return reading
    reading = spell(token)
    _guess(token, reading, "an acronym the dictionary does not know: spelled")
    return reading


_HUMPS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


# Names whose second capital follows a prefix: McDonald, O'Neil, D'Angelo, DeVito, LeBron, DuPont.
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|Fitz|O'|D'|L'|Da|De|Di|Du|La|Le|Van|Von)[A-Z][a-z]+(?:'s|s')?")
# A lowercase letter before a word: iPhone, eBay, iPad ("I Phone", "E Bay"), never spelled whole.
_LETTER_WORD = re.compile(r"([a-z])([A-Z][a-z]{2,}[A-Za-z]*)")


def mixed_case(token: str) -> str:
    """'OpenRISC' -> 'Open risk', 'XenGT' -> 'Xen G T', 'PoC' -> 'P O C', 'DeviceTree' -> 'Device Tree'."""
    if _NAME_PREFIX.fullmatch(token):
        return token
    brand = _LETTER_WORD.fullmatch(token)
    if brand:
        return f"{brand.group(1).upper()} {word(brand.group(2))}"
    letters = sum(c.isalpha() for c in token)
    humps = _HUMPS.findall(token)
    if letters <= 4:
        reading = spell(token)
    else:
        out = []
        for hump in humps:
            if hump.isupper():
                out.append(acronym(hump) if len(hump) > 1 else hump)
            elif len(hump) <= 2 and hump.lower() not in ("my", "go", "do", "to", "on", "in", "up", "of"):
                out.append(spell(hump))
            else:
                out.append(hump)
        reading = " ".join(out)
    _guess(token, reading, "a mixed-case name")
    return reading


@functools.lru_cache(maxsize=1)
def _longest_part() -> int:
    """The longest piece a word can be split into: the longest dictionary word or part."""
    return max(len(w) for source in (dictionary(), technical().parts) for w in source)


def _split_parts(word: str) -> list[str] | None:
    """A lowercase code name cut into known pieces (dictionary words of four letters or more, and the
    technical lexicon's parts), with at most two single letters: 'statx' -> ['stat', 'x'].  The
    cheapest cut (parts cost less than words, single letters most), found in time linear in the
    word's length: no piece is longer than the longest word there is."""
    w = word.lower()
    dic, parts, longest = dictionary(), technical().parts, _longest_part()
    n = len(w)
    cost: list[float | None] = [None] * (n + 1)  # the cheapest cut of w[:i]
    back = [0] * (n + 1)  # where its last piece starts
    cost[0] = 0.0
    for i in range(n):
        here = cost[i]
        if here is None:
            continue
        for j in range(i + 1, min(n, i + longest) + 1):
            piece = w[i:j]
            if j - i == 1:
                if 0 < i and j < n:
                    continue  # a lone letter inside a word is a misspelling, not a part
                step = 2.5
            elif piece in parts:
                step = 1.0
            elif j - i >= 4 and piece in dic and dic[piece] is False:
                step = 1.2
            else:
                continue
            there = cost[j]
            if there is None or here + step < there:
                cost[j], back[j] = here + step, i
    if cost[n] is None:
        return None
    pieces: list[str] = []
    j = n
    while j > 0:
        pieces.append(w[back[j] : j])
        j = back[j]
    pieces.reverse()
    singles = sum(len(p) == 1 for p in pieces)
    if len(pieces) < 2 or singles > 2 or singles == len(pieces) or (singles and pronounceable(w)):
        return None
    return pieces


def _piece(p: str) -> str:
    return p.upper() if len(p) == 1 else (lexicon_lookup(p) or p)


def code_name(token: str) -> str:
    """A lowercase word the dictionary does not know: a known inflection, split at known parts, else
    spelled if it cannot be said, else left to the voice (and reported)."""
    low = token.lower()
    # a daemon: its program's name and a D ('rsyncd': "R sync D"); 'rebased' is a past tense
    daemon = lexicon_lookup(low[:-1]) if low.endswith("d") and len(low) > 3 and low[-2] != "e" else None
    if daemon is not None:
        reading = f"{daemon} D"
        _guess(token, reading, "a daemon's name")
        return reading
    if known_word(low):
        return token
    pieces = _split_parts(low)
    if pieces is not None:
        reading = " ".join(_piece(p) for p in pieces)
        if any(len(p) == 1 for p in pieces):
            _guess(token, reading, "a code name, split at known parts")
        return reading
    if not pronounceable(low):
        reading = spell(low)
        _guess(token, reading, "a code name that cannot be said as a word: spelled")
        return reading
    _guess(token, token, "not in the pronouncing dictionary")
    return token


def known_word(low: str) -> bool:
    """In the dictionary, or an inflection of a word in it (or in the technical lexicon)."""
    dic = dictionary()
    if low in dic:
        return True
    for suffix, add in (
        ("s", ""),
        ("es", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("er", ""),
        ("ers", ""),
        ("ly", ""),
        ("d", ""),
        ("ally", ""),
        ("ity", ""),
        ("ion", ""),
        ("ness", ""),
        ("ment", ""),
        ("able", ""),
        ("able", "e"),
        ("ize", ""),
        ("ization", "ize"),
        ("ization", ""),
    ):
        stem = low[: -len(suffix)] + add if low.endswith(suffix) else ""
        if len(stem) >= 3 and (stem in dic or lexicon_lookup(stem) is not None):
            return True
    return False


def word(token: str) -> str:
    """One word (letters, perhaps with hyphens and a possessive) as a host says it."""
    if "-" in token:
        hit = lexicon_lookup(token)
        if hit is not None:
            return hit
        parts = [p for p in token.split("-") if p]
        said = [p if re.fullmatch(r"[A-Z][a-z]", p) else word(p) for p in parts]  # 'Wi-Fi' is no symbol
        return "".join(
            s
            + (
                ""
                if i == len(said) - 1
                else ", "  # 'SEP-IRA': two spelled acronyms, a break between them ("S E P, I R A")
                if _LETTERS.fullmatch(s) and _LETTERS.fullmatch(said[i + 1])
                else ("-" if s == p and said[i + 1] == parts[i + 1] else " ")
            )
            for i, (s, p) in enumerate(zip(said, parts))
        )
    possessive = ""
    m = re.fullmatch(r"(.+?)('s|s'|')", token)
    if m and m.group(1).isalpha() and m.group(1).lower() not in dictionary() and token.lower() not in dictionary():
        token, possessive = m.group(1) + ("s" if m.group(2) == "s'" else ""), ("'s" if m.group(2) == "'s" else "")
    hit = lexicon_lookup(token)
    if hit is not None:
        return hit + possessive
    if token in WORDS:
        return WORDS[token] + possessive
    if len(token) == 1:
        return token + possessive
    if token.isupper() or (token[:-1].isupper() and token.endswith("s") and len(token) > 2):
        return acronym(token) + possessive
    if any(c.isupper() for c in token[1:]):
        return mixed_case(token) + possessive
    low = token.lower()
    if low in dictionary() or not token.isalpha():
        return token + possessive
    if len(token) == 2 and token.isascii() and token[0].isupper():  # 'Sé' (a cathedral) is a word
        return spell(token) + possessive  # a short symbol that is no word: 'Kb' "K B"
    if not token.isascii():
        return _accented(token) + possessive
    if token[0].isupper():
        if known_word(low):
            return token + possessive
        _guess(token, token, "a name not in the pronouncing dictionary")
        return token + possessive
    return code_name(token) + possessive


_LETTERS = re.compile(r"[A-Z](?: [A-Z])+")
_CAPS = re.compile(r"[A-Z][A-Z']*(?:-[A-Z][A-Z']*)*")


def _plain_word(token: str) -> bool:
    """An all-capitals token that is an ordinary word of the dictionary (TAP, PAINT), not an acronym
    said letter by letter (FBI, USA) nor one the tables know."""
    if token in WORDS or token in SPELLED or lexicon_lookup(token) is not None:
        return False
    return all(dictionary().get(p.lower().replace("'", "")) is False for p in token.split("-"))


def said_as_words(text: str, tokens: list["re.Match[str]"]) -> set[int]:
    """The start offsets of all-capitals tokens read as ordinary words in context: a run of three or
    more capitalised words, most of them dictionary words (a headline: "PAINT MAN CLAIMS ROYAL
    BLOOD"), and a dictionary word of three letters or more before a capitalised name ("TAP Air
    Portugal").  Known acronyms (FBI) stay spelled; so does such a word alone ("the TAP")."""
    out: set[int] = set()
    run: list[re.Match[str]] = []

    def close() -> None:
        if len(run) >= 3 and 2 * sum(_plain_word(m.group(0)) for m in run) > len(run):
            out.update(m.start() for m in run if _plain_word(m.group(0)))
        run.clear()

    for i, m in enumerate(tokens):
        tok = m.group(0)
        if not _CAPS.fullmatch(tok) or (len(tok) < 2 and tok not in ("A", "I")):
            close()
            continue
        if run and not text[run[-1].end() : m.start()].isspace():
            close()
        run.append(m)
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            len(tok) >= 3
            and after is not None
            and text[m.end() : after.start()] == " "
            and re.fullmatch(r"[A-Z][a-z]+", after.group(0))
            and _plain_word(tok)
        ):
            out.add(m.start())
    close()
    return out


def _accented(token: str) -> str:
    """A word with diacritics (café, naïve, Müller, Ångström) is a word: the voice says it as written.
    Reported as a guess only when its plain-letter spelling is no word either (names)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", token) if not unicodedata.combining(c))
    if not known_word(plain.lower()):
        _guess(token, token, "a name not in the pronouncing dictionary")
    return token


def _alnum(token: str) -> str:
    """Letters and digits glued together: 'x86' -> 'x eighty-six', 'V4L2' -> 'V four L two', 'A320' -> 'A three twenty'."""
    hit = lexicon_lookup(token)
    if hit is not None:
        return hit
    parts = re.findall(r"[A-Za-z]+|\d+", token)
    out = []
    for part in parts:
        if part.isdigit():
            out.append(
                number(part)
                if len(part) <= 2 or part.startswith("0")
                else pairs(part)
                if len(part) <= 4
                else digits(part)
            )
        elif len(part) == 1:
            out.append(part)
        elif part.lower() in ("rc", "rt"):
            out.append(spell(part))
        else:
            out.append(word(part))
    return " ".join(out)


_OPTIONAL_SUFFIX = re.compile(r"(?<=[A-Za-z])\((s|es|ies|ed|d|er|ing)\)(?![\w(])")


_PREFIX_ALT = re.compile(r"(?<![\w(])\(([A-Za-z]{1,5})(-?)\)([A-Za-z][\w-]*)")


_BRACE_OPTION = re.compile(r"(?<![\w{])([A-Za-z]*)\{([A-Za-z]{1,3})\}([A-Za-z]+)")


def expand_brackets(text: str) -> str:
    """Brackets inside words, as a reader hears them: 'interface(s)' -> 'interfaces', 'ex[]isting' ->
    'existing', 'swap[ped]' -> 'swapped', '(de)inflating' -> 'inflating or deflating',
    '(co-)maintained' -> 'maintained or co-maintained', 'k{v}zalloc' -> 'kzalloc or kvzalloc'."""
    text = re.sub(r"(?<=[A-Za-z])\[([A-Za-z]*)\]", lambda m: m.group(1), text)
    text = _OPTIONAL_SUFFIX.sub(lambda m: m.group(1), text)
    text = _BRACE_OPTION.sub(lambda m: f"{m.group(1)}{m.group(3)} or {m.group(1)}{m.group(2)}{m.group(3)}", text)
    return _PREFIX_ALT.sub(_prefix_alternative, text)


def _prefix_alternative(m: re.Match) -> str:
    prefix, hyphen, rest = m.group(1), m.group(2), m.group(3)
    dic = dictionary()
    joined = f"{prefix}{hyphen}{rest}"
    if hyphen or joined.lower() in dic:
        return f"{rest} or {joined}"
    # '(de)inflating': the prefix replaces the word's own ('in' + 'flating' -> 'de' + 'flating')
    for own in ("in", "un", "im", "dis", "re", "en"):
        if rest.lower().startswith(own) and f"{prefix}{rest[len(own) :]}".lower() in dic:
            return f"{rest} or {prefix}{rest[len(own) :]}"
    return f"{rest} or {joined}"


def _name_part(part: str) -> str:
    """A capitalised word inside a name (MAX in MAX_ORDER) is a word unless it is a known acronym."""
    if part in WORDS or part in SPELLED or lexicon_lookup(part) is not None or said_reading(part) is not None:
        return acronym(part)
    if part.lower() in dictionary() and not dictionary()[part.lower()]:
        return part.lower()
    if not pronounceable(part) or len(part) < 3:
        return acronym(part)
    return part.lower()


def _name(s: str) -> str:
    """A name in code: snake_case, digits, or a plain word."""
    if "_" in s:
        return " ".join(
            _alnum(p) if re.search(r"\d", p) else (_name_part(p) if p.isupper() and len(p) > 1 else word(p))
            for p in s.split("_")
            if p
        )
    return _alnum(s) if re.search(r"\d", s) else word(s)
