"""Counters of the loader's work on one record, for bounds that hold however busy the machine is."""

from __future__ import annotations

import pytest
import yaml

from jiangxin.checks import privacy
from jiangxin.content import loader


@pytest.fixture
def scanned(monkeypatch) -> list[int]:
    """The length of every text `privacy.scan` is given."""
    sizes: list[int] = []
    scan = privacy.scan

    def counting(text: str) -> list[privacy.Finding]:
        sizes.append(len(text))
        return scan(text)

    monkeypatch.setattr(privacy, "scan", counting)
    return sizes


@pytest.fixture
def problems_built(monkeypatch) -> list[int]:
    """One entry per Problem the loader builds."""
    count: list[int] = []
    problem = loader.Problem

    def counting(*args, **kwargs):
        count.append(1)
        return problem(*args, **kwargs)

    def file(*args, **kwargs):
        count.append(1)
        return problem.file(*args, **kwargs)

    counting.file = file  # type: ignore[attr-defined]
    monkeypatch.setattr(loader, "Problem", counting)
    return count


@pytest.fixture
def events(monkeypatch) -> dict[str, int]:
    """How many events each YAML parser (by loader name) handed out."""
    read: dict[str, int] = {}
    parse = yaml.parse

    def counting(stream, Loader):
        for event in parse(stream, Loader=Loader):
            read[Loader.__name__] = read.get(Loader.__name__, 0) + 1
            yield event

    monkeypatch.setattr(yaml, "parse", counting)
    return read
