"""Paths and fixtures shared by every test module (tests/ is on sys.path through this file)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
DATA = TESTS / "data"  # made-up or edited inputs, golden outputs
CORPUS = TESTS / "corpus"  # real reports the project may keep: text/, html/, index.tsv, labels.tsv
TEXTS = CORPUS / "text"
PAGES = CORPUS / "html"
EXAMPLE = ROOT / "examples" / "jinjiang-minzheng-2022.txt"
# Material from public repositories (official PDFs, the DOCX template, the peer tool's fixtures):
# read from the shared folder beside the checkout when it is there, never copied into the project.
SHARED = ROOT.parent / "shared" / "corpus"

if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))


def shared_file(relative: str) -> Path:
    """A file of ../shared/corpus, or a skip saying why it is not here."""
    p = SHARED / relative
    if not p.is_file():
        pytest.skip(
            f"{relative} comes from a public repository and is read from ../shared/corpus, which this checkout does not have"
        )
    return p


@pytest.fixture(scope="session")
def packs():
    from opengov_lint.packs import load_packs

    return load_packs()
