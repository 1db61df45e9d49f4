"""The shape of the data layer: floors that import downward only, no import cycle, MkDocs only in the hook
entry, registries agree with the schemas."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path

import pytest

from jiangxin.records import catalogue
from jiangxin.records.model import Site
from jiangxin.records.registry import GROUPS, KINDS, PILLARS

PACKAGE = Path(__file__).resolve().parents[2] / "hooks" / "jiangxin"


# The floors of the package (see the README's layout): what each subpackage may import of the
# package besides itself. Downward only; `content` (the loader) and `site` (the builders) never
# import each other, the validated model is the hand-off; the ledger is a side wing beside them.
BASE = frozenset({"problems", "text"})
FLOORS: dict[str, frozenset[str]] = {
    "problems": frozenset(),
    "text": frozenset(),
    "records": BASE,
    "checks": BASE | {"records"},
    "content": BASE | {"records", "checks"},
    "site": BASE | {"records", "checks"},
    "ledger": BASE | {"records", "checks", "content"},
    "engine": BASE | {"records", "checks", "content", "site"},
    "release": BASE | {"records", "checks", "content", "site", "engine"},
}
# The MkDocs adapter: MkDocs objects in, the engine's calls, PluginError out.
HOOK_MAY_IMPORT = frozenset({"engine", "problems"})


def _floor(package: Path, path: Path) -> str:
    """The floor a module of the package lives on: its subpackage, or its own name at the top."""
    rel = path.relative_to(package)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _module(package: Path, path: Path) -> str:
    rel = path.relative_to(package).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join((package.name, *parts))


def imported(package: Path, path: Path) -> set[str]:
    """The package's names that `path` imports, dotted (at any depth in the file, so hidden imports count)."""
    here: list[str] = []  # the hook entry is a top-level module
    if path.is_relative_to(package):
        here = _module(package, path).split(".")[: None if path.name == "__init__.py" else -1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(here[: len(here) - node.level + 1]) if node.level else ""
            module = ".".join(filter(None, (base, node.module or "")))
            if module == "jiangxin" or module.startswith("jiangxin."):
                # `from jiangxin.site import rendering` imports the module jiangxin.site.rendering.
                found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("jiangxin"))
    return found


def violations(package: Path, hook: Path | None = None) -> list[str]:
    """Every import that goes up a floor, or sideways between floors that must not know each other."""
    found = []
    for path in sorted(package.rglob("*.py")):
        floor = _floor(package, path)
        if floor not in FLOORS and floor != "__init__":
            found.append(f"{path.relative_to(package)}: on no floor (add it to FLOORS)")
            continue
        for name in sorted(imported(package, path)):
            target = name.split(".")[1]
            if floor != "__init__" and target != floor and target not in FLOORS[floor]:
                found.append(f"{path.relative_to(package).as_posix()}: {floor} imports {name}")
    if hook is not None:
        for name in sorted(imported(package, hook)):
            if name.split(".")[1] not in HOOK_MAY_IMPORT:
                found.append(f"{hook.name}: the hook imports {name}")
    return found


def test_imports_run_downward_only():
    assert violations(PACKAGE, PACKAGE.parent / "jiangxin_hooks.py") == []


def test_the_floor_rule_sees_an_upward_import(tmp_path):
    # Planted: the builders imported by the model, the loader (relatively, inside a function) by a builder.
    package = tmp_path / "jiangxin"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    assert violations(package) == []
    with (package / "records" / "model.py").open("a", encoding="utf-8") as f:
        f.write("\nfrom jiangxin.site import rendering\n")
    with (package / "site" / "profiles.py").open("a", encoding="utf-8") as f:
        f.write("\n\ndef late():\n    from ..content import loader\n")
    assert violations(package) == [
        "records/model.py: records imports jiangxin.site.rendering",
        "site/profiles.py: site imports jiangxin.content.loader",
    ]


def graph() -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    modules = {_module(PACKAGE, p) for p in PACKAGE.rglob("*.py")}
    edges = {}
    for path in PACKAGE.rglob("*.py"):
        # `from jiangxin.site import rendering` names a module; `from jiangxin.site.rendering import Page` a name in one.
        targets = {t if t in modules else t.rpartition(".")[0] for t in imported(PACKAGE, path)}
        edges[_module(PACKAGE, path)] = {t for t in targets if t in modules} - {_module(PACKAGE, path)}
    return edges


def test_the_data_layer_has_no_import_cycle():
    edges = graph()
    assert len(edges) > 40 and "jiangxin.site.profiles" in edges["jiangxin.site.sitegen"], edges
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " → ".join((*trail[trail.index(module) :], module))
        if module in done:
            return
        for target in sorted(edges.get(module, ())):
            visit(target, (*trail, module))
        done.add(module)

    for module in edges:
        visit(module, ())


BENCHMARK_MODULES = ("benchmarks", "bench", "bench_browser", "bench_paint", "synth")


def test_benchmarks_are_imported_by_nothing():
    root = PACKAGE.parents[1]
    for path in [*root.glob("tests/**/*.py"), *root.glob("scripts/*.py"), *PACKAGE.rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.split(".")[0] in BENCHMARK_MODULES], path


def test_scripts_are_commands_that_leave_the_import_path_to_their_bootstrap():
    scripts = PACKAGE.parents[1] / "scripts"
    assert not list(scripts.glob("bench*.py")) and not (scripts / "synth.py").exists()  # benchmarks/, tests/support/
    for path in sorted(scripts.glob("*.py")):
        if path.name != "_project.py":
            assert "sys.path" not in path.read_text(encoding="utf-8"), path.name
    assert "sys.path" not in (scripts / "cms.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_hook_entry_imports_mkdocs(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n == "mkdocs" or n.startswith("mkdocs.")], path.name


def test_every_record_kind_has_a_schema_and_a_place_in_the_site():
    # The record folders first, then what the loader makes of the content's images (jiangxin.content.photos).
    site_fields = [f.name for f in dataclasses.fields(Site)]
    assert [k.folder for k in KINDS] + ["photos", "page_images"] == site_fields
    for kind in KINDS:
        schema, doc = catalogue.top(kind.key)
        assert doc == f"{kind.key}.schema.json" and schema.get("type") == "object"
        assert kind.title_field in schema["properties"], kind.key
    assert len({k.parent_key for k in KINDS}) == len(KINDS)


def test_pillars_are_the_studio_lists_and_the_report_groups():
    studio = catalogue.top("studio")[0]["properties"]
    for pillar in PILLARS:
        assert pillar.key in studio, pillar.key
        entry = catalogue.items(next(f for f in catalogue.fields("studio") if f.path == (pillar.key,)))
        names = {f.name for f in catalogue.properties(entry.schema, entry.doc)}
        assert pillar.name_field in names and set(pillar.quantity_keys) <= names, pillar.key
    # The report's groups are the studios, then the pillars, and give the pillars their names.
    assert list(GROUPS) == ["studios", *(p.key for p in PILLARS)]
    assert all(p.label == GROUPS[p.key] for p in PILLARS)
