"""The layering of ARCHITECTURE.md, enforced: imports point down, the command layer
reaches the pipeline through _stages.py and _facade.py (never into synthesis, sound or
the stage bodies), and there are no import cycles, not even inside functions."""

import ast
from pathlib import Path

import pytest

import pipeline

ROOT = Path(pipeline.__file__).parent
# Lowest first.  A module may import its own layer and the layers below it.
LAYERS = [
    (
        "core",
        (
            "pipeline",
            "pipeline.__init__",
            "pipeline.errors",
            "pipeline._config",
            "pipeline._showmeta",
            "pipeline._clock",
            "pipeline._notes",
            "pipeline._fsutil",
            "pipeline._tomlfile",
            "pipeline._inputs",
        ),
    ),
    ("parse", ("pipeline.parse",)),
    ("text", ("pipeline.text",)),
    ("sound", ("pipeline.sound",)),
    ("synthesis", ("pipeline.synthesis",)),
    ("verify", ("pipeline.verify",)),
    ("publish", ("pipeline.publish",)),
    ("show", ("pipeline.show",)),
    (
        "stages",
        (
            "pipeline._stages",
            "pipeline._options",
            "pipeline._bodies",
            "pipeline._preflight",
            "pipeline._previews",
            "pipeline._heard",
            "pipeline._digest",
            "pipeline._facade",
        ),
    ),
    ("app", ("pipeline.app", "pipeline.__main__")),
]
# The command layer talks to the pipeline through _stages.py and _facade.py, not into these ...
NOT_FROM_COMMANDS = (
    "pipeline.synthesis",
    "pipeline.sound",
    "pipeline._bodies",
    "pipeline._preflight",
    "pipeline._previews",
    "pipeline._heard",
)
# ... except where ARCHITECTURE.md says why not (rule 2).
EXEMPT = {"pipeline.app._doctor": "inspects the installation: engines, voices, the cache, ffmpeg"}


def modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = ("pipeline", *path.relative_to(ROOT).with_suffix("").parts)
        name = ".".join(parts[:-1]) if parts[-1] == "__init__" else ".".join(parts)
        out[name] = path
    return out


def layer(name: str) -> int:
    best, rank = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank is not None, f"{name} is in no layer of ARCHITECTURE.md"
    return rank


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every pipeline module this one imports, at the top or inside a function (imports
    for type checkers only are not counts)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.split(".")[0] == "pipeline")
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.split(".")[0] != "pipeline":
                    continue
                subs = {f"{target}.{a.name}" for a in child.names} & known
                found.update(subs or {target})
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def test_every_module_is_in_a_layer(graph):
    for name in graph:
        layer(name)


def test_imports_point_down(graph):
    upward = [
        f"{a} ({LAYERS[layer(a)][0]}) imports {b} ({LAYERS[layer(b)][0]})"
        for a, deps in graph.items()
        for b in deps
        if b in graph and layer(b) > layer(a)
    ]
    assert not upward, "\n".join(upward)


def test_verify_sits_between_synthesis_and_publishing(graph):
    """The listening check re-synthesizes (so it is above synthesis and sound) and publishing
    packages what it found (so it is below publish): it imports nothing from publish, show,
    the stages or the commands."""
    assert layer("pipeline.synthesis") < layer("pipeline.verify") < layer("pipeline.publish")
    above = ("pipeline.publish", "pipeline.show", "pipeline.app", *LAYERS[-2][1])
    reach = [
        f"{a} imports {b}"
        for a, deps in graph.items()
        if a.startswith("pipeline.verify")
        for b in deps
        if any(b == p or b.startswith(p + ".") for p in above)
    ]
    assert not reach, "\n".join(reach)
    assert any(
        b.startswith("pipeline.verify") for a, deps in graph.items() if a.startswith("pipeline.publish") for b in deps
    )


def test_the_command_layer_goes_through_the_stages(graph):
    """Every app/ module but the exempt ones reaches the lower layers through the stages only."""
    commands = [m for m in graph if m.startswith("pipeline.app.") and m not in EXEMPT]
    assert {"pipeline.app.cli", "pipeline.app._batch", "pipeline.app._check"} <= set(commands)
    reach = [
        f"{a} imports {b}"
        for a in commands
        for b in graph[a]
        if any(b == p or b.startswith(p + ".") for p in NOT_FROM_COMMANDS)
    ]
    assert not reach, "\n".join(reach)


def test_the_exemptions_are_written_down():
    rules = (ROOT.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for module in EXEMPT:
        assert f"`app/{module.rsplit('.', 1)[1]}`" in rules.split("Layering")[1], module


def test_stage_lists_are_assembled_in_stages_py_only():
    """Stages are built and listed in _stages.py only: no other module calls a stage's constructor."""
    found = []
    for name, path in modules().items():
        if name == "pipeline._stages":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                fn = node.func
                called = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                if called in ("Stage", "parse_stage", "voices_stage", "spoken_stage"):
                    found.append(f"{name}:{node.lineno} calls {called}")
    assert not found, "\n".join(found)


def test_no_import_cycles(graph):
    state: dict[str, int] = {}
    cycles = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if dep not in graph or dep.startswith(node + "."):  # a package importing its own modules
                continue
            if node.startswith(dep + "."):  # a module importing its own package's __init__
                continue
            if state.get(dep) == 1:
                cycles.append(" -> ".join([*trail[trail.index(dep) :], dep]))
            elif dep not in state:
                walk(dep, [*trail, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert not cycles, "\n".join(cycles)


PUBLIC = {"pipeline", "pipeline.__init__", "pipeline.__main__", "pipeline.errors", "pipeline.app", "pipeline.app.cli"}


def test_internal_modules_at_the_top_and_in_app_are_named_as_such():
    """Rule 6: at the package's top and in `app/`, a module is public (the API's errors, the
    command, `python -m pipeline`) or starts with an underscore; packages are the rooms."""
    unmarked = [
        name
        for name, path in modules().items()
        if path.name != "__init__.py" and (name.count(".") == 1 or name.startswith("pipeline.app."))
        if name not in PUBLIC and not name.rsplit(".", 1)[1].startswith("_")
    ]
    assert not unmarked, unmarked
    assert "pipeline._stages" in modules()  # the rule reads the real package
