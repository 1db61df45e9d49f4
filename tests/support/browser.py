"""Pages in Chromium as the browser tests open them: phone and desktop sizes, the pages of each kind, and
axe-core's accessibility check."""

from __future__ import annotations

import pytest

from support.project import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


ARTIFACTS = ROOT / "test-artifacts"


TIMEOUT = 15_000


SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


# (name, path, required). Pages that are not required may not be built yet; they are skipped on 404.
PAGES = [
    ("home", "", True),
    ("directory", "studios/", True),
    ("profile", "studios/hewang/", True),
    ("story", "stories/renchangbo-mentoring/", True),
    ("stories", "stories/", True),
    ("achievements", "achievements/", False),
    ("talent", "talent/", False),
    ("competitions", "competitions/", False),
    ("outreach", "outreach/", False),
    ("people", "people/", False),
    ("data", "data/", False),
]


STORAGE_KEY = "jx-textsize"


def new_page(browser, size: str, large: bool = False):
    context = browser.new_context(locale="zh-CN", **SIZES[size])
    context.set_default_timeout(TIMEOUT)
    if large:
        context.add_init_script(f"localStorage.setItem({STORAGE_KEY!r}, 'large')")
    return context, context.new_page()


def open_page(page, url: str, required: bool = True) -> None:
    response = page.goto(url, wait_until="load")
    if response.status == 404 and not required:
        pytest.skip(f"{url} 还不存在（404）：页面建好后这项检查自动生效")
    assert response.status == 200, f"{url}: HTTP {response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} 不存在：请先运行 bash scripts/setup.sh --test（会执行 npm ci）")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """One block per rule: id, impact, summary, then each failing node's selector and reason."""
    lines = []
    for v in violations:
        lines.append(f"* {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:12]:
            target = " >> ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            reason = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    - {target}: {reason}")
        if len(v["nodes"]) > 12:
            lines.append(f"    - … and {len(v['nodes']) - 12} more")
    return "\n".join(lines)


def assert_no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe 在 {where} 发现 {len(violations)} 类问题：\n{describe(violations)}"
