"""The shape of the data layer: no import cycle, MkDocs only in the hook entry, registries agree with the schemas."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from jiangxin import recordschema
from jiangxin.model import Site
from jiangxin.registry import GROUPS, KINDS, PILLARS

PACKAGE = Path(__file__).resolve().parents[1] / "hooks" / "jiangxin"


def imports() -> dict[str, set[str]]:
    """Module → the package's modules it imports (at any depth in the file, so hidden imports count)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jiangxin"):
                found.add((node.module or "").split(".")[1] if "." in (node.module or "") else "")
        graph[path.stem] = found - {"", path.stem}
    return graph


def test_the_data_layer_has_no_import_cycle():
    graph = imports()
    assert len(graph) > 20 and graph["sitegen"] >= {"profiles", "exports"}, graph  # the walk sees the imports
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " → ".join((*trail[trail.index(module) :], module))
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_only_the_hook_entry_imports_mkdocs(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n == "mkdocs" or n.startswith("mkdocs.")], path.name


def test_every_record_kind_has_a_schema_and_a_place_in_the_site():
    # The record folders first, then what the loader makes of the content's images (jiangxin.photos).
    site_fields = [f.name for f in dataclasses.fields(Site)]
    assert [k.folder for k in KINDS] + ["photos", "page_images"] == site_fields
    for kind in KINDS:
        schema, doc = recordschema.top(kind.key)
        assert doc == f"{kind.key}.schema.json" and schema.get("type") == "object"
        assert kind.title_field in schema["properties"], kind.key
    assert len({k.parent_key for k in KINDS}) == len(KINDS)


def test_pillars_are_the_studio_lists_and_the_report_groups():
    studio = recordschema.top("studio")[0]["properties"]
    for pillar in PILLARS:
        assert pillar.key in studio, pillar.key
        entry = recordschema.items(next(f for f in recordschema.fields("studio") if f.path == (pillar.key,)))
        names = {f.name for f in recordschema.properties(entry.schema, entry.doc)}
        assert pillar.name_field in names and set(pillar.quantity_keys) <= names, pillar.key
    report = recordschema.documents()["report.schema.json"]
    group = report["properties"]["figures"]["items"]["properties"]["group"]
    assert group["enum"] == list(GROUPS)
