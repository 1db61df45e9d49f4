"""The site builds with ProperDocs (the maintained fork of MkDocs 1.6.1), in its own virtual
environment, to the same bytes as with MkDocs: the way off MkDocs and Material's end of life is open."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from support.project import ROOT, copy_project, mkdocs_build, mkdocs_env

# The one line the engines print differently: <meta name="generator" content="mkdocs-1.6.1, …">.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes()) for p in site.rglob("*") if p.is_file()}


def test_the_site_builds_the_same_with_properdocs(tmp_path):
    venv = tmp_path / "venv"
    # The system's packages (Material, our pins) are visible; the engine is ProperDocs, which
    # sends every `mkdocs.*` import (Material's, the hook's) to `properdocs.*`.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(ROOT / "requirements-properdocs.txt")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    project = copy_project(tmp_path / "p")
    built = mkdocs_build(project, "-d", str(tmp_path / "mkdocs"))
    assert built.returncode == 0, built.stdout + built.stderr
    proper = subprocess.run(
        [str(venv / "bin" / "properdocs"), "build", "--strict", "-d", str(tmp_path / "properdocs")],
        cwd=project, env=mkdocs_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proper.returncode == 0, proper.stdout + proper.stderr
    generator = GENERATOR.search((tmp_path / "properdocs" / "index.html").read_bytes())
    assert generator and b"ProperDocs 1.6.7" in generator.group(0), "not built by ProperDocs"
    ours, theirs = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert sorted(ours) == sorted(theirs)
    different = [name for name in ours if ours[name] != theirs[name]]
    assert not different, f"ProperDocs built these differently: {different[:20]}"
