"""Text normalization: script text to what a careful host would say.

Pure functions, no I/O beyond reading the package's own data once.
`normalize()` takes plain text (no `{written|spoken}` overrides: those are
never touched) and applies ordered rules, each a regex and a function that
returns words.  What a rule returns is final: later rules never read it
again (the text is kept as pieces, and only the pieces no rule has spoken
yet are searched).  Structured tokens go first (URLs, dates, money, units,
telephone numbers, versions), then numbers and symbols, and last every word
left is read by `word()`: the bundled technical lexicon, the spelled-or-said
decision for acronyms (from the CMU Pronouncing Dictionary), mixed-case
names, and unknown lowercase code names (split at known parts, or spelled).

A `Context` carries what the whole episode decides: which dotted numbers
are versions (`scan_versions`) and the show's `dotted_numbers` setting, so
a token is read the same way everywhere in an episode.  Tokens read by a
guess (no table knew them) are reported to a `guesses` list when one is
given; `podcast check` shows them.
"""

from __future__ import annotations

import contextvars
import functools
import gzip
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable, Mapping

from num2words import num2words

from .. import tomlfile

# Bump when a rule changes what any text is read as: cached spoken text is keyed on it.
VERSION = "2"

# ---------------------------------------------------------------- words for numbers


def cardinal(n: int | float | str) -> str:
    """American style: no 'and', no commas ('four thousand eight hundred twelve')."""
    if isinstance(n, str):
        n = n.replace(",", "")
        value = float(n) if "." in n else int(n)
    else:
        value = n
    return _american(num2words(value))


def _american(words: str) -> str:
    words = words.replace(",", "").replace(" and ", " ").replace("oh-", "oh ")
    return re.sub(r"\s+", " ", words).strip()


def ordinal(n: int | str) -> str:
    return _american(num2words(int(str(n).replace(",", "")), to="ordinal"))


def year(n: int | str) -> str:
    value = int(n)
    if 2000 <= value <= 2009:
        return _american(num2words(value))  # "two thousand nine", not "twenty oh-nine"
    return _american(num2words(value, to="year"))


def digits(s: str, zero: str = "zero") -> str:
    return " ".join(zero if d == "0" else cardinal(d) for d in s if d.isdigit())


def decimal(s: str) -> str:
    """'2.5' -> 'two point five', '0.25' -> 'zero point two five', '.5' -> 'point five'."""
    whole, _, frac = s.replace(",", "").partition(".")
    head = cardinal(whole) if whole else ""
    return f"{head} point {digits(frac)}".strip() if frac else head


def number(s: str) -> str:
    """Any plain number as written: separators, decimals, long digit strings."""
    if "." in s:
        return decimal(s)
    if "," in s:
        return cardinal(s)
    if len(s) > 9 or (len(s) > 1 and s.startswith("0")):
        return digits(s)
    return cardinal(s)


def pairs(s: str) -> str:
    """Numbers read in pairs, as people read ids: 412 -> 'four twelve', 2038 -> 'twenty thirty-eight'."""
    if len(s) <= 2:
        return cardinal(s)
    if len(s) == 3:
        head, tail = s[0], s[1:]
    else:
        head, tail = s[:-2], s[-2:]
    tail_words = (
        f"oh {cardinal(tail[1])}"
        if tail.startswith("0") and tail != "00"
        else ("hundred" if tail == "00" else cardinal(tail))
    )
    head_words = (
        pairs(head)
        if len(head) > 2
        else (f"oh {cardinal(head[1])}" if head.startswith("0") and len(head) == 2 else cardinal(head))
    )
    return f"{head_words} {tail_words}"


def version(s: str) -> str:
    """'4.11' -> 'four point eleven' (components are numbers, not digits)."""
    return " point ".join(cardinal(part) if part.isdigit() else part for part in s.split("."))


def plural_decade(s: str) -> str:
    """'1990' -> 'nineteen nineties', '80' -> 'eighties', '2000' -> 'two thousands'."""
    words = year(s) if len(s) == 4 else cardinal(s)
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith("x") else "s")


# ---------------------------------------------------------------- vocabularies

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_NUMBER = {**{m.lower(): i + 1 for i, m in enumerate(MONTHS)}, **_MONTH_ABBR}
# A month by name (any case) or by abbreviation (with or without its full stop).
_MONTH = (
    r"(?i:(?:" + "|".join(m.lower() for m in MONTHS) + r")\b|(?:sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)"
    r"(?:\.|\b))"
)

# Spoken letter by letter.
SPELLED = {
    "MCE",
    "RFC",
    "VM",
    "PAE",
    "LPAE",
    "HMM",
    "CPU",
    "UTC",
    "GPU",
    "API",
    "DMA",
    "PCI",
    "KVM",
    "RCU",
    "MMU",
    "TLB",
    "IO",
    "USB",
    "SSD",
    "HDD",
    "ACPI",
    "BIOS",
    "UEFI",
    "CVE",
    "GCC",
    "LTS",
    "RT",
    "RC",
    "SMP",
    "NFS",
    "XFS",
    "EXT",
    "TCP",
    "UDP",
    "IP",
    "DNS",
    "HTTP",
    "HTTPS",
    "URL",
    "SQL",
    "CI",
    "PR",
    "OS",
    "VFS",
    "IRQ",
    "FPGA",
    "IBM",
    "AMD",
    "HP",
    "BPF",
    "MMIO",
    "MSR",
    "TSC",
    "NMI",
    "OOM",
    "GT",
    "UI",
    "AI",
    "ML",
    "CEO",
    "FAQ",
    "MP",
    "LUFS",
    "ID",
    "PDF",
    "TV",
    "US",
    "UK",
    "EU",
    "PTE",
    "LSF",
    "MM",
    "JIT",
    "JITs",
    "PC",
    "RISC",
    "CISC",
    "SoC",
    "IOMMU",
    "NVMe",
}
# Said as words.
WORDS = {
    "GUP": "gup",
    "RAM": "ram",
    "NASA": "nasa",
    "ARM": "arm",
    "RAID": "raid",
    "NUMA": "numa",
    "SATA": "sata",
    "POSIX": "posix",
    "GNOME": "gnome",
    "LAN": "lan",
    "WAN": "wan",
    "ROM": "rom",
    "JSON": "jason",
    "YAML": "yamel",
    "GIF": "gif",
    "WiFi": "wifi",
    "LED": "led",
    "SIMD": "sim d",
    "NAND": "nand",
    "AVX": "A V X",
    "MWAIT": "M wait",
    "SCSI": "scuzzy",
    "SUSE": "soosa",
    "APPEND": "append",
    "ATTR": "attr",
    "STATX": "stat X",
    "GNU": "G N U",
    "SIGKILL": "sig kill",
    "PID": "pid",
    "TODO": "to do",
    "NOT": "not",
    "YET": "yet",
    "OK": "okay",
    "RISC": "risk",
    "CISC": "sisk",
    "JIT": "jit",
    "JITs": "jits",
    "NVMe": "N V M E",
    "I": "I",
    "A": "A",
}
# Units after a number: (singular, plural).  Adjectives ("a 5-inch screen") take the singular.
UNITS: dict[str, tuple[str, str]] = {
    "GbE": ("gigabit ethernet", "gigabit ethernet"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "Mbps": ("megabit per second", "megabits per second"),
    "kbps": ("kilobit per second", "kilobits per second"),
    "GHz": ("gigahertz", "gigahertz"),
    "MHz": ("megahertz", "megahertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "Hz": ("hertz", "hertz"),
    "TB": ("terabyte", "terabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "MB": ("megabyte", "megabytes"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "TiB": ("tebibyte", "tebibytes"),
    "GiB": ("gibibyte", "gibibytes"),
    "MiB": ("mebibyte", "mebibytes"),
    "KiB": ("kibibyte", "kibibytes"),
    "ms": ("millisecond", "milliseconds"),
    "us": ("microsecond", "microseconds"),
    "µs": ("microsecond", "microseconds"),
    "ns": ("nanosecond", "nanoseconds"),
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "dB": ("decibel", "decibels"),
    "dBTP": ("decibel true peak", "decibels true peak"),
    "LUFS": ("L U F S", "L U F S"),
    "LU": ("L U", "L U"),
    "nm": ("nanometer", "nanometers"),
    "µm": ("micrometer", "micrometers"),
    "mm": ("millimeter", "millimeters"),
    "cm": ("centimeter", "centimeters"),
    "m": ("meter", "meters"),
    "km": ("kilometer", "kilometers"),
    "in": ("inch", "inches"),
    "inch": ("inch", "inches"),
    "inches": ("inch", "inches"),
    "ft": ("foot", "feet"),
    "foot": ("foot", "feet"),
    "feet": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "mi": ("mile", "miles"),
    "mile": ("mile", "miles"),
    "miles": ("mile", "miles"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "kg": ("kilogram", "kilograms"),
    "t": ("tonne", "tonnes"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "l": ("liter", "liters"),
    "L": ("liter", "liters"),
    "gal": ("gallon", "gallons"),
    "mph": ("mile per hour", "miles per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "rpm": ("revolution per minute", "revolutions per minute"),
    "W": ("watt", "watts"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "mAh": ("milliamp hour", "milliamp hours"),
    "V": ("volt", "volts"),
    "mA": ("milliamp", "milliamps"),
    "bit": ("bit", "bits"),
    "bits": ("bit", "bits"),
    "byte": ("byte", "bytes"),
    "bytes": ("byte", "bytes"),
    "level": ("level", "levels"),
    "thread": ("thread", "threads"),
    "threads": ("thread", "threads"),
    "core": ("core", "cores"),
    "cores": ("core", "cores"),
    "way": ("way", "ways"),
    "page": ("page", "pages"),
    "pages": ("page", "pages"),
    "socket": ("socket", "sockets"),
    "node": ("node", "nodes"),
    "x": ("times", "times"),
    "mpg": ("mile per gallon", "miles per gallon"),
    "sq ft": ("square foot", "square feet"),
    "sq m": ("square meter", "square meters"),
    "sq mi": ("square mile", "square miles"),
    "m²": ("square meter", "square meters"),
    "km²": ("square kilometer", "square kilometers"),
    "ft²": ("square foot", "square feet"),
    "cm²": ("square centimeter", "square centimeters"),
}
# Units that are also ordinary words or letters: only right after a number with no space, or spaced
# before a non-word.
_AMBIGUOUS_UNITS = {"in", "t", "l", "L", "V", "W", "x", "us", "mi"}
# Units the other side of a slash ("km/h"): singular.
PER = {
    "s": "second",
    "sec": "second",
    "h": "hour",
    "hr": "hour",
    "min": "minute",
    "m": "meter",
    "km": "kilometer",
    "kg": "kilogram",
    "g": "gram",
    "l": "liter",
    "L": "liter",
    "day": "day",
    "ms": "millisecond",
    "m2": "square meter",
    "m²": "square meter",
    "s2": "second squared",
    "s²": "second squared",
}
CURRENCY = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
    "₺": ("lira", "lira", "", ""),
    "₪": ("shekel", "shekels", "", ""),
    "₿": ("bitcoin", "bitcoin", "", ""),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
}
SCALE = {
    "k": "thousand",
    "K": "thousand",
    "M": "million",
    "m": "million",
    "B": "billion",
    "bn": "billion",
    "tn": "trillion",
    "T": "trillion",
    "thousand": "thousand",
    "million": "million",
    "billion": "billion",
    "trillion": "trillion",
}
FRACTIONS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
ABBREVIATIONS = {
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "vs.": "versus",
    "cf.": "compare",
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Prof.": "Professor",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "approx.": "approximately",
    "Inc.": "Incorporated",
    "Ltd.": "Limited",
    "Mt.": "Mount",
    "Ft.": "Fort",
    "Ave.": "Avenue",
    "Rd.": "Road",
    "Blvd.": "Boulevard",
    "Ln.": "Lane",
    "Apt.": "Apartment",
    "Dept.": "Department",
    "Fig.": "Figure",
    "Vol.": "Volume",
    "Ch.": "Chapter",
    "Gen.": "General",
    "Sen.": "Senator",
    "Gov.": "Governor",
    "Rev.": "Reverend",
    "Capt.": "Captain",
    "Lt.": "Lieutenant",
    "Ph.D.": "P H D",
}
# Said words for abbreviations written without a full stop.
BARE_ABBREVIATIONS = {
    "etc": "et cetera",
    "aka": "also known as",
    "AKA": "also known as",
    "vs": "versus",
    "w/o": "without",
    "w/": "with",
    "eg": "for example",
    "ie": "that is",
    "FYI": "for your information",
    "I/O": "I O",
    "IIRC": "if I recall correctly",
    "IMHO": "in my humble opinion",
    "AFAIK": "as far as I know",
}
SYMBOLS = {
    "&": " and ",
    "+": " plus ",
    "=": " equals ",
    "→": " to ",
    "->": " to ",
    "←": " from ",
    "@": " at ",
    "×": " times ",
    "≈": " about ",
    "≤": " at most ",
    "≥": " at least ",
    "±": " plus or minus ",
    "°": " degrees ",
    "§": " section ",
    "¶": " paragraph ",
    "≠": " is not equal to ",
    "÷": " divided by ",
}
# Regnal names: "Louis XIV" is "Louis the fourteenth".
REGNAL = {
    "Louis",
    "Henry",
    "Elizabeth",
    "George",
    "Edward",
    "Charles",
    "James",
    "William",
    "Richard",
    "John",
    "Paul",
    "Pius",
    "Benedict",
    "Gregory",
    "Leo",
    "Innocent",
    "Clement",
    "Frederick",
    "Philip",
    "Peter",
    "Catherine",
    "Napoleon",
    "Alexander",
    "Nicholas",
    "Ramesses",
    "Mary",
    "Victor",
    "Ferdinand",
    "Francis",
    "Boniface",
    "Urban",
    "Alfonso",
    "Carlos",
    "Felipe",
    "Ivan",
    "Otto",
    "Wilhelm",
    "Ludwig",
    "Gustav",
    "Olaf",
    "Haakon",
    "Harald",
    "Christian",
    "Juan",
    "Anne",
    "Stephen",
    "Malcolm",
    "David",
    "Robert",
    "Sixtus",
    "Julius",
    "Adrian",
}
# Words after which a Roman numeral is a plain number: "World War II", "Chapter IV".
ROMAN_COUNTED = {
    "chapter",
    "part",
    "volume",
    "book",
    "act",
    "scene",
    "section",
    "article",
    "appendix",
    "war",
    "phase",
    "episode",
    "level",
    "grade",
    "type",
    "class",
    "stage",
    "round",
    "bowl",
    "series",
    "mark",
    "mk",
    "vol",
    "title",
    "psalm",
    "canto",
    "movement",
    "symphony",
    "rocky",
    "star",
    "wars",
    "final",
    "fantasy",
    "apollo",
    "gemini",
}
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")

Rule = tuple[str, "re.Pattern[str]", Callable[[re.Match], str]]


def roman(s: str) -> int | None:
    if not s or not _ROMAN.fullmatch(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


# ---------------------------------------------------------------- the episode's context


@dataclass(frozen=True)
class Context:
    """What the whole episode decides: which dotted numbers are versions, and the show's domain."""

    dotted: str = "auto"  # "auto": versions by prefix, tag, two dots, or elsewhere in the episode; "version"; "decimal"
    versions: frozenset[str] = frozenset()  # dotted numbers that are versions somewhere in the episode

    def key(self) -> str:
        return hashlib.sha256(f"{self.dotted}\x00{','.join(sorted(self.versions))}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Guess:
    """A token read by a rule's guess rather than a table: `podcast check` lists these."""

    token: str
    reading: str
    why: str


_CONTEXT: contextvars.ContextVar[Context] = contextvars.ContextVar("normalize_context", default=Context())  # noqa: B039 (frozen)
_GUESSES: contextvars.ContextVar[list | None] = contextvars.ContextVar("normalize_guesses", default=None)

VERSION_PREFIX_WORDS = (
    "Linux",
    "linux",
    "kernel",
    "Kernel",
    "version",
    "Version",
    "versions",
    "release",
    "Release",
    "Git",
    "Python",
    "GCC",
    "LLVM",
    "Clang",
    "GNOME",
    "KDE",
    "Debian",
    "Ubuntu",
    "Fedora",
    "RHEL",
    "Android",
    "iOS",
    "macOS",
    "Java",
    "Rust",
    "Go",
    "Node",
    "PHP",
    "Perl",
    "Ruby",
    "Firefox",
    "Chrome",
    "QEMU",
    "Xen",
    "glibc",
    "systemd",
    "OpenSSL",
    "stable",
    "mainline",
)
_PREFIXED = re.compile(r"(?:(?<![\w.])[vV]|\b(?:" + "|".join(VERSION_PREFIX_WORDS) + r")\s+(?:[vV])?)(\d+(?:\.\d+)+)")
_TAGGED = re.compile(r"(?<![\w.])[vV]?(\d+(?:\.\d+)+)-(?:rc|rt|pre|beta|alpha)\d+", re.I)
_MULTIDOT = re.compile(r"(?<![\w.])[vV]?(\d+\.\d+(?:\.\d+)+)(?![\w.]*\d)")
_ALTERNATIVES = re.compile(r"(?<![\w.])(\d+\.\d+(?:/\d+\.\d+)+)(?![\w.])")


def scan_versions(texts: Iterable[str]) -> frozenset[str]:
    """Dotted numbers that are versions anywhere in these texts: by prefix (v, Linux, kernel,
    version...), by a release tag (-rc3, -rt47), by having two dots (and then their major.minor),
    or by sharing an `a/b` with one of those."""
    found: set[str] = set()
    alternatives: list[list[str]] = []
    for text in texts:
        for pattern in (_PREFIXED, _TAGGED):
            found.update(m.group(1) for m in pattern.finditer(text))
        for m in _MULTIDOT.finditer(text):
            if not _IP.fullmatch(m.group(0)) and not _DOTTED_DATE.fullmatch(m.group(0)):
                found.add(m.group(1))
        alternatives += [m.group(1).split("/") for m in _ALTERNATIVES.finditer(text)]
    for v in list(found):
        if v.count(".") >= 2:
            found.add(".".join(v.split(".")[:2]))
    changed = True
    while changed:
        changed = False
        for group in alternatives:
            if any(g in found for g in group) and not all(g in found for g in group):
                found.update(group)
                changed = True
    return frozenset(found)


def context_for(texts: Iterable[str], dotted: str = "auto") -> Context:
    texts = list(texts)
    return Context(dotted=dotted, versions=scan_versions(texts) if dotted == "auto" else frozenset())


def _is_version(core: str) -> bool:
    ctx = _CONTEXT.get()
    if ctx.dotted == "version" or core.count(".") >= 2:
        return True
    if ctx.dotted == "decimal":
        return False
    return core in ctx.versions


def _guess(token: str, reading: str, why: str) -> None:
    guesses = _GUESSES.get()
    if guesses is not None:
        guesses.append(Guess(token, reading, why))


# ---------------------------------------------------------------- dictionaries (package data)


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


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Changes whenever what the normalizer says could change: rules, lexicon, dictionary, num2words."""
    from importlib.metadata import version

    parts = [VERSION.encode(), technical().source, _dictionary_bytes(), version("num2words").encode()]
    return hashlib.sha256(b"\x00".join(hashlib.sha256(p).digest() for p in parts)).hexdigest()[:16]


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


# ---------------------------------------------------------------- words


def spell(token: str) -> str:
    """Letter by letter: 'MCE' -> 'M C E' (a plural s stays with the last letter: 'VMs' -> 'V M's')."""
    plural = token.endswith("s") and token[:-1].isupper() and len(token) > 2
    core = token[:-1] if plural else token
    letters = " ".join(ch.upper() for ch in core if ch.isalpha())
    return letters + ("'s" if plural else "")


_VOWELS = set("aeiouy")
_ONSETS = {
    "bl",
    "br",
    "ch",
    "cl",
    "cr",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "kn",
    "ph",
    "pl",
    "pr",
    "qu",
    "sc",
    "sh",
    "sk",
    "sl",
    "sm",
    "sn",
    "sp",
    "st",
    "sw",
    "th",
    "tr",
    "tw",
    "wh",
    "wr",
    "sch",
    "scr",
    "shr",
    "spl",
    "spr",
    "str",
    "thr",
}


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


_CODAS = {
    "ck",
    "ng",
    "nk",
    "nt",
    "nd",
    "st",
    "sk",
    "sp",
    "ft",
    "pt",
    "ct",
    "lt",
    "ld",
    "lk",
    "lp",
    "lm",
    "rm",
    "rn",
    "rt",
    "rd",
    "rk",
    "rs",
    "rp",
    "rb",
    "rg",
    "rl",
    "rf",
    "rc",
    "mp",
    "mb",
    "lf",
    "ch",
    "sh",
    "th",
    "ph",
    "gh",
    "ght",
    "nch",
    "tch",
    "rth",
    "rst",
    "nth",
    "xt",
    "ll",
    "ss",
    "ff",
    "zz",
    "dge",
    "wn",
    "wl",
    "ws",
    "wk",
    "nx",
    "rx",
    "lx",
    "mn",
    "ns",
    "ls",
    "ks",
    "ts",
    "ds",
    "ps",
    "ms",
    "bs",
    "gs",
    "cs",
    "rch",
    "lch",
    "lth",
    "dth",
    "mph",
    "ngs",
    "nks",
    "cks",
    "sts",
}


def acronym(token: str, words: Mapping[str, str] = WORDS, spelled: set[str] = SPELLED) -> str:
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
    hit = lexicon_lookup(base)
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
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|O')[A-Z][a-z]+")


def mixed_case(token: str) -> str:
    """'OpenRISC' -> 'Open risk', 'XenGT' -> 'Xen G T', 'PoC' -> 'P O C', 'DeviceTree' -> 'Device Tree'."""
    if _NAME_PREFIX.fullmatch(token):
        return token
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


def _split_parts(word: str) -> list[str] | None:
    """A lowercase code name cut into known pieces (dictionary words of three letters or more, and the
    technical lexicon's parts), with at most two single letters: 'statx' -> ['stat', 'x']."""
    w = word.lower()
    dic, parts = dictionary(), technical().parts
    n = len(w)
    best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        cost, pieces = here
        for j in range(i + 1, n + 1):
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
            there = best[j]
            if there is None or cost + step < there[0]:
                best[j] = (cost + step, pieces + [piece])
    last = best[n]
    if last is None:
        return None
    pieces = last[1]
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
        said = [word(p) for p in parts]
        return "".join(
            s + ("" if i == len(said) - 1 else ("-" if s == p and said[i + 1] == parts[i + 1] else " "))
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
    if token[0].isupper():
        if known_word(low):
            return token + possessive
        _guess(token, token, "a name not in the pronouncing dictionary")
        return token + possessive
    return code_name(token) + possessive


# ---------------------------------------------------------------- rule bodies


_TLDS = (
    "com|org|net|edu|gov|io|dev|co|uk|de|fr|info|biz|us|ca|au|eu|ai|app|me|tv|ly|gg|xyz|nl|se|no|fi|it|es|"
    "jp|cn|in|ru|ch|at|be|dk|pl|cz|nz|ie|br|mx|kr|tech|online|site|blog|news|cloud|wiki|page|fm|sh"
)


def _host(host: str) -> str:
    dic = dictionary()
    parts = host.split(".")
    return " dot ".join(
        spell(part)
        if i < len(parts) - 1 and part != "co" and dic.get(part.lower()) and part.isalpha()
        else _word_parts(part)
        for i, part in enumerate(parts)
    )


def _url(m: re.Match) -> str:
    url = m.group(0).rstrip(".,;:!?)")
    tail = m.group(0)[len(url) :]
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).split("/")[0]
    path = [p for p in re.sub(r"^(?:https?://)?[^/]+", "", url).split("/") if p]
    spoken_host = _host(host)
    if not path:
        return f"{spoken_host}{tail}"
    if len(path) == 1 and len(path[0]) <= 16 and re.fullmatch(r"[A-Za-z-]+", path[0]):
        return f"{spoken_host} slash {path[0].replace('-', ' ')}{tail}"
    return f"a link on {spoken_host}{tail}"  # long paths are for show notes, not for ears


def _email(m: re.Match) -> str:
    user, host = m.group(1), m.group(2)
    return f"{' dot '.join(_word_parts(p) for p in user.split('.'))} at {_host(host)}"


def _word_parts(s: str) -> str:
    return " ".join(_alnum(p) for p in re.split(r"[-_]", s) if p)


def _cve(m: re.Match) -> str:
    number_part = m.group(2)
    return f"C V E {year(m.group(1))} dash {pairs(number_part) if len(number_part) == 4 else digits(number_part)}"


def _hex(m: re.Match) -> str:
    return "hex " + " ".join(cardinal(c) if c.isdigit() else c.upper() for c in m.group(1))


def _commit(m: re.Match) -> str:
    sha = m.group(2)
    shown = sha if len(sha) <= 12 else sha[:7]
    said = " ".join(cardinal(c) if c.isdigit() else c.upper() for c in shown)
    return f"{m.group(1)} {said}" + (" and so on" if len(sha) > 12 else "")


def _day_month(day: int, month: int, y: str | None) -> str:
    words = f"the {ordinal(day)} of {MONTHS[month - 1]}"
    return f"{words}, {year(y)}" if y else words


def _month_day_words(month: int, day: int, y: str | None) -> str:
    words = f"{MONTHS[month - 1]} {ordinal(day)}"
    return f"{words}, {year(y)}" if y else words


def _date_ymd(m: re.Match) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return " ".join(number(g) for g in m.groups())
    return _month_day_words(mo, d, str(y))


def _date_numeric(m: re.Match) -> str:
    """a/b/yyyy: month first unless the first cannot be a month (then day first); dotted is day first."""
    dotted = m.group(5) == "."
    a, b, y = int(m.group(1)), int(m.group(6) if dotted else m.group(3)), m.group(7) if dotted else m.group(4)
    if len(y) == 2:
        y = ("20" if int(y) < 50 else "19") + y
    day_first = dotted or a > 12
    day, month = (a, b) if day_first else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return " ".join(number(g) for g in (str(a), str(b), y))
    return _month_day_words(month, day, y)


def _month_of(s: str) -> int:
    return MONTH_NUMBER[s.rstrip(".").lower()]


def _month_first(m: re.Match) -> str:
    return _month_day_words(_month_of(m.group(1)), int(m.group(2)), m.group(3))


def _day_first(m: re.Match) -> str:
    said = _day_month(int(m.group(1)), _month_of(m.group(2)), m.group(3))
    return said[4:] if re.search(r"\bthe\s+$", m.string[: m.start()], re.I) else said


def _month_year(m: re.Match) -> str:
    return f"{MONTHS[_month_of(m.group(1)) - 1]} {year(m.group(2))}"


def _month_alone(m: re.Match) -> str:
    return MONTHS[_month_of(m.group(1)) - 1]


def _clock(h: str, mi: str | None, s: str | None = None, ampm: str | None = None) -> str:
    hour = int(h)
    words = cardinal(hour)
    if mi is None or mi == "00":
        if not ampm and s is None:
            words += " o'clock"
    elif mi.startswith("0"):
        words += f" oh {cardinal(mi[1])}"
    else:
        words += f" {cardinal(mi)}"
    if s is not None:
        words += f" and {cardinal(int(s))} second{'s' if int(s) != 1 else ''}"
    if ampm:
        words += " " + " ".join(ampm.replace(".", "").lower())
    return words


def _time(m: re.Match) -> str:
    return _clock(m.group(1), m.group(2), m.group(3), m.group(4))


def _hour_ampm(m: re.Match) -> str:
    return _clock(m.group(1), None, None, m.group(2))


def _quarter(m: re.Match) -> str:
    return f"{year(m.group(1))} Q {cardinal(m.group(2))}"


def _version(m: re.Match) -> str:
    prefix, core, tag, tagnum = m.group(1), m.group(2), m.group(3), m.group(4)
    if not (prefix or tag or _is_version(core)):
        return decimal(core)
    words = version(core)
    if prefix:
        words = f"version {words}"
    if tag:
        words += f", {spell(tag)} {cardinal(tagnum)}"
    return words


def _version_word(m: re.Match) -> str:
    return f"{word(m.group(1))} {'version ' if m.group(2) else ''}{version(m.group(3))}"


def _arch_version(m: re.Match) -> str:
    name = m.group(1)
    return f"{acronym(name) if name.isupper() else word(name)} v {version(m.group(2))}"


def _amount(amount: str, scale: str | None, symbol: str, adjective: bool = False) -> str:
    one, many, cent, cents = CURRENCY[symbol]
    if scale:
        return f"{number(amount)} {SCALE[scale]} {one if adjective else many}"
    whole, _, frac = amount.replace(",", "").partition(".")
    whole = whole or "0"
    frac = frac[:2].ljust(2, "0") if frac else ""
    if adjective and not frac:
        return f"{cardinal(whole)} {one}"
    if frac and int(whole) == 0 and cent:
        c = int(frac)
        return f"{cardinal(c)} {cent if c == 1 else cents}"
    words = f"{cardinal(whole)} {one if whole == '1' else many}"
    if frac and int(frac):
        if symbol in ("£",):
            words += f" {cardinal(int(frac))}"
        elif cent:
            c = int(frac)
            words += f" and {cardinal(c)} {cent if c == 1 else cents}"
        else:
            words = f"{decimal(whole + '.' + frac)} {many}"
    return words


def _currency(m: re.Match) -> str:
    symbol, amount, scale = m.group(1), m.group(2), m.group(3)
    # "a $5 bill": the amount is an adjective, so the unit is singular
    adjective = bool(
        re.match(r"\s+(?:bill|note|coin|fee|fine|ticket|gift|voucher|increase|budget|deal)\b", m.string[m.end() :])
        and re.search(r"(?:^|\s)an?\s*$", m.string[: m.start()])
    )
    return _amount(amount, scale, symbol, adjective)


_CODES = {
    "USD": "U S dollars",
    "EUR": "euros",
    "GBP": "pounds",
    "JPY": "yen",
    "CAD": "Canadian dollars",
    "AUD": "Australian dollars",
    "CHF": "Swiss francs",
    "INR": "rupees",
}


def _currency_code(m: re.Match) -> str:
    code, amount, scale = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(4), m.group(5))
    said = number(amount) + (f" {SCALE[scale]}" if scale else "")
    unit = _CODES[code]
    if amount in ("1", "1.0") and not scale:
        unit = {
            "U S dollars": "U S dollar",
            "euros": "euro",
            "pounds": "pound",
            "Canadian dollars": "Canadian dollar",
            "Australian dollars": "Australian dollar",
            "Swiss francs": "Swiss franc",
            "rupees": "rupee",
        }.get(unit, unit)
    return f"{said} {unit}"


def _currency_range(m: re.Match) -> str:
    symbol, a, b, scale = m.group(1), m.group(2), m.group(3), m.group(4)
    low = number(a) + (f" {SCALE[scale]}" if scale else "")
    return f"{low} to {_amount(b, scale, symbol)}"


def _percent(m: re.Match) -> str:
    about = "about " if m.group(1) else ""
    sign = "minus " if m.group(2) else ""
    return f"{about}{sign}{number(m.group(3))} percent"


def _percent_range(m: re.Match) -> str:
    return f"{number(m.group(1))} to {number(m.group(2))} percent"


def _fraction_words(a: int, b: int) -> str:
    if b in FRACTIONS:
        one, many = FRACTIONS[b]
        return f"one {one}" if a == 1 else f"{cardinal(a)} {many}"
    word = ordinal(b)
    if a == 1:
        return word if word.startswith("one ") else f"one {word}"
    return f"{cardinal(a)} {word}s"


def _fraction(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    if (a, b) == (24, 7):
        return "twenty-four seven"
    if a >= b or b == 0:
        return f"{cardinal(a)} out of {cardinal(b)}" if b else f"{cardinal(a)} slash {cardinal(b)}"
    return _fraction_words(a, b)


def _mixed_fraction(m: re.Match) -> str:
    whole, a, b = int(m.group(1)), int(m.group(2)), int(m.group(3))
    part = "a half" if (a, b) == (1, 2) else ("a quarter" if (a, b) == (1, 4) else _fraction_words(a, b))
    if a == 1 and b not in FRACTIONS:
        part = f"a {ordinal(b)}"
    return f"{cardinal(whole)} and {part}"


def _range(m: re.Match) -> str:
    return f"{_range_end(m.group(1))} to {_range_end(m.group(2))}"


def _range_end(s: str) -> str:
    if "." in s and _is_version(s):
        return version(s)
    return year(s) if re.fullmatch(r"1[1-9]\d\d|20\d\d", s) else number(s)


def _year_range(m: re.Match) -> str:
    a, b = m.group(1), m.group(2)
    if len(b) == 2:
        return f"{year(a)} to {cardinal(b) if not b.startswith('0') else 'oh ' + cardinal(b[1])}"
    return f"{year(a)} to {year(b)}"


def _unit(m: re.Match) -> str:
    amount, sep, unit = m.group(1), m.group(2), m.group(3)
    one, many = UNITS[unit]
    if sep == "-":
        return f"{number(amount)} {one}"
    singular = amount.replace(",", "") in ("1", "1.0") or unit in ("x",)
    return f"{number(amount)} {one if singular else many}"


def _unit_range(m: re.Match) -> str:
    a, b, unit = m.group(1), m.group(2), m.group(3)
    return f"{number(a)} to {number(b)} {UNITS[unit][1]}"


def _per_unit(m: re.Match) -> str:
    amount, unit, per = m.group(1), m.group(2), m.group(3)
    one, many = UNITS[unit]
    return f"{number(amount)} {one if amount == '1' else many} per {PER[per]}"


def _temperature(m: re.Match) -> str:
    sign, amount, scale = m.group(1), m.group(2), m.group(3)
    unit = {"C": "Celsius", "F": "Fahrenheit", "K": "kelvin"}.get((scale or "").upper(), "")
    degrees = "degree" if amount in ("1",) and not sign else "degrees"
    words = f"{'minus ' if sign else ''}{number(amount)} {degrees}"
    return f"{words} {unit}".strip()


def _ordinal(m: re.Match) -> str:
    return ordinal(m.group(1))


def _hash_number(m: re.Match) -> str:
    return f"number {pairs(m.group(1))}"


def _alnum(token: str) -> str:
    """Letters and digits glued together: 'x86' -> 'x eighty-six', 'V4L2' -> 'V four L two', 'A320' -> 'A three twenty'."""
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


def _alnum_token(m: re.Match) -> str:
    return " ".join(_alnum(piece) for piece in m.group(0).split("-"))


def _identifier(m: re.Match) -> str:
    """snake_case and SCREAMING_CASE names: words, digits spoken, call parentheses dropped."""
    parts = [p for p in m.group(1).split("_") if p]
    return " ".join(
        _alnum(p) if re.search(r"\d", p) else (_name_part(p) if p.isupper() and len(p) > 1 else word(p)) for p in parts
    )


def _name_part(part: str) -> str:
    """A capitalised word inside a name (MAX in MAX_ORDER) is a word unless it is a known acronym."""
    if part in WORDS or part in SPELLED or lexicon_lookup(part) is not None:
        return acronym(part)
    if part.lower() in dictionary() and not dictionary()[part.lower()]:
        return part.lower()
    if not pronounceable(part) or len(part) < 3:
        return acronym(part)
    return part.lower()


def _dotted_name(m: re.Match) -> str:
    """module.function or struct.field: 'os.path' -> 'os dot path'."""
    return " dot ".join(_alnum(p) if re.search(r"\d", p) else word(p) for p in m.group(0).split("."))


def _path(m: re.Match) -> str:
    lead, body = m.group(1), m.group(2)
    parts = [p for p in body.split("/")]
    spoken = []
    for p in parts:
        if not p:
            continue
        p = p.rstrip("*")
        spoken.append(" dot ".join(_word_parts(q) if q else "" for q in p.split(".")) if p else "star")
    head = {"~/": "home slash ", "./": "dot slash ", "../": "dot dot slash ", "/": "slash "}.get(lead, "")
    return head + " slash ".join(s for s in spoken if s)


def _arrow(m: re.Match) -> str:
    return f"{_name(m.group(1))} arrow {_name(m.group(2))}"


def _name(s: str) -> str:
    """A name in code: snake_case, digits, or a plain word."""
    if "_" in s:
        return " ".join(
            _alnum(p) if re.search(r"\d", p) else (_name_part(p) if p.isupper() and len(p) > 1 else word(p))
            for p in s.split("_")
            if p
        )
    return _alnum(s) if re.search(r"\d", s) else word(s)


def _year_or_number(m: re.Match) -> str:
    s = m.group(0)
    if "," in s or "." in s:
        return number(s)
    if re.fullmatch(r"1\d\d\d|20\d\d", s):
        after = m.string[m.end() : m.end() + 24]
        before = m.string[max(0, m.start() - 12) : m.start()]
        counted = re.match(
            r"\s+(?!was\b|is\b|has\b|this\b|its\b|as\b|us\b|his\b|does\b|onwards\b|dollars?\b)"
            r"[a-z]{3,}s\b",
            after,
        )
        if counted and not re.search(r"(?:\bin|\bof|\bsince|\byear|\bby)\s+$", before, re.I):
            return cardinal(s)
        if int(s) < 1500 and not re.search(r"(?:\bin|\bof|\byear|\bsince|\bAD|\bby|\bc\.)\s+$", before, re.I):
            return cardinal(s)
        return year(s)
    return number(s)


def _negative(m: re.Match) -> str:
    return f"minus {number(m.group(1))}"


def _abbreviation(m: re.Match) -> str:
    return ABBREVIATIONS[m.group(0)]


def _street_or_saint(m: re.Match) -> str:
    """'St.' after a name or a house number is Street; before a name it is Saint."""
    abbr = m.group(1)
    before = m.string[: m.start()]
    after = m.string[m.end() :]
    prev = re.search(r"(\S+)\s*$", before)
    prev_word = prev.group(1) if prev else ""
    street = {"St": "Street", "Dr": "Drive"}[abbr]
    person = {"St": "Saint", "Dr": "Doctor"}[abbr]
    if re.match(r"[A-Z0-9]", prev_word) and not re.search(r"[.!?:;\"']$", prev_word):
        return street
    if re.match(r"\s*[A-Z]", after):
        return person
    return street


def _roman(m: re.Match) -> str:
    name, numeral = m.group(1), m.group(2)
    value = roman(numeral)
    if value is None:
        return m.group(0)
    if name in REGNAL:
        return f"{name} the {ordinal(value)}"
    return f"{name} {cardinal(value)}"


def _list_marker(m: re.Match) -> str:
    return f"item {(m.group(1) or m.group(2)).upper()}"


def _alternatives(m: re.Match) -> str:
    """'hard/impossible' -> 'hard or impossible': two dictionary words, not a path."""
    a, b = m.group(1), m.group(2)
    dic = dictionary()
    if (
        a.lower() in dic
        and b.lower() in dic
        and not dic[a.lower()]
        and not dic[b.lower()]
        and a.islower()
        and b.islower()
    ):
        return f"{a} or {b}"
    return f"{word(a)} slash {word(b)}"


def _version_alternatives(m: re.Match) -> str:
    parts = m.group(0).split("/")
    said = [version(p) if _is_version(p) else decimal(p) for p in parts]
    return " or ".join(said)


def _power(m: re.Match) -> str:
    base, exp = m.group(1), m.group(2)
    b = number(base) if base[0].isdigit() else word(base)
    if exp == "2":
        return f"{b} squared"
    if exp == "3":
        return f"{b} cubed"
    return f"{b} to the power of {number(exp) if exp.isdigit() else word(exp)}"


_OPERATORS = {
    "*": "times",
    "/": "divided by",
    "-": "minus",
    "+": "plus",
    "=": "equals",
    "==": "equals",
    "!=": "is not equal to",
    "<=": "is less than or equal to",
    ">=": "is greater than or equal to",
    "<": "is less than",
    ">": "is greater than",
    "×": "times",
    "÷": "divided by",
    "−": "minus",
}


def _operator(m: re.Match) -> str:
    return f" {_OPERATORS[m.group(1)]} "


def _decade(m: re.Match) -> str:
    mid, num = m.group(1), m.group(3)
    words = plural_decade(num)
    return f"{mid}-{words}" if mid else words


def _phone(m: re.Match) -> str:
    groups = [g for g in re.split(r"[\s().-]+", m.group(0)) if g]
    out = []
    for i, g in enumerate(groups):
        if g.startswith("+"):
            out.append("plus " + digits(g[1:], "oh"))
        elif g in ("800", "888", "877", "866") and i > 0 and groups[i - 1] in ("1", "+1"):
            out.append("eight hundred" if g == "800" else digits(g, "oh"))
        else:
            out.append(digits(g, "oh"))
    return ", ".join(out)


def _ip(m: re.Match) -> str:
    return " dot ".join(pairs(o) if len(o) == 3 else cardinal(o) for o in m.group(0).split("."))


# ---------------------------------------------------------------- brackets inside words (a pre-pass)

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


# ---------------------------------------------------------------- the rules, in order

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_UNIT_NAMES = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_PER_NAMES = "|".join(sorted(map(re.escape, PER), key=len, reverse=True))
_CUR = r"US\$|C\$|A\$|[$£€¥₹₩₽₺₪₿]"
_SCALE = r"bn|tn|thousand|million|billion|trillion|[kKmMBT]"
_IP = re.compile(r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")
_DOTTED_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:1[5-9]|20)\d\d")
_CAPWORD = r"[A-Z][a-z]+"

RULES: list[Rule] = [
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I), _url),
    ("email", re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"), _email),
    (
        "bare domain",
        re.compile(r"(?<![\w@./-])((?:[a-z0-9-]+\.)+(?:" + _TLDS + r"))(/[A-Za-z-]{1,16})?(?![\w@-]|\.\w)", re.I),
        lambda m: _host(m.group(1)) + (f" slash {m.group(2)[1:].replace('-', ' ')}" if m.group(2) else ""),
    ),
    (
        "path",
        re.compile(r"(?<![\w/])(~/|\.\.?/|/)((?:[\w.*-]+/)*[\w.*-]+/?)(?=[\s,;:!?)\"']|\.(?:\s|$)|$)"),
        lambda m: _path(m) if (m.group(1) != "/" or m.group(2).count("/") >= 1) else m.group(0),
    ),
    (
        "abbreviation",
        re.compile(r"(?<![\w.])[A-Za-z]{1,6}\.(?:[A-Za-z]\.)?"),
        lambda m: (
            _abbreviation(m)
            if m.group(0) in ABBREVIATIONS
            else (ABBREVIATIONS[m.group(0)[:-2]] + m.group(0)[-2:] if m.group(0)[:-2] in ABBREVIATIONS else m.group(0))
        ),
    ),
    (
        "bare abbreviation",
        re.compile(r"(?<![\w/])(?:etc|aka|AKA|vs|IIRC|IMHO|AFAIK|FYI)(?![\w/])|\bw/o\b|\bI/O\b"),
        lambda m: BARE_ABBREVIATIONS[m.group(0)],
    ),
    ("no", re.compile(r"\bNo\.\s?(?=\d)"), lambda m: "number "),
    ("street or saint", re.compile(r"\b(St|Dr)\.(?!\w)"), _street_or_saint),
    ("cve", re.compile(r"\bCVE-(\d{4})-(\d{4,7})\b"), _cve),
    ("hex", re.compile(r"\b0[xX]([0-9A-Fa-f]+)\b"), _hex),
    ("commit", re.compile(r"\b(commit|sha|SHA|hash)\s+([0-9a-f]{7,40})\b"), _commit),
    ("ip address", re.compile(r"(?<![\w.])" + _IP.pattern + r"(?![\w.]*\d)"), _ip),
    (
        "telephone",
        re.compile(
            r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
            r"|(?<![\w+])\+\d{1,3}(?:[\s-]\(?\d{1,6}\)?){2,6}(?![\w-])"
            r"|(?<![\w+-])1-8\d\d-\d{3}-\d{4}(?![\w-])"
            r"|(?<![\w.+-])(?<!\d )\d{3}-\d{4}(?![\w-])"
        ),
        _phone,
    ),
    ("date", re.compile(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b"), _date_ymd),
    (
        "numeric date",
        re.compile(r"(?<![\w./])(\d{1,2})(?:(/)(\d{1,2})/(\d{4}|\d{2})|(\.)(\d{1,2})\.(\d{4}))(?![\w/]|\.\d)"),
        _date_numeric,
    ),
    (
        "month day",
        re.compile(r"(?<![\w.])(" + _MONTH + r")\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?"),
        _month_first,
    ),
    (
        "day month",
        re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH + r")(?:,?\s+(\d{4})\b)?"),
        _day_first,
    ),
    ("month year", re.compile(r"(?<![\w.])(" + _MONTH + r")\s+(\d{4})\b"), _month_year),
    (
        "month abbreviation",
        re.compile(r"(?<![\w.])((?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)(?=\s)"),
        _month_alone,
    ),
    (
        "time range",
        re.compile(r"\b(\d{1,2})\s?([ap])m\s?[-–]\s?(\d{1,2})\s?([ap])m\b", re.I),
        lambda m: (
            f"{_clock(m.group(1), None, None, m.group(2) + 'm')} to {_clock(m.group(3), None, None, m.group(4) + 'm')}"
        ),
    ),
    (
        "clock range",
        re.compile(r"\b(\d{1,2}):(\d{2})\s?[-–]\s?(\d{1,2}):(\d{2})\b"),
        lambda m: f"{_clock(m.group(1), m.group(2))} to {_clock(m.group(3), m.group(4))}",
    ),
    ("time", re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([AaPp]\.?[Mm]\.?)(?!\w))?"), _time),
    ("hour am pm", re.compile(r"\b(\d{1,2})\s?([AaPp]\.?[Mm]\.?)(?!\w)"), _hour_ampm),
    ("quarter", re.compile(r"\b(\d{4})-Q([1-4])\b"), _quarter),
    ("arch version", re.compile(r"\b([A-Za-z]{2,})v(\d+(?:\.\d+)*)\b"), _arch_version),
    (
        "version word",
        re.compile(r"\b(" + "|".join(VERSION_PREFIX_WORDS) + r") ([vV])?(\d+\.\d+)(?![\w.]*\d|-(?:rc|rt)\d)"),
        _version_word,
    ),
    ("version alternatives", re.compile(r"(?<![\w.])\d+\.\d+(?:/\d+\.\d+)+(?![\w.])"), _version_alternatives),
    (
        "decade",
        re.compile(r"(?:\b(mid|early|late)-)?(?<![\w])(')?(\d{2}|1\d{3}|20\d{2})(?:'s|s)\b"),
        lambda m: _decade(m) if (m.group(3)[-1] == "0") else m.group(0),
    ),
    ("year compound", re.compile(r"\b([Yy]ear)-(\d{4})\b"), lambda m: f"{m.group(1)} {year(m.group(2))}"),
    (
        "vulgar fraction",
        re.compile(r"(\d*)\s?([½¼¾⅓⅔⅛])"),
        lambda m: (
            (f"{cardinal(m.group(1))} and " if m.group(1) else "")
            + {
                "½": "a half",
                "¼": "a quarter",
                "¾": "three quarters",
                "⅓": "a third",
                "⅔": "two thirds",
                "⅛": "an eighth",
            }[m.group(2)]
        ),
    ),
    ("mixed fraction", re.compile(r"(?<![\w./])(\d+)\s(\d{1,2})/(\d{1,2})(?![\w/])"), _mixed_fraction),
    ("fraction", re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,3})(?![\w/])"), _fraction),
    ("temperature", re.compile(r"(?<![\w.])([-−])?(" + _NUM + r")\s?°\s?([CFK])?(?![\w])"), _temperature),
    (
        "currency code",
        re.compile(
            r"\b(USD|EUR|GBP|JPY|CAD|AUD|CHF|INR)\s?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"
            r"|(?<![\w.])(" + _NUM + r")(?:\s?(" + _SCALE + r"))?\s?(USD|EUR|GBP|JPY|CAD|AUD|CHF|INR)\b"
        ),
        _currency_code,
    ),
    (
        "feet and inches",
        re.compile(r"(?<![\w.])(\d)'\s?(\d{1,2})(?:\"|'')"),
        lambda m: f"{cardinal(m.group(1))} foot {cardinal(m.group(2))}",
    ),
    (
        "currency range",
        re.compile(r"(" + _CUR + r")(" + _NUM + r")\s?[-–]\s?\1?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"),
        _currency_range,
    ),
    ("currency", re.compile(r"(" + _CUR + r")\s?(" + _NUM + r")(?:\s?(" + _SCALE + r")\b)?"), _currency),
    ("percent range", re.compile(r"(" + _NUM + r")\s?%?\s?[-–]\s?(" + _NUM + r")\s?%"), _percent_range),
    ("percent", re.compile(r"(~)?([-−])?(" + _NUM + r")\s?%"), _percent),
    (
        "per unit",
        re.compile(r"(?<![\w.])(" + _NUM + r")\s?(" + _UNIT_NAMES + r")/(" + _PER_NAMES + r")(?![\w/])"),
        _per_unit,
    ),
    (
        "unit range",
        re.compile(r"(?<![\w.])(" + _NUM + r")\s?[-–]\s?(" + _NUM + r")\s?(" + _UNIT_NAMES + r")(?![\w/])"),
        lambda m: _unit_range(m) if m.group(3) not in _AMBIGUOUS_UNITS or m.group(3) == "x" else m.group(0),
    ),
    (
        "unit",
        re.compile(r"(?<![\w.])(" + _NUM + r")([\s-]?)(" + _UNIT_NAMES + r")(?![\w/])"),
        lambda m: (
            _unit(m)
            if (
                m.group(3) not in _AMBIGUOUS_UNITS
                or m.group(2) != " "
                or not re.match(r"\s*[A-Za-z0-9]", m.string[m.end() :])
            )
            else m.group(0)
        ),
    ),
    ("negative", re.compile(r"(?<![\w.])[-−](" + _NUM + r")\b"), _negative),
    ("range", re.compile(r"(?<![\w.])(" + _NUM + r")\s?[–—]\s?(" + _NUM + r")(?![\w.])"), _range),
    (
        "version",
        re.compile(r"(?<![\w.])(?<!\d,)(v)?(\d+(?:\.\d+)+)(?:-(rc|rt|pre|beta|alpha)(\d+))?(?![\w.]*\d)", re.I),
        _version,
    ),
    ("v number", re.compile(r"\bv(\d+)\b"), lambda m: f"version {cardinal(m.group(1))}"),
    ("ordinal", re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"), _ordinal),
    ("hash number", re.compile(r"#(\d+)\b"), _hash_number),
    ("sharp", re.compile(r"(?<![\w#])([A-G])#(?![\w#])"), lambda m: f"{m.group(1)} sharp"),
    ("dot net", re.compile(r"(?<![\w.])\.NET\b"), lambda m: "dot net"),
    (
        "initialism",
        re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,})(?![\w])"),
        lambda m: spell(m.group(1)) + ("." if m.end() == len(m.string) and m.group(1)[-2].isupper() else ""),
    ),
    (
        "roman numeral",
        re.compile(r"\b(" + _CAPWORD + r")\s+([IVXLCDM]{1,7})\b(?!\.\w|-)"),
        lambda m: (
            _roman(m)
            if (m.group(1) in REGNAL or m.group(1).lower() in ROMAN_COUNTED)
            and roman(m.group(2))
            and (
                m.group(2) != "I"
                or m.group(1) in REGNAL
                or m.group(1).lower() in ("war", "part", "chapter", "phase", "type", "act", "volume", "book")
            )
            else m.group(0)
        ),
    ),
    (
        "list marker",
        re.compile(
            r"(?:^|(?<=[\"'“:]\s)|(?<=[\"'“]))\(([a-hA-H]|i{1,3}|iv|v)\)(?=\s)"
            r"|(?<=\s)\(([a-hA-H])\)(?=\s+(?:is|are|and|or|was|were|needs?|means?)\b)"
        ),
        _list_marker,
    ),
    ("power", re.compile(r"(?<![\w^])(\d+|[A-Za-z])\^(\d+|[A-Za-z])\b"), _power),
    (
        "formula",
        re.compile(
            r"(?<![\w.])(\d+(?:\.\d+)?|[A-Za-z])\s*(==|!=|<=|>=|[*×÷])\s*(?=(?:\d+(?:\.\d+)?|[A-Za-z])(?![\w.]))"
        ),
        lambda m: f"{number(m.group(1)) if m.group(1)[0].isdigit() else m.group(1)} {_OPERATORS[m.group(2)]} ",
    ),
    (
        "comparison",
        re.compile(r"(?<=\w)\s+([<>]|[-−/+]|=)\s+(?=\w)"),
        lambda m: _operator(m) if re.search(r"=|\d\s*[<>]\s*\d|[<>]\s*\d", m.string) else m.group(0),
    ),
    ("arrow", re.compile(r"\b(\w+)->(\w+)"), _arrow),
    ("identifier", re.compile(r"(?<![\w])(_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*)(?:\(\))?"), _identifier),
    ("dunder", re.compile(r"(?<![\w])_+([A-Za-z][A-Za-z0-9]*)_*(?:\(\))?"), lambda m: word(m.group(1))),
    (
        "call",
        re.compile(r"\b([A-Za-z]\w*)\(\)"),
        lambda m: _alnum(m.group(1)) if re.search(r"\d", m.group(1)) else word(m.group(1)),
    ),
    ("leading arrow", re.compile(r"(?<!\w)->\s?"), lambda m: ""),
    (
        "year range",
        re.compile(r"(?<![\w.])(1[1-9]\d\d|20\d\d)\s?[-–]\s?(1[1-9]\d\d|20\d\d|\d\d)(?![\w.])"),
        lambda m: (
            _year_range(m)
            if int(m.group(2)[-2:] if len(m.group(2)) == 2 else m.group(2))
            > (int(m.group(1)[-2:]) if len(m.group(2)) == 2 else int(m.group(1)))
            else m.group(0)
        ),
    ),
    ("hyphen range", re.compile(r"(?<![\w.-])(\d{1,3})-(\d{1,3})(?![\w.-])"), _range),
    ("alphanumeric", re.compile(r"\b(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"), _alnum_token),
    ("and/or", re.compile(r"\band/or\b"), lambda m: "and or"),
    ("alternatives", re.compile(r"(?<![\w/])([A-Za-z]+)/([A-Za-z]+)(?![\w/])"), _alternatives),
    ("slash", re.compile(r"/(?:(?<=\w/)|(?=\w))"), lambda m: " slash "),
    ("star", re.compile(r"(?<=\w)\*"), lambda m: " star"),
    ("number", re.compile(_NUM), _year_or_number),
    (
        "dotted name",
        re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b(?=[\s,;:!?)]|\.(?:\s|$)|$)"),
        lambda m: (
            _dotted_name(m)
            if re.search(r"[a-z]\.[a-z]", m.group(0)) and not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", m.group(0))
            else m.group(0)
        ),
    ),
    ("tilde", re.compile(r"~\s*"), lambda m: "about "),
    (
        "symbols",
        re.compile("|".join(map(re.escape, sorted(SYMBOLS, key=len, reverse=True)))),
        lambda m: SYMBOLS[m.group(0)],
    ),
    ("dash", re.compile(r"[–—]\s*"), lambda m: ", "),
    ("brackets", re.compile(r"\s*[(\[]\s*|\s*[)\]]\s*"), lambda m: ", "),
    ("braces", re.compile(r"[{}]"), lambda m: " "),
]

_WORD = re.compile(r"[A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)*")


def _words(text: str) -> str:
    """Every word no rule has spoken: lexicon, acronyms, names, code names."""

    def one(m: re.Match) -> str:
        token = m.group(0)
        trail = ""
        while token.endswith("'") and not token.endswith("s'"):
            token, trail = token[:-1], "'" + trail
        return word(token) + trail

    return _WORD.sub(one, text)


def _apply(
    pieces: list[tuple[bool, str]], pattern: "re.Pattern[str]", fn: Callable[[re.Match], str]
) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    for done, text in pieces:
        if done:
            out.append((done, text))
            continue
        pos = 0
        for m in pattern.finditer(text):
            said = fn(m)
            if said == m.group(0):
                continue  # the rule declined
            out.append((False, text[pos : m.start()]))
            left = " " if m.start() == 0 or text[m.start() - 1].isalnum() else ""
            right = " " if m.end() == len(text) or text[m.end()].isalnum() else ""
            out.append((True, f"{left}{said}{right}" if said.strip() else said))
            pos = m.end()
        out.append((False, text[pos:]))
    return [(d, t) for d, t in out if t]


_DIGITS = "0123456789"
# Characters a rule cannot match without: a piece with none of them is not searched.
_NEEDS = {
    name: _DIGITS
    for name in (
        "cve",
        "hex",
        "commit",
        "ip address",
        "telephone",
        "date",
        "numeric date",
        "month day",
        "day month",
        "month year",
        "time range",
        "clock range",
        "time",
        "hour am pm",
        "quarter",
        "arch version",
        "version word",
        "version alternatives",
        "decade",
        "year compound",
        "mixed fraction",
        "fraction",
        "negative",
        "currency range",
        "currency",
        "percent range",
        "percent",
        "temperature",
        "per unit",
        "unit range",
        "unit",
        "range",
        "version",
        "v number",
        "ordinal",
        "hash number",
        "year range",
        "hyphen range",
        "alphanumeric",
        "number",
    )
}
_NEEDS.update(
    {
        "url": ":.",
        "email": "@",
        "bare domain": ".",
        "path": "/",
        "abbreviation": ".",
        "no": ".",
        "street or saint": ".",
        "list marker": "(",
        "power": "^",
        "formula": "=*×÷<>!",
        "comparison": "<>-−/+=",
        "arrow": ">",
        "leading arrow": ">",
        "identifier": "_",
        "dunder": "_",
        "call": "(",
        "and/or": "/",
        "alternatives": "/",
        "slash": "/",
        "star": "*",
        "dotted name": ".",
        "tilde": "~",
        "symbols": "".join(set("".join(SYMBOLS))),
        "dash": "–—",
        "brackets": "()[]",
        "braces": "{}",
        "vulgar fraction": "½¼¾⅓⅔⅛",
        "currency code": _DIGITS,
        "feet and inches": "'",
        "sharp": "#",
        "dot net": ".",
        "initialism": ".",
    }
)


def normalize(
    text: str, rules: list[Rule] = RULES, context: Context | None = None, guesses: list[Guess] | None = None
) -> str:
    """`text` as a careful host says it.  `context`: the episode's (default: this text alone);
    `guesses`: a list to receive the tokens read by a guess."""
    if context is None:
        context = Context(versions=scan_versions([text]))
    elif context.dotted == "auto":
        local = scan_versions([text])
        if not local <= context.versions:
            context = Context(context.dotted, context.versions | local)
    tokens = (_CONTEXT.set(context), _GUESSES.set(guesses))
    try:
        pieces = [(False, expand_brackets(text))]
        present = set(pieces[0][1])  # the characters left to read (a superset after a rule has read some)
        for name, pattern, fn in rules:
            needs = _NEEDS.get(name)
            if needs and present.isdisjoint(needs):
                continue
            before = len(pieces)
            pieces = _apply(pieces, pattern, fn)
            if len(pieces) != before:
                present = set().union(*(t for done, t in pieces if not done))
        text = "".join(t if done else _words(t) for done, t in pieces)
    finally:
        _CONTEXT.reset(tokens[0])
        _GUESSES.reset(tokens[1])
    return tidy(text)


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,+", ",", text)
    text = re.sub(r"([.;:!?])\s*,", r"\1", text)
    text = re.sub(r"^\s*,\s*", "", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([!?])\.(?!\.)", r"\1", text)
    return re.sub(r"[,\s]+$", "", text).strip()
