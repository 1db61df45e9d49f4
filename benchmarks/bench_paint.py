"""First paint on a slow phone, served as it will be live: the sample site published by
scripts/publish.py and served by Debian's nginx with deploy/'s recipe, against the same site
served without compression (Python's http.server), in one run.

    python3 benchmarks/bench_paint.py [--runs 5] [--out benchmarks/RESULTS.md]

Chromium with a 390×844 phone viewport, Slow 4G (150 ms, 1.6 Mbit/s down, 750 kbit/s up) and
the CPU slowed 4×, an empty cache each time; largest contentful paint (median of the runs),
bytes on the wire and requests, for the home page and a profile. With --out, the section
between the paint markers of that file is replaced (the rest of it is left alone).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import _project  # noqa: F401  (tests/ and hooks/ on the import path)
from bench_browser import chromium
from support.harness import nginx, serve

PAGES = {"首页": "", "工作室介绍页": "studios/hewang/"}
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
TARGET_MS = 1500
BEGIN, END = "<!-- paint -->", "<!-- /paint -->"
LCP = """
window.__lcp = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
  .observe({type: "largest-contentful-paint", buffered: true});
"""


def load(browser, url: str) -> tuple[float, int, int]:
    """(largest contentful paint in ms, bytes on the wire, requests) of one first visit."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    context.add_init_script(LCP)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: sizes.setdefault(e["requestId"], 0))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1000)  # LCP settles after load; nothing loads later on these pages
        return float(page.evaluate("window.__lcp")), sum(sizes.values()), len(sizes)
    finally:
        context.close()


def measure(runs: int) -> dict:
    """Both servers, both pages, `runs` first visits each, alternating so that noise hits both alike."""
    from support.project import copy_project, publish

    with tempfile.TemporaryDirectory(prefix="jx-paint-") as tmp:
        project = copy_project(Path(tmp) / "project")
        result = publish(project)
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)
        out: dict = {}
        with chromium() as browser, nginx(project, Path(tmp) / "nginx") as live, serve(project / "site") as plain:
            for _ in range(runs):
                for server, base in (("nginx", live), ("plain", plain)):
                    for name, path in PAGES.items():
                        out.setdefault(server, {}).setdefault(name, []).append(load(browser, base + path))
        return out


def table(results: dict, runs: int) -> str:
    lines = [
        BEGIN,
        "## 首屏绘制（largest contentful paint）",
        "",
        f"`python3 benchmarks/bench_paint.py --runs {runs} --out benchmarks/RESULTS.md`：示例网站经 publish.py 发布，",
        f"手机视口 390×844，Slow 4G（150 ms，1.6 Mbit/s），CPU 减速 {CPU_SLOWDOWN}×，",
        f"每次空缓存，取 {runs} 次的中位数。",
        "",
        "| 页面 | 服务方式 | LCP 中位数 | 最慢一次 | 传输 | 请求数 | 目标 |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    labels = {"nginx": "nginx（deploy/，预压缩 br）", "plain": "不压缩（http.server）"}
    for name in PAGES:
        for server in ("nginx", "plain"):
            samples = results[server][name]
            lcp = statistics.median(s[0] for s in samples)
            worst = max(s[0] for s in samples)
            size = statistics.median(s[1] for s in samples) / 1024
            requests = statistics.median(s[2] for s in samples)
            met = "达到" if lcp <= TARGET_MS else "未达到"
            goal = f"{met}（≤ {TARGET_MS / 1000:.1f} s）" if server == "nginx" else ""
            lines.append(
                f"| {name} | {labels[server]} | {lcp / 1000:.2f} s | {worst / 1000:.2f} s | {size:.0f} KiB"
                f" | {requests:.0f} | {goal} |"
            )
    lines += ["", END]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="Markdown file whose paint section is replaced")
    args = parser.parse_args(argv)
    results = measure(args.runs)
    section = table(results, args.runs)
    print(section)
    if args.out:
        write_section(args.out, section)
        args.out.with_name("PAINT.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
