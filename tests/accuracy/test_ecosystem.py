"""The ecosystem check as a test: over every labelled real report, no false error and no lost
expected code against the accepted snapshot (tests/corpus/accepted.jsonl)."""

import importlib.util
import sys

from conftest import ROOT


def _ecosystem():
    spec = importlib.util.spec_from_file_location("ecosystem", ROOT / "scripts" / "ecosystem.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ecosystem"] = module
    spec.loader.exec_module(module)
    return module


def test_no_new_false_error_and_no_lost_expected_code() -> None:
    eco = _ecosystem()
    outcomes = [eco.run(label)[0] for label in eco.labels()]
    assert len(outcomes) >= 300, "the labelled corpus is smaller than it should be"
    assert eco.regressions(outcomes, eco._load_accepted()) == []


def test_every_report_of_the_index_is_labelled_and_present() -> None:
    eco = _ecosystem()
    index = {eco._index_key(r["file"]) for r in eco._read_tsv(eco.CORPUS / "index.tsv")}
    labelled = {r["file"] for r in eco._read_tsv(eco.CORPUS / "labels.tsv")}
    assert index == labelled
    assert all((eco.CORPUS / "text" / f"{k}.txt").is_file() for k in index)
