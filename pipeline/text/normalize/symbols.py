"""Symbols and math: equations, powers, comparisons, ratios, operators, slashes, dashes and brackets."""

from __future__ import annotations

import re

from . import vocab
from .context import Rule
from .say import number, power
from .words import dictionary, word

_DATA = vocab.load("symbols")
SYMBOLS: dict[str, str] = dict(_DATA["symbols"])
_OPERATORS: dict[str, str] = dict(_DATA["operators"])
_RELATIONS: dict[str, str] = dict(_DATA["relations"])
_PREFIXES: dict[str, str] = dict(_DATA["prefixes"])
_ASPECT = frozenset(_DATA["ratios"]["aspect"])
_MAYBE_ASPECT = frozenset(_DATA["ratios"]["maybe_aspect"])
_PICTURE = re.compile(r"\b(?:" + "|".join(_DATA["ratios"]["picture_words"]) + r")", re.I)

# Greek letters standing for a quantity (ΔT, λ, σ): said by name.
GREEK: dict[str, str] = dict(_DATA["greek"])
SYMBOLS.update({k: f" {v} " for k, v in GREEK.items() if k not in SYMBOLS})
_GREEK = "".join(GREEK)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# An exponent: ^16, ^-6, ^n, or superscript digits (², ⁻⁹).
_POW = r"(?:\^[-−]?(?:\d+|[A-Za-z])|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
_NUM_ATOM = r"\d+(?:\.\d+)?" + _POW + "?"
_LETTER_ATOM = r"[A-Za-z" + _GREEK + r"]" + _POW + "?"
# A term: a number, a letter or two, or a coefficient and letters (2x, mc², 3x^2).
_TERM = r"[-−]?(?:" + _NUM_ATOM + r"(?:" + _LETTER_ATOM + r"){0,2}|(?:" + _LETTER_ATOM + r"){1,2})"
_OP = r"\s*[-−+*×÷/]\s*"
_REL = r"\s*(?:==|!=|<=|>=|[=<>≤≥≠≈])\s*"
_EXPR = _TERM + r"(?:" + _OP + _TERM + r")*"
_TOKEN = re.compile(r"(\d+(?:\.\d+)?|[A-Za-z" + _GREEK + r"])(" + _POW + r")?|(==|!=|<=|>=|[=<>≤≥≠≈])|([-−+*×÷/])")
_SAY_OP = {"+": "plus", "-": "minus", "−": "minus", "*": "times", "×": "times", "÷": "divided by", "/": "divided by"}


def _atom(base: str, exp: str | None) -> str:
    said = number(base) if base[0].isdigit() else GREEK.get(base, base)
    if not exp:
        return said
    return power(said, exp.lstrip("^").translate(_SUPERSCRIPT))


def _equation(m: re.Match) -> str:
    """'1-2=5': 'one minus two equals five'; 'y = 2x + 1': 'y equals two x plus one'."""
    words: list[str] = []
    operand = False  # the last token was an operand: a minus after it is binary
    text = m.group(0)[: m.start(1) - m.start()].rstrip(" °") if m.group(1) else m.group(0)
    for t in _TOKEN.finditer(text):
        base, exp, rel, op = t.groups()
        if base:
            # a capital and a letter glued ("Kb", "ΔT" aside) are initials: "K B"
            glued = base.isalpha() and base not in GREEK and text[t.start() - 1 : t.start()].isalpha()
            lead = t.start() > 0 and text[t.start() - 1] in GREEK
            if glued and not lead and text[t.start() - 1].isupper():
                base = base.upper()
            words.append(_atom(base, exp))
            operand = True
        elif rel:
            words.append(_RELATIONS[rel])
            operand = False
        else:
            words.append(_SAY_OP[op] if operand or op not in "-−" else "minus")
            operand = False
    scale = {"C": " degrees Celsius", "F": " degrees Fahrenheit", "K": " kelvin"}.get(m.group(1) or "", "")
    return " ".join(words) + scale


def _balanced(text: str) -> bool:
    """A relation spaced on both sides or on neither: 'it ≤5' is prose and a bound ("at most five")."""
    rels = list(re.finditer(r"(\s*)(?:==|!=|<=|>=|[=<>≤≥≠≈])(\s*)", text))
    return bool(rels) and all(bool(r.group(1)) == bool(r.group(2)) for r in rels)


def _between_letters(m: re.Match) -> bool:
    """'x - y', 'a + b': an operator between two lone letters is arithmetic."""
    return bool(
        m.group(1) in "-−+"
        and re.search(r"(?:^|[^\w])[A-Za-z]$", m.string[: m.start()])
        and re.match(r"[A-Za-z](?!\w)", m.string[m.end() :])
    )


def _power(m: re.Match) -> str:
    return _atom(m.group(1), m.group(2))


def _ratio(m: re.Match) -> str:
    written = f"{m.group(1)}:{m.group(2)}"
    picture = written in _ASPECT or (written in _MAYBE_ASPECT and _PICTURE.search(m.string))
    return f"{number(m.group(1))} {'by' if picture else 'to'} {number(m.group(2))}"


def _colon_chain(m: re.Match) -> str:
    """'a 1:5:5 ratio': 'one to five to five'; 'MaxStartups 10:30:100' (no time): 'ten colon thirty
    colon one hundred'."""
    parts = m.group(0).split(":")
    ratio = _RATIO_CUE.search(m.string) or all(len(p) == 1 for p in parts)
    return f" {'to' if ratio else 'colon'} ".join(number(p) for p in parts)


_RATIO_CUE = re.compile(r"\b(?:ratios?|mix(?:ed|ture)?|parts|proportions?|blend)\b", re.I)


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


# Marks read as a reader hears them, before any rule: a generic's angle brackets (`Vec<u8>`:
# "Vec of u8", `HashMap<K, Vec<u8>>`: "HashMap of K, Vec of u8"), a key or placeholder in angle
# brackets (`<Enter>`, `<your-name>`: the word), and emphasis marks around words in plain text
# (`*really*`, `_this_`, `` `make` ``: the words).  The words inside are read by the rules after.
_ITEM = r"(?:(?:dyn|impl|mut|const) )?[\w.:&'*\[\]]+(?: of [\w.:&'*\[\]]+)*"
_GENERIC = re.compile(r"(?<=[A-Za-z0-9_])<(" + _ITEM + r"(?:, ?" + _ITEM + r")*)>(?![\w<])")
_ANGLED = re.compile(r"(?<![\w<])<([A-Za-z][\w.+-]*(?: [A-Za-z][\w.+-]*){0,3})>(?![\w>])")
_EMPHASIS = re.compile(r"(?<![\w*_`])([*_`]{1,2})(?=[^\s*_`])([^*_`\n]{1,200}?)(?<=[^\s*_`])\1(?![\w*_`])")
_NESTING = 4  # generics inside generics, read from the innermost: deeper ones keep their brackets


def paired_marks(text: str) -> str:
    """`text` with paired marks made words (see above); time linear in its length."""
    if "<" in text:
        for _ in range(_NESTING):
            text, n = _GENERIC.subn(lambda m: " of " + m.group(1), text)
            if not n:
                break
        text = _ANGLED.sub(lambda m: m.group(1), text)
    if any(c in text for c in "*_`"):
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return text


# Marks said by name where no rule read them as part of something (a path, an identifier, a
# power, an override): "C | D" is "C pipe D".
_MARKS = {"|": "pipe", "||": "or", "\\": "backslash", "_": "underscore", "`": "backtick", "^": "caret"}


def _brace(m: re.Match) -> str:
    """A brace of a pair groups its words and is not said (`{ T }`); one without its partner
    in the text is said ("open brace", "close brace")."""
    text, at = m.string, m.start()
    if m.group(0) == "{":
        close, reopen = text.find("}", at + 1), text.find("{", at + 1)
        paired = close != -1 and (reopen == -1 or close < reopen)
    else:
        opened, closed = text.rfind("{", 0, at), text.rfind("}", 0, at)
        paired = opened != -1 and opened > closed
    return " " if paired else (" open brace " if m.group(0) == "{" else " close brace ")


def _operator(m: re.Match) -> str:
    return f" {_OPERATORS[m.group(1)]} "


RULES: list[Rule] = [
    Rule(
        "equation",
        # a temperature ends it with its scale: "ΔT ≈ 0.17 °C"
        re.compile(r"(?<![\w.^/])" + _EXPR + r"(?:" + _REL + _EXPR + r")+(?:(?<=\d)\s?°\s?([CFK])\b|(?![\w^/°]|\.\d))"),
        lambda m: _equation(m) if _balanced(m.group(0)) else m.group(0),
        "=<>≤≥≠≈",
    ),
    Rule(
        "power",
        re.compile(r"(?<![\w^.])(\d+(?:\.\d+)?|[A-Za-z" + _GREEK + r"])(\^[-−]?(?:\d+|[A-Za-z]))(?![\w^]|\.\d)"),
        _power,
        "^",
    ),
    Rule(
        "spaced power",  # 'x ^ y', '2 ^ 10': a caret between two numbers or single letters
        re.compile(r"(?<![\w.^])(\d+(?:\.\d+)?|[A-Za-z])\s+\^\s+(\d+(?:\.\d+)?|[A-Za-z])(?![\w^]|\.\d)"),
        lambda m: f"{_atom(m.group(1), None)} to the power of {_atom(m.group(2), None)}",
        "^",
    ),
    Rule(
        "prefix symbol",
        re.compile(r"(?:(?<=[\s(\[])|^)([<>≤≥≈~±])(?=[$€£¥]?\.?\d)"),
        lambda m: _PREFIXES[m.group(1)] + " ",
        "<>≤≥≈~±",
    ),
    Rule(
        "ratio",
        re.compile(r"(?<![\w:.])(\d{1,2}(?:\.\d\d?)?):(\d{1,2})(?![\w:]|\.\d)"),
        _ratio,
        ":",
    ),
    Rule(
        "colon chain",
        re.compile(r"(?<![\w:.])\d+(?::\d+){2,}(?![\w:]|\.\d)"),
        _colon_chain,
        ":",
    ),
    Rule(
        "arrow symbol",
        re.compile(r"(?<=\s)(?:->|→|=>)(?=\s)"),
        lambda m: "to",
        "->→",
    ),
    Rule(
        "superscript",
        re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|[A-Za-z" + _GREEK + r"])([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"),
        _power,
        "⁰¹²³⁴⁵⁶⁷⁸⁹",
    ),
    Rule(
        "sharp",
        re.compile(r"(?<![\w#])([A-G])#(?![\w#])"),
        lambda m: f"{m.group(1)} sharp",
        "#",
    ),
    Rule(
        "formula",
        re.compile(
            r"(?<![\w.])(\d+(?:\.\d+)?|[A-Za-z])\s*(==|!=|<=|>=|[*×÷−])\s*(?=(?:\d+(?:\.\d+)?|[A-Za-z])(?!\w|\.\d))"
        ),
        lambda m: f"{number(m.group(1)) if m.group(1)[0].isdigit() else m.group(1)} {_OPERATORS[m.group(2)]} ",
        "=*×÷−<>!",
    ),
    Rule(
        "comparison",
        re.compile(r"(?<=\w)\s+([<>]|[-−/+]|=)\s+(?=\w)"),
        lambda m: (
            _operator(m) if re.search(r"=|\d\s*[<>]\s*\d|[<>]\s*\d", m.string) or _between_letters(m) else m.group(0)
        ),
        "<>-−/+=",
    ),
    Rule(
        "and/or",
        re.compile(r"\band/or\b"),
        lambda m: "and or",
        "/",
    ),
    Rule(
        "alternatives",
        re.compile(r"(?<![\w/])([A-Za-z]+)/([A-Za-z]+)(?![\w/])"),
        _alternatives,
        "/",
    ),
    Rule(
        "slash",
        re.compile(r"/(?:(?<=\w/)|(?=\w))"),
        lambda m: " slash ",
        "/",
    ),
    Rule(
        "star",
        re.compile(r"\*"),  # paired emphasis marks are gone (paired_marks); any other is said
        lambda m: " star ",
        "*",
    ),
    Rule(
        "tilde",
        re.compile(r"~\s*"),
        lambda m: "about ",
        "~",
    ),
    Rule(
        "copyright",
        re.compile(r"(?:\b[Cc]opyright\s*)?©"),  # "Copyright © 2024": said once
        lambda m: " Copyright " if m.group(0).startswith("C") else " copyright ",
        "©",
    ),
    Rule(
        "trademark",
        re.compile(r"[®™℠]"),
        lambda m: " ",  # a brand's mark is seen, not said: "Brand® and Thing™" is "Brand and Thing"
        "®™℠",
    ),
    Rule(
        "lone mark",
        re.compile(r"\|\||[|\\_`^]"),
        lambda m: f" {_MARKS[m.group(0)]} ",
        "|\\_`^",
    ),
    Rule(
        "symbols",
        re.compile("|".join(map(re.escape, sorted(SYMBOLS, key=len, reverse=True)))),
        lambda m: SYMBOLS[m.group(0)],
        "".join(set("".join(SYMBOLS))),
    ),
    Rule(
        "dash",
        re.compile(r"[–—]\s*|(?<=\s)--\s+"),  # "go -- no": two hyphens typed for a dash
        lambda m: ", ",
        "–—-",
    ),
    Rule(
        "brackets",
        re.compile(r"\s*[(\[]\s*|\s*[)\]]\s*"),
        lambda m: ", ",
        "()[]",
    ),
    Rule(
        "braces",
        re.compile(r"[{}]"),
        _brace,
        "{}",
    ),
]
