"""Text normalization: technical script text to what a careful host would say.

Pure functions, no I/O.  `normalize()` takes plain text (no `{written|spoken}`
overrides: those are never touched) and applies ordered rules, each a regex
and a function that returns words.  Earlier rules see the most structured
tokens (URLs, dates, versions) before later ones take numbers and symbols
apart, and every rule's output is plain words, so no later rule re-reads it.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from num2words import num2words

# ---------------------------------------------------------------- words for numbers


def cardinal(n: int | float | str) -> str:
    """American style: no 'and', no commas ('four thousand eight hundred twelve')."""
    value = float(n) if isinstance(n, str) and "." in n else int(n) if isinstance(n, str) else n
    words = num2words(value)
    return _american(words)


def _american(words: str) -> str:
    return re.sub(r"\s+", " ", words.replace(",", "").replace(" and ", " ")).strip()


def ordinal(n: int | str) -> str:
    return _american(num2words(int(n), to="ordinal"))


def year(n: int | str) -> str:
    value = int(n)
    if 2000 <= value <= 2009:
        return _american(num2words(value))  # "two thousand nine", not "twenty oh-nine"
    return _american(num2words(value, to="year"))


def digits(s: str) -> str:
    return " ".join(cardinal(d) for d in s)


def decimal(s: str) -> str:
    """'2.5' -> 'two point five', '0.25' -> 'zero point two five'."""
    whole, _, frac = s.replace(",", "").partition(".")
    head = cardinal(whole or "0")
    return f"{head} point {digits(frac)}" if frac else head


def number(s: str) -> str:
    """Any plain number as written: separators, decimals, long digit strings."""
    s = s.replace(",", "")
    if "." in s:
        return decimal(s)
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
    tail_words = f"oh {cardinal(tail[1])}" if tail.startswith("0") and tail != "00" else (
        "hundred" if tail == "00" else cardinal(tail))
    return f"{pairs(head) if len(head) > 2 else cardinal(head)} {tail_words}"


def version(s: str) -> str:
    """'4.11' -> 'four point eleven' (components are numbers, not digits)."""
    return " point ".join(cardinal(part) if part.isdigit() else part for part in s.split("."))


# ---------------------------------------------------------------- vocabularies

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# Spoken letter by letter.
SPELLED = {
    "MCE", "RFC", "VM", "PAE", "LPAE", "HMM", "CPU", "UTC", "GPU", "API", "DMA", "PCI", "KVM", "RCU", "MMU",
    "TLB", "IO", "USB", "SSD", "HDD", "NVMe", "ACPI", "BIOS", "UEFI", "CVE", "GCC", "LTS", "RT", "RC", "SMP",
    "NFS", "XFS", "EXT", "TCP", "UDP", "IP", "DNS", "HTTP", "HTTPS", "URL", "SQL", "CI", "PR", "OS", "VFS",
    "IRQ", "SoC", "FPGA", "ARMv", "IBM", "AMD", "HP", "BPF", "eBPF", "MMIO", "MSR", "TSC", "NMI", "OOM",
    "GT", "UI", "AI", "ML", "CEO", "FAQ", "MP", "LUFS", "MP3", "ID", "PDF", "TV", "US", "UK", "EU",
}
# Said as words.
WORDS = {
    "GUP": "gup", "RAM": "ram", "NASA": "nasa", "ARM": "arm", "RAID": "raid", "NUMA": "numa", "SATA": "sata",
    "POSIX": "posix", "GNOME": "gnome", "LAN": "lan", "WAN": "wan", "ROM": "rom", "JSON": "jason",
    "YAML": "yamel", "GIF": "gif", "WiFi": "wifi", "LED": "led", "SIMD": "sim d", "NAND": "nand",
    "AVX": "A V X", "MWAIT": "M wait", "SCSI": "scuzzy", "SUSE": "soosa", "APPEND": "append", "ATTR": "attr",
    "STATX": "stat x", "GNU": "G N U", "SIGKILL": "sig kill", "PID": "pid", "TODO": "to do", "NOT": "not",
    "YET": "yet", "OK": "okay",
}
# Units after a number, and how they are said.
UNITS = {
    "GbE": "gigabit ethernet", "Gbps": "gigabits per second", "Mbps": "megabits per second",
    "GHz": "gigahertz", "MHz": "megahertz", "kHz": "kilohertz", "Hz": "hertz",
    "TB": "terabytes", "GB": "gigabytes", "MB": "megabytes", "KB": "kilobytes", "kB": "kilobytes",
    "TiB": "tebibytes", "GiB": "gibibytes", "MiB": "mebibytes", "KiB": "kibibytes",
    "ms": "milliseconds", "us": "microseconds", "µs": "microseconds", "ns": "nanoseconds",
    "dB": "decibels", "dBTP": "decibels true peak", "LUFS": "L U F S", "LU": "L U", "kbps": "kilobits per second",
    "bit": "bit", "bits": "bits", "byte": "byte", "bytes": "bytes", "level": "level", "thread": "thread",
    "threads": "threads", "core": "core", "cores": "cores", "way": "way", "page": "page", "pages": "pages",
    "socket": "socket", "node": "node", "nm": "nanometer", "mm": "millimeter", "cm": "centimeter", "km": "kilometers",
    "W": "watts", "V": "volts", "x": "times",
}
CURRENCY = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros"), "¥": ("yen", "yen")}
SCALE = {"k": "thousand", "K": "thousand", "M": "million", "m": "million", "B": "billion", "bn": "billion",
         "million": "million", "billion": "billion", "thousand": "thousand"}
FRACTIONS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
ABBREVIATIONS = {
    "e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "vs.": "versus", "cf.": "compare",
    "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Dr.": "Doctor", "Prof.": "Professor", "Jr.": "Junior",
    "Sr.": "Senior", "approx.": "approximately", "Inc.": "Incorporated", "Ltd.": "Limited",
}
SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "→": " to ", "->": " to ", "←": " from ", "@": " at ",
           "×": " times ", "≈": " about ", "≤": " at most ", "≥": " at least ", "±": " plus or minus ",
           "°": " degrees ", "§": " section ", "¶": " paragraph "}
LETTERS = {c: c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}

Rule = tuple[str, "re.Pattern[str]", Callable[[re.Match], str]]


def spell(token: str) -> str:
    """Letter by letter: 'MCE' -> 'M C E' (a plural s stays with the last letter: 'VMs' -> 'V M's')."""
    plural = token.endswith("s") and token[:-1].isupper() and len(token) > 2
    core = token[:-1] if plural else token
    letters = " ".join(ch.upper() for ch in core if ch.isalpha())
    return letters + ("'s" if plural else "")


def acronym(token: str, words: Mapping[str, str] = WORDS, spelled: set[str] = SPELLED) -> str:
    """An all-capitals token: a known word, a known spelling, else by rule."""
    if token in words:
        return words[token]
    if token in spelled:
        return spell(token)
    base = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
    if base in words:
        return words[base] + "s"
    if base in spelled or len(base) <= 3 or not re.search(r"[AEIOUY]", base):
        return spell(token)
    if len(base) >= 5:
        return base.lower()  # long and pronounceable: APPEND, FLAGS
    return spell(token)


# ---------------------------------------------------------------- rule bodies


def _url(m: re.Match) -> str:
    url = m.group(0).rstrip(".,;:!?)")
    tail = m.group(0)[len(url):]
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).split("/")[0]
    path = [p for p in re.sub(r"^(?:https?://)?[^/]+", "", url).split("/") if p]
    spoken_host = " dot ".join(_word_parts(part) for part in host.split("."))
    if not path:
        return f"{spoken_host}{tail}"
    if len(path) == 1 and len(path[0]) <= 16 and re.fullmatch(r"[A-Za-z-]+", path[0]):
        return f"{spoken_host} slash {path[0].replace('-', ' ')}{tail}"
    return f"a link on {spoken_host}{tail}"  # long paths are for show notes, not for ears


def _email(m: re.Match) -> str:
    user, host = m.group(1), m.group(2)
    return f"{' dot '.join(_word_parts(p) for p in user.split('.'))} at {' dot '.join(_word_parts(p) for p in host.split('.'))}"


def _word_parts(s: str) -> str:
    return " ".join(_alnum(p) for p in re.split(r"[-_]", s) if p)


def _cve(m: re.Match) -> str:
    number_part = m.group(2)
    return f"C V E {year(m.group(1))} dash {pairs(number_part) if len(number_part) == 4 else digits(number_part)}"


def _date_iso(m: re.Match) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group(0).replace("-", " ").replace("/", " ")
    return f"{MONTHS[mo - 1]} {ordinal(d)}, {year(y)}"


def _month_day(m: re.Match) -> str:
    return f"{m.group(1)} {ordinal(m.group(2))}"


def _time(m: re.Match) -> str:
    h, mi, s = int(m.group(1)), m.group(2), m.group(3)
    words = cardinal(h)
    if mi == "00":
        words += " hundred" if h < 10 or m.group(1).startswith("0") else " o'clock"
    elif mi.startswith("0"):
        words += f" oh {cardinal(mi[1])}"
    else:
        words += f" {cardinal(mi)}"
    if s is not None:
        words += f" and {cardinal(int(s))} second{'s' if int(s) != 1 else ''}"
    return words


def _quarter(m: re.Match) -> str:
    return f"{year(m.group(1))} Q {cardinal(m.group(2))}"


def _version(m: re.Match) -> str:
    prefix, core, tag, tagnum = m.group(1), m.group(2), m.group(3), m.group(4)
    words = version(core)
    if prefix:
        words = f"version {words}"
    if tag:
        words += f", {spell(tag)} {cardinal(tagnum)}"
    return words


def _arch_version(m: re.Match) -> str:
    return f"{acronym(m.group(1)) if m.group(1).isupper() else m.group(1)} v {version(m.group(2))}"


def _currency(m: re.Match) -> str:
    symbol, amount, scale = m.group(1), m.group(2), m.group(3)
    one, many = CURRENCY[symbol]
    if scale:
        return f"{number(amount)} {SCALE[scale]} {many}"
    whole, _, cents = amount.replace(",", "").partition(".")
    words = f"{cardinal(whole)} {one if whole == '1' else many}"
    if cents and int(cents):
        words += f" and {cardinal(int(cents.ljust(2, '0')[:2]))} cents" if symbol == "$" else f" {cardinal(int(cents))}"
    return words


def _percent(m: re.Match) -> str:
    about = "about " if m.group(1) else ""
    return f"{about}{number(m.group(2))} percent"


def _fraction(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    if b in FRACTIONS:
        one, many = FRACTIONS[b]
        return f"{cardinal(a)} {one if a == 1 else many}" if a != 1 else f"one {one}"
    word = ordinal(b)
    return f"{cardinal(a)} {word}{'s' if a != 1 else ''}"


def _range(m: re.Match) -> str:
    return f"{number(m.group(1))} to {number(m.group(2))}"


def _unit(m: re.Match) -> str:
    amount, unit = m.group(1), m.group(2)
    return f"{number(amount)} {UNITS[unit]}"


def _ordinal(m: re.Match) -> str:
    return ordinal(m.group(1))


def _hash_number(m: re.Match) -> str:
    return f"number {pairs(m.group(1))}"


def _alnum(token: str) -> str:
    """Letters and digits glued together: 'x86' -> 'x eighty-six', 'V4L2' -> 'V four L two'."""
    parts = re.findall(r"[A-Za-z]+|\d+", token)
    out = []
    for part in parts:
        if part.isdigit():
            out.append(number(part) if len(part) <= 4 else digits(part))
        elif len(part) == 1 or part.lower() in ("rc", "rt"):
            out.append(spell(part) if part.lower() in ("rc", "rt") else part)
        elif part.isupper():
            out.append(acronym(part))
        else:
            out.append(part)
    return " ".join(out)


def _alnum_token(m: re.Match) -> str:
    return " ".join(_alnum(piece) for piece in m.group(0).split("-"))


def _identifier(m: re.Match) -> str:
    """snake_case and SCREAMING_CASE names: words, digits spoken, call parentheses dropped."""
    parts = [p for p in m.group(1).split("_") if p]
    return " ".join(_alnum(p) if re.search(r"\d", p) else (_name_part(p) if p.isupper() and len(p) > 1 else p)
                    for p in parts)


def _name_part(part: str) -> str:
    """A capitalised word inside a name (MAX in MAX_ORDER) is a word unless it is a known acronym."""
    if part in WORDS or part in SPELLED or not re.search(r"[AEIOUY]", part) or len(part) < 3:
        return acronym(part)
    return part.lower()


def _arrow(m: re.Match) -> str:
    return f"{m.group(1)} arrow {m.group(2)}"


def _year_or_number(m: re.Match) -> str:
    s = m.group(0)
    if re.fullmatch(r"1[5-9]\d\d|20\d\d", s):
        return year(s)
    return number(s)


def _negative(m: re.Match) -> str:
    return f"minus {number(m.group(1))}"


def _abbreviation(m: re.Match) -> str:
    return ABBREVIATIONS[m.group(0)]


def _camel_caps(m: re.Match) -> str:
    """'XenGT' -> 'Xen G T': capitals glued to a word are letters."""
    return f"{m.group(1)} {spell(m.group(2))}"


def _caps(m: re.Match) -> str:
    return acronym(m.group(0))


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT_NAMES = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))

RULES: list[Rule] = [
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I), _url),
    ("email", re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"), _email),
    ("abbreviation", re.compile("|".join(rf"(?<![\w.]){re.escape(a)}" for a in ABBREVIATIONS)), _abbreviation),
    ("no", re.compile(r"\bNo\.\s?(?=\d)"), lambda m: "number "),
    ("saint", re.compile(r"\bSt\.(?=\s+[A-Z])"), lambda m: "Saint"),
    ("street", re.compile(r"\bSt\.(?!\w)"), lambda m: "Street"),
    ("cve", re.compile(r"\bCVE-(\d{4})-(\d{4,7})\b"), _cve),
    ("date", re.compile(r"\b(\d{4})[-/](\d{2})[-/](\d{2})\b"), _date_iso),
    ("month day", re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b"), _month_day),
    ("time", re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b"), _time),
    ("quarter", re.compile(r"\b(\d{4})-Q([1-4])\b"), _quarter),
    ("arch version", re.compile(r"\b([A-Za-z]{2,})v(\d+(?:\.\d+)*)\b"), _arch_version),
    ("version", re.compile(r"(?<![\w.])(v)?(\d+(?:\.\d+)+)(?:-(rc|rt|pre|beta|alpha)(\d+))?(?![\w.]*\d)", re.I),
     lambda m: _version(m) if (m.group(1) or m.group(3) or m.group(2).count(".") >= 2) else m.group(0)),
    ("version word", re.compile(r"\b(Linux|kernel|version|release|Git|Python|GCC|LLVM|Clang|GNOME|KDE) (\d+\.\d+)\b"),
     lambda m: f"{m.group(1)} {version(m.group(2))}"),
    ("v number", re.compile(r"\bv(\d+)\b"), lambda m: f"version {cardinal(m.group(1))}"),
    ("currency", re.compile(r"([$£€¥])\s?(" + _NUM + r")\s?(bn|million|billion|thousand|[kKMB])?\b"), _currency),
    ("percent", re.compile(r"(~)?(" + _NUM + r")\s?%"), _percent),
    ("vulgar fraction", re.compile(r"(\d*)\s?([½¼¾⅓⅔⅛])"), lambda m: (f"{cardinal(m.group(1))} and " if m.group(1) else "")
     + {"½": "a half", "¼": "a quarter", "¾": "three quarters", "⅓": "a third", "⅔": "two thirds", "⅛": "an eighth"}[m.group(2)]),
    ("fraction", re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})(?![\w/])"), _fraction),
    ("unit", re.compile(r"(?<![\w.])(" + _NUM + r")[\s-]?(" + _UNIT_NAMES + r")\b"), _unit),
    ("ordinal", re.compile(r"\b(\d+)(?:st|nd|rd|th)\b"), _ordinal),
    ("hash number", re.compile(r"#(\d+)\b"), _hash_number),
    ("identifier", re.compile(r"(?<![\w])(_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*)(?:\(\))?"), _identifier),
    ("dunder", re.compile(r"(?<![\w])_+([A-Za-z][A-Za-z0-9]*)_*(?:\(\))?"), lambda m: m.group(1)),
    ("call", re.compile(r"\b([A-Za-z]\w*)\(\)"), lambda m: m.group(1)),
    ("arrow", re.compile(r"\b(\w+)->(\w+)"), _arrow),
    ("leading arrow", re.compile(r"(?<!\w)->\s?"), lambda m: ""),
    ("range", re.compile(r"(?<![\w.])(" + _NUM + r")\s?[–—]\s?(" + _NUM + r")(?![\w.])"), _range),
    ("hyphen range", re.compile(r"(?<![\w.-])(\d{1,3})-(\d{1,3})(?![\w.-])"), _range),
    ("alphanumeric", re.compile(r"\b(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"), _alnum_token),
    ("and/or", re.compile(r"\band/or\b"), lambda m: "and or"),
    ("slash", re.compile(r"(?<=\w)/(?=\w)"), lambda m: " slash "),
    ("star", re.compile(r"(?<=\w)\*"), lambda m: " star"),
    ("negative", re.compile(r"(?<![\w.])[-−](" + _NUM + r")\b"), _negative),
    ("number", re.compile(_NUM), lambda m: _year_or_number(m) if "," not in m.group(0) and "." not in m.group(0)
     else number(m.group(0))),
    ("camel caps", re.compile(r"\b([A-Z][a-z]+)([A-Z]{2,})\b"), _camel_caps),
    ("caps", re.compile(r"\b[A-Z]{2,}s?\b"), _caps),
    ("tilde", re.compile(r"~\s*"), lambda m: "about "),
    ("symbols", re.compile("|".join(map(re.escape, sorted(SYMBOLS, key=len, reverse=True)))), lambda m: SYMBOLS[m.group(0)]),
    ("bracketed letters", re.compile(r"(?<=\w)\[(\w{1,3})\]|\((\w{1,4}-?)\)(?=\w)"),
     lambda m: m.group(1) or m.group(2)),  # solution[s], (de)inflating, (co-)maintained
    ("dash", re.compile(r"\s*[–—]\s*"), lambda m: ", "),
    ("brackets", re.compile(r"\s*[(\[]\s*|\s*[)\]]\s*(?=[.,;:!?]|$)|\s*[)\]]\s*"), lambda m: ", " if m.group(0).strip() in "([" else ", "),
    ("braces", re.compile(r"[{}]"), lambda m: ""),
]


def normalize(text: str, rules: list[Rule] = RULES) -> str:
    for _, pattern, fn in rules:
        text = pattern.sub(fn, text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,+", ",", text)
    text = re.sub(r"([.;:!?])\s*,", r"\1", text)
    text = re.sub(r"^\s*,\s*", "", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    return re.sub(r"[,\s]+$", "", text).strip()
