import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "examples" / "jinjiang-minzheng-2022.txt"

if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))


@pytest.fixture(scope="session")
def packs():
    from opengov_lint.packs import load_packs

    return load_packs()
