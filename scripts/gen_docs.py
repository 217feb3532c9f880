"""Regenerate docs/rules.md from rules/catalogue.toml:  python scripts/gen_docs.py"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from opengov_lint.outputs.docs import rules_reference  # noqa: E402
from opengov_lint.packs import load_packs  # noqa: E402

if __name__ == "__main__":
    (ROOT / "docs" / "rules.md").write_text(rules_reference(load_packs(ROOT / "rules")), encoding="utf-8")
    print("wrote docs/rules.md")
