"""What every command in scripts/ imports first (`from _project import ROOT`): this checkout's data layer
(hooks/jiangxin) on the import path.

Python puts a script's own folder on sys.path, so this module is found and the commands need no path
handling of their own. Not an installed package on purpose: several checkouts of the project live side by
side, and the tests run a checkout's scripts on copied projects; each must import its own hooks/.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))
