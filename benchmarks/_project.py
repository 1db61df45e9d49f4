"""What every benchmark imports first (`from _project import ROOT`): this checkout's data layer (hooks/) and
the tests' `support` package (tests/) on the import path, as scripts/_project.py does for the commands.

The benchmarks borrow test support (the server, the browser, the synthetic records, the search query set);
nothing imports a benchmark (tests/unit/test_structure.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in ("tests", "hooks"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))
