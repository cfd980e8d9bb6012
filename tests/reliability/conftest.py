"""The reliability tests: put this folder's helper modules (reliability_*.py and the stand-in
coder) on the path. Test modules import them by name, never ``conftest`` (another folder's
conftest could answer to that name)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
