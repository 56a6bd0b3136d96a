"""Bring Kokoro's English styles into the package, from the npm package kokoro-js (Apache-2.0,
by Kokoro's author), and record where they came from: pipeline/data/kokoro/styles.json.

The package carries the styles its voice files use (pipeline/data/voices/*.toml with
engine = "kokoro"), so a wheel and a clone have them with nothing fetched at run time; this
script is how they got there, and how to check or refresh them:

    python scripts/kokoro_styles.py            # fetch kokoro-js with `npm pack`, copy, record
    python scripts/kokoro_styles.py --check    # the shipped files match the record
    python scripts/kokoro_styles.py --from DIR # an unpacked kokoro-js (its voices/ folder)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "pipeline" / "data" / "kokoro"
VOICES = ROOT / "pipeline" / "data" / "voices"
PACKAGE = "kokoro-js@1.2.1"


def used_styles() -> list[str]:
    """The styles the shipped Kokoro voice files name (blends included)."""
    names: set[str] = set()
    for path in sorted(VOICES.glob("*.toml")):
        voice = tomllib.loads(path.read_text(encoding="utf-8"))
        if voice.get("engine") == "kokoro":
            for term in str(voice["model"]).split("+"):
                names.add(term.split("(")[0].strip())
    return sorted(names)


def fetch(into: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=into, check=True, stdout=subprocess.DEVNULL)
    (tgz,) = into.glob("kokoro-js-*.tgz")
    with tarfile.open(tgz) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def record(sums: dict[str, str]) -> dict:
    return {
        "source": f"npm {PACKAGE}, voices/ (style tables, 510 x 256 float32, little-endian)",
        "license": "Apache-2.0 (Kokoro-82M and its voices by hexgrad; LICENSE beside this file)",
        "vocab": "vocab.json: Kokoro-82M's phoneme vocabulary (config.json of hexgrad/Kokoro-82M)",
        "sha256": sums,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare the shipped files with styles.json")
    parser.add_argument("--from", dest="source", type=Path, help="an unpacked kokoro-js package")
    args = parser.parse_args()
    names = used_styles()
    if args.check:
        sums = json.loads((DATA / "styles.json").read_text())["sha256"]
        shipped = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (DATA / "voices").glob("*.bin")}
        wanted = {f"{n}.bin" for n in names}
        bad = sorted(n for n in shipped if sums.get(n) != shipped[n]) + sorted(wanted - set(shipped))
        print("ok" if not bad and set(shipped) == wanted else f"differs: {bad or sorted(set(shipped) ^ wanted)}")
        return 1 if bad or set(shipped) != wanted else 0
    with tempfile.TemporaryDirectory() as tmp:
        package = args.source or fetch(Path(tmp))
        (DATA / "voices").mkdir(parents=True, exist_ok=True)
        for old in (DATA / "voices").glob("*.bin"):
            if old.stem not in names:
                old.unlink()
        sums = {}
        for name in names:
            src = package / "voices" / f"{name}.bin"
            shutil.copyfile(src, DATA / "voices" / src.name)
            sums[src.name] = hashlib.sha256(src.read_bytes()).hexdigest()
        shutil.copyfile(package / "LICENSE", DATA / "LICENSE")
    (DATA / "styles.json").write_text(json.dumps(record(sums), indent=2) + "\n", encoding="utf-8")
    print(f"{len(names)} styles from {PACKAGE}: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
