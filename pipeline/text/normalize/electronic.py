"""URLs, e-mail addresses, domains, paths, hashes, IP addresses and names in code."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import cardinal, digits, pairs, year
from .versions import _IP
from .words import _alnum, _name, _name_part, dictionary, spell, word

_DIGITS = "0123456789"

_TLDS = "|".join(vocab.load("electronic")["tlds"])


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


def _ip(m: re.Match) -> str:
    return " dot ".join(pairs(o) if len(o) == 3 else cardinal(o) for o in m.group(0).split("."))


def _identifier(m: re.Match) -> str:
    """snake_case and SCREAMING_CASE names: words, digits spoken, call parentheses dropped."""
    parts = [p for p in m.group(1).split("_") if p]
    return " ".join(
        _alnum(p) if re.search(r"\d", p) else (_name_part(p) if p.isupper() and len(p) > 1 else word(p)) for p in parts
    )


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


RULES: list[Rule] = [
    Rule(
        "url",
        re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I),
        _url,
        ":.",
    ),
    Rule(
        "email",
        re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"),
        _email,
        "@",
    ),
    Rule(
        "bare domain",
        re.compile(r"(?<![\w@./-])((?:[a-z0-9-]+\.)+(?:" + _TLDS + r"))(/[A-Za-z-]{1,16})?(?![\w@-]|\.\w)", re.I),
        lambda m: _host(m.group(1)) + (f" slash {m.group(2)[1:].replace('-', ' ')}" if m.group(2) else ""),
        ".",
    ),
    Rule(
        "path",
        re.compile(r"(?<![\w/])(~/|\.\.?/|/)((?:[\w.*-]+/)*[\w.*-]+/?)(?=[\s,;:!?)\"']|\.(?:\s|$)|$)"),
        lambda m: _path(m) if (m.group(1) != "/" or m.group(2).count("/") >= 1) else m.group(0),
        "/",
    ),
    Rule(
        "cve",
        re.compile(r"\bCVE-(\d{4})-(\d{4,7})\b"),
        _cve,
        _DIGITS,
    ),
    Rule(
        "hex",
        re.compile(r"\b0[xX]([0-9A-Fa-f]+)\b"),
        _hex,
        _DIGITS,
    ),
    Rule(
        "commit",
        re.compile(r"\b(commit|sha|SHA|hash)\s+([0-9a-f]{7,40})\b"),
        _commit,
        _DIGITS,
    ),
    Rule(
        "ip address",
        re.compile(r"(?<![\w.])" + _IP.pattern + r"(?![\w.]*\d)"),
        _ip,
        _DIGITS,
    ),
    Rule(
        "dot net",
        re.compile(r"(?<![\w.])\.NET\b"),
        lambda m: "dot net",
        ".",
    ),
    Rule(
        "arrow",
        re.compile(r"\b(\w+)->(\w+)"),
        _arrow,
        ">",
    ),
    Rule(
        "identifier",
        re.compile(r"(?<![\w])(_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*)(?:\(\))?"),
        _identifier,
        "_",
    ),
    Rule(
        "dunder",
        re.compile(r"(?<![\w])_+([A-Za-z][A-Za-z0-9]*)_*(?:\(\))?"),
        lambda m: word(m.group(1)),
        "_",
    ),
    Rule(
        "call",
        re.compile(r"\b([A-Za-z]\w*)\(\)"),
        lambda m: _alnum(m.group(1)) if re.search(r"\d", m.group(1)) else word(m.group(1)),
        "(",
    ),
    Rule(
        "leading arrow",
        re.compile(r"(?<!\w)->\s?"),
        lambda m: "",
        ">",
    ),
    Rule(
        "dotted name",
        re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b(?=[\s,;:!?)]|\.(?:\s|$)|$)"),
        lambda m: (
            _dotted_name(m)
            if re.search(r"[a-z]\.[a-z]", m.group(0)) and not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", m.group(0))
            else m.group(0)
        ),
        ".",
    ),
]
