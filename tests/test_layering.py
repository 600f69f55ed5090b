"""The layers import one way: the CLI uses everything and nothing uses the CLI; the conversation
layer and the core import no adapter; no adapter imports another; no circle among them."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "bot"


def _modules() -> dict[str, pathlib.Path]:
    mods = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    return mods


def _imports() -> dict[str, set[str]]:
    """Every bot module a module imports, at the top or inside a function."""
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found.update(t for t in targets if t in mods and t != name)
        graph[name] = found
    return graph


def _layer(module: str) -> str:
    if module == "bot.__main__":  # `python -m bot` is the CLI
        return "bot.cli"
    for prefix in ("bot.cli", "bot.adapters.slack", "bot.adapters.teams", "bot.adapters.terminal", "bot.conversation"):
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    return "core"


def test_nothing_outside_the_cli_imports_it():
    offenders = [(m, t) for m, targets in _imports().items() for t in targets
                 if _layer(t) == "bot.cli" and _layer(m) != "bot.cli"]
    assert offenders == []


def test_the_conversation_layer_and_the_core_import_no_adapter():
    offenders = [(m, t) for m, targets in _imports().items() for t in targets
                 if _layer(m) in ("core", "bot.conversation") and _layer(t).startswith("bot.adapters")]
    assert offenders == []


def test_no_adapter_imports_another():
    offenders = [(m, t) for m, targets in _imports().items() for t in targets
                 if _layer(m).startswith("bot.adapters") and _layer(t).startswith("bot.adapters")
                 and _layer(m) != _layer(t)]
    assert offenders == []


def test_no_circle_between_layers():
    """Layer A importing B and B importing A (directly or round about) is a circle."""
    edges: dict[str, set[str]] = {}
    for module, targets in _imports().items():
        for target in targets:
            if _layer(module) != _layer(target):
                edges.setdefault(_layer(module), set()).add(_layer(target))

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(layer for layer in edges if reaches(layer, layer, {layer}))
    assert circles == []
