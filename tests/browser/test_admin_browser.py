"""The browser form at /admin/ in headless Chromium, with the real decap-server editing a git checkout.

The flow an editor follows: open /admin/, log in to the local mode, create a studio typing
Chinese through an input method, edit one field of an existing studio, write a story and pick
its studio from the list. What the form saved must pass `scripts/check.py` and `mkdocs build
--strict`; an edit must change one line; no request may leave 127.0.0.1.

Set JX_SCREENSHOTS to a folder to keep the screenshots (the editors' guide uses them:
`JX_SCREENSHOTS=content/contribute/admin python3 -m pytest tests/browser/test_admin_browser.py`).
"""

from __future__ import annotations

import os
import subprocess
import urllib.parse
from pathlib import Path

import pytest
import yaml

from support.browser import axe_violations, describe
from support.harness import free_port, serve, wait_for_port
from support.project import ROOT, copy_project, mkdocs_build, run_script

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
VIEWPORT = {"width": 1100, "height": 760}
GIT = ["git", "-c", "user.email=test@example.invalid", "-c", "user.name=test"]


@pytest.fixture(scope="module")
def cms(tmp_path_factory, browser):
    """(admin URL, project) with decap-server on the project's git checkout, and a logged-in context."""
    if not DECAP_SERVER.is_file():
        pytest.fail(f"{DECAP_SERVER} 不存在：请先运行 bash scripts/setup.sh --test（会执行 npm ci）")
    project = copy_project(tmp_path_factory.mktemp("cms"))
    port = free_port()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"\n  cms:\n    local_port: {port}\n", encoding="utf-8")
    assert "\nextra:" in config.read_text(encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*GIT, "add", "content"], cwd=project, check=True)
    subprocess.run([*GIT, "commit", "-qm", "content"], cwd=project, check=True)
    result = mkdocs_build(project, "-d", str(project.parent / "built"))
    assert result.returncode == 0, result.stdout + result.stderr
    log = project.parent / "decap-server.log"
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(project)}
    with log.open("w") as out:
        proc = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, "decap-server", log)
        with serve(project.parent / "built") as url:
            context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
            hosts: set[str] = set()
            context.on("request", lambda r: hosts.add(urllib.parse.urlsplit(r.url).hostname or r.url))
            page = context.new_page()
            page.goto(url + "admin/")
            page.get_by_role("button", name="登录").wait_for()
            shots = os.environ.get("JX_SCREENSHOTS")
            if shots:
                page.screenshot(path=str(Path(shots) / "login.png"))
            page.get_by_role("button", name="登录").click()
            page.get_by_role("link", name="工作室").first.wait_for()
            if shots:
                page.get_by_text("何旺创新工作室").wait_for()
                page.screenshot(path=str(Path(shots) / "collections.png"))
            page.close()
            yield {"url": url + "admin/", "project": project, "context": context, "hosts": hosts}
            context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ["JX_SCREENSHOTS"]) if os.environ.get("JX_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path}: the screenshot is blank"


def ime_type(page, text: str) -> None:
    """Type `text` as a pinyin input method does: a composition (Latin letters), then the committed Chinese."""
    cdp = page.context.new_cdp_session(page)
    for i in range(1, 4):
        cdp.send("Input.imeSetComposition", {"text": "pin"[:i], "selectionStart": i, "selectionEnd": i})
    cdp.send("Input.insertText", {"text": text})
    cdp.detach()


def fill_ime(page, label: str, text: str, nth: int = 0) -> None:
    box = page.get_by_label(label, exact=True).nth(nth)
    box.click()
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            page.keyboard.press("Enter")
        if line:
            ime_type(page, line)
    assert box.input_value() == text, f"{label}: the input method's text did not arrive whole"


def publish_now(page, shots: Path | None = None) -> None:
    page.get_by_role("button", name="发布").first.click()
    if shots:
        page.get_by_role("menuitem", name="立即发布").wait_for()
        shoot(page, shots, "publish")
    page.get_by_role("menuitem", name="立即发布").click()
    page.get_by_text("修改已保存").first.wait_for(timeout=15_000)


def open_form(cms, hash_path: str):
    page = cms["context"].new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(cms["url"] + hash_path)
    page.locator("form, [class*=ControlPane]").first.wait_for()
    page.locator("[id^=jx_id-field]").wait_for()
    return page, errors


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout


def check(project: Path) -> None:
    result = run_script(ROOT / "scripts" / "check.py", project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_studio_created_in_the_form_passes_the_checker(cms, shots):
    page, errors = open_form(cms, "#/collections/studios/new")
    fill_ime(page, "工作室名称", "张三劳模创新工作室")
    assert page.locator("input[id^=jx_id-field]").input_value() == "zhangsan", (
        "the id is not proposed from the name by pinyin"
    )
    fill_ime(page, "所在单位", "测试单位有限公司")
    fill_ime(page, "一段话简介", "测试简介第一句。\n第二句。")
    page.mouse.wheel(0, -2000)
    shoot(page, shots, "new-studio")
    fill_ime(page, "出处标题", "测试出处")
    page.get_by_role("button", name="新增搜索关键词").click()
    page.get_by_label("搜索关键词", exact=True).last.fill("no")
    page.get_by_role("button", name="新增搜索关键词").click()
    page.get_by_label("搜索关键词", exact=True).last.fill("9:30")
    publish_now(page, shots)
    path = cms["project"] / "content" / "studios" / "zhangsan.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../hooks/jiangxin/schemas/studio.schema.json\nname: ")
    data = yaml.safe_load(text)  # PyYAML reads YAML 1.1, as the loader does
    assert data["keywords"] == ["no", "9:30"], text
    assert data["summary"] == "测试简介第一句。\n第二句。"
    assert list(data) == ["name", "organization", "summary", "source", "keywords"], "keys not in the template's order"
    assert "jx_id" not in text and "featured" not in text and "level" not in text, text
    check(cms["project"])
    assert not errors, errors


def test_editing_one_field_changes_one_line(cms, shots):
    before = (cms["project"] / "content" / "studios" / "hewang.yml").read_text(encoding="utf-8")
    page, errors = open_form(cms, "#/collections/studios/entries/hewang")
    assert page.locator("code", has_text="hewang").count() == 1, "an existing record's id is shown, not editable"
    box = page.get_by_label("所在单位", exact=True)
    box.click()
    box.press("End")
    ime_type(page, "测试")
    shoot(page, shots, "edit-studio")
    publish_now(page)
    diff = git(cms["project"], "diff", "-U0", "--", "content/studios/hewang.yml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-organization: 滨州大有新能源开发有限公司", "+organization: 滨州大有新能源开发有限公司测试"], (
        diff
    )
    after = (cms["project"] / "content" / "studios" / "hewang.yml").read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0]
    check(cms["project"])
    assert not errors, errors


def test_a_story_picks_its_studio_from_the_list(cms, shots):
    page, errors = open_form(cms, "#/collections/stories/new")
    fill_ime(page, "标题", "以赛促学：测试故事")
    picker = page.get_by_label("所属工作室", exact=True)
    picker.click()
    ime_type(page, "何旺")
    page.get_by_role("option", name="何旺创新工作室").click()
    page.wait_for_timeout(100)
    assert page.locator("input[id^=jx_id-field]").input_value() == "hewang-yisaicuxue"
    shoot(page, shots, "new-story")
    fill_ime(page, "导语", "测试导语。")
    fill_ime(page, "正文", "第一段正文。\n\n## 小标题\n\n第二段。")
    fill_ime(page, "出处标题", "测试出处")
    publish_now(page)
    text = (cms["project"] / "content" / "stories" / "hewang-yisaicuxue.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["studio"] == "hewang" and data["body"] == "第一段正文。\n\n## 小标题\n\n第二段。", text
    check(cms["project"])
    assert not errors, errors


def test_what_the_form_saved_builds_strictly(cms):
    created = [cms["project"] / "content" / p for p in ("studios/zhangsan.yml", "stories/hewang-yisaicuxue.yml")]
    if not all(p.is_file() for p in created):
        pytest.skip("the form tests above did not save their records")
    result = mkdocs_build(cms["project"], "-d", str(cms["project"].parent / "rebuilt"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (cms["project"].parent / "rebuilt" / "studios" / "zhangsan" / "index.html").is_file()


def test_the_form_has_no_serious_accessibility_violation(cms):
    page, _ = open_form(cms, "#/collections/studios/new")
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not serious, describe(serious)


def test_no_request_left_127_0_0_1(cms):
    page, _ = open_form(cms, "#/collections/stories/new")
    page.close()
    assert cms["hosts"] == {"127.0.0.1"}, cms["hosts"]
