"""Build-speed and page-weight benchmark on clearly synthetic content, with the naive stack as yardstick.

    python3 scripts/bench.py                      # city scale (240 studios, 500 stories)
    python3 scripts/bench.py --scales 1,4,10      # and 4× / 10× city scale
    python3 scripts/bench.py --out benchmarks/RESULTS.md

For each scale it builds, in one run so the ratios share the machine's load:
  ours   this project (hooks + Material + search with jieba), on synthetic records;
  naive  the same generated pages written out as Markdown files, Material + search
         with jieba, no hooks (what the site would cost without our data layer).
and reports wall time, peak memory, time inside our hooks, site size, the search
index a visitor downloads (raw and gzip) and HTML bytes per page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "scripts"))

import synth  # noqa: E402
import yaml  # noqa: E402

CITY = (240, 500)


def run_build(project: Path, timing: Path | None = None) -> tuple[float, float]:
    """One `mkdocs build` in a child process: (seconds, peak MiB of that child)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    if timing:
        env["JX_TIMING"] = str(timing)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {project}:\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def make_ours(base: Path, studios: int, stories: int) -> Path:
    project = base / "ours"
    project.mkdir()
    for part in ("mkdocs.yml", "hooks", "overrides"):
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / part)
    content = project / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("*.yml"))
    (content / "reports").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "content" / "reports" / "2025.yml", content / "reports" / "2025.yml")
    synth.write(content, studios, stories)
    return project


def make_naive(base: Path, ours: Path) -> Path:
    """The pages our hooks generate, as files of a plain Material project with search + jieba."""
    from jiangxin import sitegen
    from jiangxin.content import load_site
    from jiangxin.templates import make_env

    project = base / "naive"
    docs = project / "docs"
    docs.mkdir(parents=True)
    site, problems = load_site(ours / "content", ours)
    assert not problems, problems[:3]
    for page in sitegen.all_pages(make_env(ours / "overrides"), site):
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    shutil.copy2(ours / "content" / "index.md", docs / "index.md")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    naive = {"site_name": config["site_name"], "theme": {"name": "material", "language": "zh", "font": False},
             "plugins": ["search"], "nav": config["nav"][:3]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(naive, allow_unicode=True), encoding="utf-8")
    return project


def site_figures(site: Path) -> dict[str, float]:
    pages = list(site.rglob("index.html"))
    html_bytes = sum(p.stat().st_size for p in pages)
    index = site / "search" / "search_index.json"
    raw = index.read_bytes()
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    sample = site / "studios" / "synth-00000" / "index.html"
    page = sample.read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="((?:\.\./)*assets/[^"?#]+)"', page)
    first_view = len(gzip.compress(page.encode())) + sum(
        len(gzip.compress((sample.parent / a).resolve().read_bytes())) for a in dict.fromkeys(assets) if (sample.parent / a).resolve().is_file())
    return {
        "pages": len(pages),
        "site_mib": total / 2**20,
        "html_kib_per_page": html_bytes / len(pages) / 1024,
        "page_first_view_kib_gzip": first_view / 1024,
        "search_index_mib": len(raw) / 2**20,
        "search_index_kib_gzip": len(gzip.compress(raw)) / 1024,
    }


def bench(scale: float, keep: bool) -> dict:
    studios, stories = int(CITY[0] * scale), int(CITY[1] * scale)
    base = Path(tempfile.mkdtemp(prefix=f"jx-bench-{scale:g}x-"))
    try:
        ours = make_ours(base, studios, stories)
        naive = make_naive(base, ours)
        timing = base / "timing.json"
        ours_s, ours_mib = run_build(ours, timing)
        hooks = json.loads(timing.read_text(encoding="utf-8"))
        naive_s, naive_mib = run_build(naive)
        return {
            "scale": scale, "studios": studios, "stories": stories,
            "ours_s": ours_s, "ours_peak_mib": ours_mib, "hooks_s": sum(hooks.values()), "hooks": hooks,
            "naive_s": naive_s, "naive_peak_mib": naive_mib, "ratio": ours_s / naive_s,
            **site_figures(ours / "site"),
        }
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


def table(results: list[dict]) -> str:
    rows = [
        ("studios / stories", lambda r: f"{r['studios']} / {r['stories']}"),
        ("pages built", lambda r: f"{r['pages']}"),
        ("full build, ours", lambda r: f"{r['ours_s']:.1f} s"),
        ("full build, naive stack (same pages as Markdown, Material search + jieba)", lambda r: f"{r['naive_s']:.1f} s"),
        ("ratio ours / naive (target ≤ 0.4)", lambda r: f"{r['ratio']:.2f}"),
        ("time in our hooks (target ≤ 5 % of build)", lambda r: f"{r['hooks_s']:.2f} s ({100 * r['hooks_s'] / r['ours_s']:.0f} %)"),
        ("peak memory, ours (target ≤ 500 MB at 10×)", lambda r: f"{r['ours_peak_mib']:.0f} MiB"),
        ("site size", lambda r: f"{r['site_mib']:.1f} MiB"),
        ("HTML per page", lambda r: f"{r['html_kib_per_page']:.1f} KiB"),
        ("first view of a profile (HTML+CSS+JS, gzip)", lambda r: f"{r['page_first_view_kib_gzip']:.0f} KiB"),
        ("search index every searcher downloads", lambda r: f"{r['search_index_mib']:.1f} MiB ({r['search_index_kib_gzip']:.0f} KiB gzip)"),
    ]
    head = "| | " + " | ".join(f"{r['scale']:g}× city" for r in results) + " |"
    lines = [head, "|---" * (len(results) + 1) + "|"]
    lines += ["| " + name + " | " + " | ".join(f(r) for r in results) + " |" for name, f in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1", help="comma-separated multiples of city scale, e.g. 1,4,10")
    parser.add_argument("--out", type=Path, help="also write the Markdown table (and raw JSON beside it)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    results = [bench(float(s), args.keep) for s in args.scales.split(",")]
    text = table(results)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        command = "python3 scripts/bench.py --scales " + args.scales
        args.out.write_text(f"Measured with `{command}` on {os.cpu_count()} cores.\n\n{text}\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
