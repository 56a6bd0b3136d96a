"""URLs, e-mail addresses, domains, handles, hashtags, file names, paths, IP and MAC addresses,
command lines, hashes and names in code.

How they are read (the host reads what a listener could type, and summarises what nobody could):
- a URL or domain: the host ("example dot com"; the scheme and www are not said), then its path
  and a short query when every part is short and sayable ("slash docs slash install question
  mark page equals two"); otherwise "a link on example dot com" (the show notes have the rest);
- an e-mail address: "first dot last plus tag at mail dot co dot uk";
- a file name: its extension as developers say it ("main dot P Y", "photo dot jay peg");
- hex (IPv6, MAC, hashes): one character at a time, digits as words ("D B eight"), the
  separators said ("colon", "double colon");
- a command line: the program as its users say it, each flag's dashes said ("dash dash force
  with lease", "dash X Z F"); a dash is a flag only after a program name or another flag, as
  `--long` anywhere, or as `-x` named a flag or option, so hyphens and minus signs stay what
  they are elsewhere.
"""

from __future__ import annotations

import re

from . import vocab
from .context import _CONTEXT, _GUESSES, Rule
from .say import cardinal, digits, pairs, year
from .versions import _IP
from .words import _alnum, _name, _name_part, dictionary, lexicon_lookup, spell, word

_DIGITS = "0123456789"
_DATA = vocab.load("electronic")
_TLDS = "|".join(_DATA["tlds"])
EXTENSIONS: dict[str, str] = dict(_DATA["extensions"])
_EXTS = "|".join(sorted((re.escape(e) for e in EXTENSIONS), key=len, reverse=True))
_COMMANDS = "|".join(sorted((re.escape(c) for c in _DATA["commands"]), key=len, reverse=True))
_OCTAL = "|".join(_DATA["octal_modes"])
_PREPROCESSOR = frozenset(_DATA["preprocessor"])
_PROGRAMS: dict[str, str] = dict(_DATA["programs"])
_SPELLED_HUMPS = frozenset(_DATA["spelled_humps"])
_TLD_SAID: dict[str, str] = dict(_DATA["tld_said"])
_HOST_SUFFIX = re.compile(rf"(?:{'|'.join(_DATA['host_suffixes'])})$")
_DOTFILES = "|".join(sorted((re.escape(d) for d in _DATA["dotfiles"]), key=len, reverse=True))


def _host(host: str) -> str:
    """Each label as the same word would be read ('openssh': "open S S H"), a label the dictionary
    says letter by letter spelled ('bbc'), the top-level domain as people say it ("dot I O")."""
    dic = dictionary()
    *labels, tld = host.split(".")
    said = [spell(p) if p != "co" and dic.get(p.lower()) and p.isalpha() else _label(p) for p in labels]
    return " dot ".join([*said, _TLD_SAID.get(tld.lower()) or _word_parts(tld)])


def _label(label: str) -> str:
    """A host's label; a name no rule splits keeps a known last word apart ('okaforlab': "okafor lab")."""
    said = _word_parts(label)
    if said == label:
        tail = _HOST_SUFFIX.search(label)
        if tail and tail.start() >= 3:
            return f"{label[: tail.start()]} {tail.group(0)}"
    return said


def _word_parts(s: str) -> str:
    return " ".join(_alnum(p) for p in re.split(r"[-_]", s) if p)


def _letters_or_word(s: str) -> str:
    """A short piece of an address: a single letter is said as a capital ('a' -> 'A')."""
    return s.upper() if len(s) == 1 and s.isalpha() else _word_parts(s)


def _port(p: str) -> str:
    """Ports as people say them: 8080 'eighty eighty', 443 'four forty-three', 3000 'three thousand'."""
    n = int(p)
    if len(p) == 4 and n % 1000 and not p.startswith("0"):
        return pairs(p)
    return cardinal(p) if len(p) != 3 or n % 100 == 0 else pairs(p)


# ---- URLs and domains -------------------------------------------------------------------------

# A path segment or query value a listener could type: words (at most one inner capital), short numbers.
_SEGMENT = re.compile(r"(?!(?:\w*[a-z][A-Z]){2})[A-Za-z]+(?:[-_][A-Za-z0-9]+)*|\d{1,4}")
_QUERY = re.compile(r"([A-Za-z_]{1,12})=([A-Za-z]+(?:[-_][A-Za-z]+)*|\d{1,6})")


def _segment(seg: str) -> str | None:
    """A path segment said, or None when it is too long or too random to say."""
    if len(seg) > 24:
        return None
    if _SEGMENT.fullmatch(seg):
        return cardinal(seg) if seg.isdigit() else _letters_or_word(seg)
    if _FILE.fullmatch(seg):
        return _file(seg)
    return None


def _address(host: str, port: str, path: str, query: str, fragment: str) -> str:
    """Host, then path and query when all of it is sayable; else 'a link on' the host."""
    said = _host(host) + (f" colon {_port(port)}" if port else "")
    segments = [s for s in path.split("/") if s]
    spoken = [_segment(s) for s in segments]
    pairs_ = [_QUERY.fullmatch(q) for q in query.split("&") if q]
    if (
        len(segments) > 3
        or None in spoken
        or len(pairs_) > 2
        or None in pairs_
        or (fragment and (len(fragment) > 24 or not _SEGMENT.fullmatch(fragment)))
    ):
        return f"a link on {said}"  # long paths are for show notes, not for ears
    for s in spoken:
        said += f" slash {s}"
    if pairs_:
        said += " question mark " + " and ".join(
            f"{_letters_or_word(q.group(1))} equals "
            + (cardinal(q.group(2)) if q.group(2).isdigit() else _letters_or_word(q.group(2)))
            for q in pairs_
            if q
        )
    if fragment:
        said += f" hash {_letters_or_word(fragment)}"
    return said


_URL_PARTS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.I
)


def _url(m: re.Match) -> str:
    url = m.group(0).rstrip(".,;:!?)")
    tail = m.group(0)[len(url) :]
    parts = _URL_PARTS.fullmatch(url)
    if parts is None:
        return m.group(0)
    host, port, path, query, fragment = (g or "" for g in parts.groups())
    return _address(host, port, path, query, fragment) + tail


# ---- e-mail, handles, hashtags --------------------------------------------------------------


def _user(user: str) -> str:
    """An e-mail user: dots, plus signs and hyphens said ("openssh-unix-dev": a listener must type the
    dashes of a mailing list's name); an underscore stays silent, as people read "jane_doe" aloud."""
    return " dot ".join(
        " plus ".join(" dash ".join(_word_parts(h) for h in q.split("-") if h) for q in p.split("+"))
        for p in user.split(".")
    )


def _email(m: re.Match) -> str:
    return f"{_user(m.group(1))} at {_host(m.group(2))}"


def _hump(p: str) -> str:
    """One hump of a handle, as written: a two-letter capitalised hump that is no word is spelled
    ('Dr' in @DrAmakaO: "D R", not "Doctor": the listener types the letters)."""
    if p.isdigit():
        return pairs(p)
    if len(p) == 2 and p[0].isupper() and (dictionary().get(p.lower()) is not False or p in _SPELLED_HUMPS):
        return spell(p)
    return word(p)


def _humps(name: str) -> str:
    """A handle or hashtag: CamelCase humps and snake_case parts as words ('ThrowbackThursday')."""
    parts = re.findall(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|\d+", name)
    return " ".join(_hump(p) for p in parts)


def _handle(m: re.Match) -> str:
    return "at " + _humps(m.group(1))


def _hashtag(m: re.Match) -> str:
    tag = m.group(1)
    if tag.lower() in _PREPROCESSOR:
        return f"hash {tag}"
    return "hashtag " + _humps(tag)


# ---- files and paths ------------------------------------------------------------------------

_FILE = re.compile(rf"((?:[\w-]+\.)*[\w-]*)\.({_EXTS})", re.I)


def _stem(s: str) -> str:
    if not s:
        return ""
    hit = lexicon_lookup(s)
    if hit is not None:
        return hit
    low = s.lower()
    if low.endswith("rc") and low not in dictionary() and (low[:-2] in dictionary() or lexicon_lookup(low[:-2])):
        return f"{word(s[:-2])} R C"  # bashrc, vimrc, npmrc: a program's run commands
    return _word_parts(s)


def _file(name: str) -> str:
    """'main.py' -> 'main dot P Y', 'file.tar.gz' -> 'file dot tar dot G Z', '.bashrc' -> 'dot bash R C'."""
    pieces = name.split(".")
    out = []
    for i, p in enumerate(pieces):
        ext = EXTENSIONS.get(p.lower()) if i else None
        out.append(ext if ext is not None else _stem(p))
    return " dot ".join(out).strip()


def _file_name(m: re.Match) -> str:
    name, ext = m.group(1), m.group(2)
    if not name.strip("._-") and not m.group(0).startswith("."):
        return m.group(0)
    if len(ext) == 1 and (ext.isupper() or len(name) < 2):
        return m.group(0)  # 'U.S.A', 'e.g. a.c': not files
    if (ext.isupper() and len(ext) < 3) or not (ext.islower() or ext.isupper() or ext.isdigit()):
        return m.group(0)  # 'works.So': a missing space, not a file
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", m.group(0)):
        return m.group(0)
    return _file(m.group(0))


def _path(m: re.Match) -> str:
    lead, body = m.group(1), m.group(2).rstrip(".")  # a full stop after a path ends the sentence
    spoken = []
    for p in body.split("/"):
        if not p:
            continue
        p = p.rstrip("*")
        spoken.append(_file(p) if p else "star")
    head = {"~/": "home slash ", "./": "dot slash ", "../": "dot dot slash ", "/": "slash "}.get(lead, "")
    return head + " slash ".join(s for s in spoken if s)


def _windows_path(m: re.Match) -> str:
    body = m.group(2).rstrip(".")
    parts = [p for p in body.split("\\") if p]
    said = f"{m.group(1).upper()} colon backslash " + " backslash ".join(_file(p) for p in parts)
    return said + m.group(2)[len(body) :]


# ---- addresses --------------------------------------------------------------------------------


def _hex_chars(s: str) -> str:
    return " ".join(cardinal(c) if c.isdigit() else c.upper() for c in s)


def _ip(m: re.Match) -> str:
    said = " dot ".join(pairs(o) if len(o) == 3 else cardinal(o) for o in m.group(1).split("."))
    return said + (f" colon {_port(m.group(2))}" if m.group(2) else "")


def _ipv6(m: re.Match) -> str:
    text = m.group(0)
    if text.count("::") > 1 or ":::" in text:
        return text
    halves = text.split("::")
    groups = [g for h in halves for g in h.split(":") if g]
    if (len(halves) == 1 and len(groups) != 8) or len(groups) > 7 + (len(halves) == 1):
        return text
    if any(not re.fullmatch(r"[0-9A-Fa-f]{1,4}", g) for g in groups) or not re.search(r"\d", text):
        return text
    if len(halves) == 1 and all(g.isdigit() for g in groups):
        return text
    return " double colon ".join(" colon ".join(_hex_chars(g) for g in h.split(":") if g) for h in halves).strip()


def _mac(m: re.Match) -> str:
    sep = " colon " if ":" in m.group(0) else " dash "
    return sep.join(_hex_chars(g) for g in re.split(r"[:-]", m.group(0)))


def _host_port(m: re.Match) -> str:
    return f"{_host(m.group(1))} colon {_port(m.group(2))}"


# ---- command lines ----------------------------------------------------------------------------

# an argument never ends in a comma: "make olddefconfig, then ..." ends the command at the comma
_ARG = r"(?:[a-z0-9~/](?:[\w.~/:@+,=-]*[\w.~/:@+=-])?|\.\.?)"
_FLAG = r"--?[A-Za-z][\w-]*(?:=[\w.~/:@+,-]*[\w~/:@+-])?"
_COMMAND = re.compile(
    rf"(?<![\w./-])(?:sudo\s+)?(?:{_COMMANDS})(?:(?:\s+{_ARG}){{0,4}}\s+{_FLAG})+(?:\s+(?:\d+|\.\.?|/|~|\*)(?![\w./~*]))?"
    rf"|(?<![\w./-])(?:sudo\s+)?(?:{_OCTAL})\s+[0-7]{{3,4}}\b"
    rf"|(?<![\w./-])cd\s+(?:\.\.?|-|~)(?=[\s,;:)]|$)",
)


def flag(token: str) -> str:
    """'--force-with-lease' -> 'dash dash force with lease', '-xzf' -> 'dash X Z F', '-j4' -> 'dash J four',
    '-Wall' -> 'dash W all', '-name' -> 'dash name'."""
    name, _, value = token.partition("=")
    body = name.lstrip("-")
    dashes = "dash " * (len(name) - len(body))
    if len(name) - len(body) >= 2:
        said = " ".join(_alnum(p) if re.search(r"\d", p) else word(p) for p in re.split(r"[-_]", body) if p)
    elif len(body) >= 4 and body.isalpha() and body.islower() and body in dictionary():
        said = body
    elif re.fullmatch(r"[A-Z][a-z]{2,}", body):
        said = f"{body[0]} {word(body[1:])}"
    else:
        said = " ".join(cardinal(p) if p.isdigit() else spell(p) for p in re.findall(r"[A-Za-z]+|\d+", body))
    return (dashes + said + (f" equals {_arg(value)}" if value else "")).strip()


# Arguments that are one symbol: "rm -rf /" is "slash", not a raw "/".
_LONE = {".": "dot", "..": "dot dot", "/": "slash", "~": "home", "*": "star"}


def _arg(tok: str) -> str:
    """One argument on a command line, read as the same token would be in a sentence."""
    if tok in _LONE:
        return _LONE[tok]
    if tok.startswith("-"):
        return flag(tok)
    if tok in _PROGRAMS:
        return _PROGRAMS[tok]
    if len(tok) == 1 and tok.isalpha():
        return tok.upper()  # 'npm i': "N P M I"
    if tok.isdigit():
        return digits(tok) if tok.startswith("0") else (cardinal(tok) if len(tok) <= 3 else _port(tok))
    if "@" in tok:
        user, _, host = tok.partition("@")
        host, colon, rest = host.partition(":")  # scp's 'user@host:/path'
        said = f"{_user(user)} at {_host(host)}" if user else f"at {_word_parts(host)}"
        return said + (f" colon {_arg(rest)}" if colon and rest else "")
    m = re.fullmatch(r"(~/|\.\.?/|/)(.*)", tok)
    if m:
        return _path(m)
    if _FILE.fullmatch(tok):
        return _file(tok)
    if "/" in tok:
        return " slash ".join(_arg(p) for p in tok.split("/") if p)
    if ":" in tok:  # 'main:3f2a9c1' (a ref and a commit), 'host:port'
        return " colon ".join(_arg(p) for p in tok.split(":"))
    if re.fullmatch(r"(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{7,40}", tok):
        return _hex_chars(tok)  # a commit hash: "three F two A nine C one"
    return " ".join(word(p) if p.isalpha() else _alnum(p) for p in re.split(r"[-_.:,=+]", tok) if p)


def _command(m: re.Match) -> str:
    tokens = m.group(0).split()
    said = [_arg(tokens[0])]
    for tok in tokens[1:]:
        if tokens[0] in _DATA["octal_modes"] and re.fullmatch(r"[0-7]{3,4}", tok):
            said.append(digits(tok))
        else:
            said.append(_arg(tok))
    return " ".join(said)


def _code_span(m: re.Match) -> str:
    """`...` holding a flag: the flags are read as flags, the rest as it would be anyway."""
    from . import normalize  # the whole normalizer, for the span's other words

    inner = m.group(1)
    out, pos = [], 0
    for f in re.finditer(rf"(?<!\S){_FLAG}(?!\S)", inner):
        out += [normalize(inner[pos : f.start()], context=_CONTEXT.get(), guesses=_GUESSES.get()), flag(f.group(0))]
        pos = f.end()
    if not out:
        return m.group(0)
    out.append(normalize(inner[pos:], context=_CONTEXT.get(), guesses=_GUESSES.get()))
    return " ".join(o for o in out if o)


# ---- code ---------------------------------------------------------------------------------------


def _cve(m: re.Match) -> str:
    number_part = m.group(2)
    return f"C V E {year(m.group(1))} dash {pairs(number_part) if len(number_part) == 4 else digits(number_part)}"


def _hex(m: re.Match) -> str:
    return "hex " + _hex_chars(m.group(1))


def _commit(m: re.Match) -> str:
    sha = m.group(2)
    shown = sha if len(sha) <= 12 else sha[:7]
    return f"{m.group(1)} {_hex_chars(shown)}" + (" and so on" if len(sha) > 12 else "")


def _identifier(m: re.Match) -> str:
    """snake_case and SCREAMING_CASE names: words, digits spoken, call parentheses dropped."""
    hit = lexicon_lookup(m.group(1))
    if hit is not None:
        return hit
    parts = [p for p in m.group(1).split("_") if p]
    return " ".join(
        _alnum(p) if re.search(r"\d", p) else (_name_part(p) if p.isupper() and len(p) > 1 else word(p)) for p in parts
    )


def _dotted_name(m: re.Match) -> str:
    """module.function or struct.field: 'os.path' -> 'os dot path'."""
    return " dot ".join(_alnum(p) if re.search(r"\d", p) else word(p) for p in m.group(0).split("."))


def _arrow(m: re.Match) -> str:
    return f"{_name(m.group(1))} arrow {_name(m.group(2))}"


# port, path, query, fragment; a full stop after them ends the sentence, not the address
_DOMAIN_TAIL = (
    r"(?::(\d{2,5}))?((?:/(?:[\w~%+-]+(?:\.[\w~%+-]+)*)?)*)(?:\?([\w=&%+-]+(?:\.[\w=&%+-]+)*))?(?:#([\w-]+))?"
)


KEYS: dict[str, str] = dict(_DATA["keys"])
_MODIFIER = "Ctrl|Control|Cmd|Command|Alt|Shift|Option|Opt|Fn"
_KEY = "|".join(sorted(KEYS, key=len, reverse=True)) + r"|F\d{1,2}|[A-Z0-9]"


def _key(k: str) -> str:
    if k in KEYS:
        return KEYS[k]
    return f"F {cardinal(k[1:])}" if len(k) > 1 else (cardinal(k) if k.isdigit() else k)


def _shortcut(m: re.Match) -> str:
    """'Ctrl+C': control C; 'Cmd+Shift+P': command shift P; 'Ctrl-Alt-Delete': control alt delete."""
    return " ".join(_key(k) for k in re.split(r"\s?[+-]\s?", m.group(0)))


RULES: list[Rule] = [
    Rule(
        "shortcut",
        re.compile(rf"\b(?:{_MODIFIER})(?:\s?\+\s?|-)(?:(?:{_MODIFIER})(?:\s?\+\s?|-))*(?:{_KEY})\b(?![-+]\w)"),
        _shortcut,
        "+-",
    ),
    Rule(
        "url",
        re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.I),
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
        "code span",
        re.compile(r"`([^`\n]{1,200})`"),
        _code_span,
        "`",
    ),
    Rule(
        "command",
        _COMMAND,
        _command,
        "-0123456789.~",
    ),
    Rule(
        "flag",
        re.compile(
            r"(?<![\w-])--[a-z][\w-]*(?:=[\w.~/:@+,-]*[\w~/:@+-])?(?![\w-])"
            r"|(?<![\w-])-[A-Za-z][A-Za-z0-9]*(?=\s+(?:flags?|options?|switch(?:es)?|or\s+--)\b)"
        ),
        lambda m: flag(m.group(0)),
        "-",
    ),
    Rule(
        "bare domain",
        re.compile(r"(?<![\w@./-])((?:[a-z0-9-]+\.)+(?:" + _TLDS + r"))" + _DOMAIN_TAIL + r"(?![\w@/-]|\.\w)", re.I),
        lambda m: _address(*(g or "" for g in m.groups())),
        ".",
    ),
    Rule(
        "host port",
        re.compile(r"(?<![\w.])(localhost|[a-z][\w-]*(?:\.[\w-]+)+):(\d{2,5})\b"),
        _host_port,
        ":",
    ),
    Rule(
        "path",
        re.compile(r"(?<![\w/])(~/|\.\.?/|/)((?:[\w.*-]+/)*[\w.*-]+/?)(?=[\s,;:!?)\"']|\.(?:\s|$)|$)"),
        lambda m: _path(m) if (m.group(1) != "/" or m.group(2).count("/") >= 1) else m.group(0),
        "/",
    ),
    Rule(
        "windows path",
        re.compile(r"\b([A-Za-z]):\\((?:[\w.$-]+\\)*[\w.$-]*)"),
        _windows_path,
        "\\",
    ),
    Rule(
        "file name",
        re.compile(rf"(?<![\w./@-])(\.?(?:[\w-]+\.)*[\w-]*)\.({_EXTS})(?![\w-]|\.\w)", re.I),
        _file_name,
        ".",
    ),
    Rule(
        "dotfile",
        re.compile(rf"(?<![\w./@-])\.({_DOTFILES})(?![\w-]|\.\w)"),
        lambda m: f"dot {_stem(m.group(1))}",
        ".",
    ),
    Rule(
        "handle",
        re.compile(r"(?<![\w.@])@([A-Za-z_]\w{0,30})\b"),
        _handle,
        "@",
    ),
    Rule(
        "hashtag",
        re.compile(r"(?<![\w&#/])#(\d{0,4}[A-Za-z]{3,}\w{0,60}|[A-Za-z]\w{0,60})\b"),
        _hashtag,
        "#",
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
        "ipv6",
        re.compile(r"(?<![\w:])[0-9A-Fa-f:]{3,39}(?![\w:])"),
        _ipv6,
        ":",
    ),
    Rule(
        "mac address",
        re.compile(r"(?<![\w:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])"),
        _mac,
        ":-",
    ),
    Rule(
        "ip address",
        re.compile(r"(?<![\w.])(" + _IP.pattern + r")(?::(\d{2,5})\b)?(?![\w.]*\d)"),
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
