"""Everyday use as ruff users expect (issue 12): a repository of reports just works, every option does
what it says or is refused with one line and exit 2, output fits a terminal, an editor and CI, and
drafts can suppress findings in place."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from _reports import BASE, next_year, write
from conftest import EXAMPLE, ROOT

from opengov_lint.cli import main
from opengov_lint.outputs.text import display_width

ALTERED = ROOT / "tests" / "data" / "integration" / "shanghai-2019-altered.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def checked(out: str) -> list[str]:
    return sorted(Path(r["path"]).name for r in json.loads(out)["reports"])


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A repository of reports as people keep them: a README, a package.json, a .gitignore, the
    tool's baseline, node_modules, an archive folder."""
    r = tmp_path / "repo"
    write(r, "2023.txt", BASE)
    write(r, "README.md", "# 报告仓库\n\nHow we publish our reports.\n")
    write(r, "package.json", '{"name": "reports", "version": "1.0.0"}\n')
    write(r, ".gitignore", "drafts/\n")
    write(r / "drafts", "2024-draft.txt", BASE)
    write(r / "node_modules" / "x", "readme.txt", BASE)
    write(r / "archive", "2019.txt", BASE)
    (r / ".git").mkdir()
    monkeypatch.chdir(r)
    code = main(["check", ".", "--write-baseline", "opengov-lint-baseline.json", "--isolated", "--no-cache"])
    assert code == 0
    return r


# ---------------------------------------------------------------- 1. a repository of reports


def test_a_repository_of_reports_checks_only_the_reports(capsys, repo: Path) -> None:
    capsys.readouterr()
    code, out, err = run(capsys, "check", ".", "--isolated", "--no-cache", "--format", "json")
    assert checked(out) == ["2019.txt", "2023.txt"]  # no README, package.json, baseline, ignored or vendored file
    assert err.count("\n") == 2 and "README.md" in err and "package.json" in err  # said once, not failed
    assert code == 0 and "X001" not in out and "X005" not in out


def test_exclude_extend_exclude_and_gitignore(capsys, repo: Path) -> None:
    capsys.readouterr()
    _, out, _ = run(capsys, "check", ".", "--isolated", "--no-cache", "--format", "json", "--extend-exclude", "archive/")
    assert checked(out) == ["2023.txt"]
    # --exclude replaces the default excludes (node_modules among them), as ruff's does
    _, out, _ = run(capsys, "check", ".", "--isolated", "--no-cache", "--format", "json", "--exclude", "archive/")
    assert checked(out) == ["2023.txt", "readme.txt"]
    _, out, _ = run(capsys, "check", ".", "--isolated", "--no-cache", "--format", "json", "--no-respect-gitignore")
    assert checked(out) == ["2019.txt", "2023.txt", "2024-draft.txt"]
    (repo / "opengov-lint.toml").write_text('extend-exclude = ["20*.txt", "!2023.txt"]\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", ".", "--no-cache", "--format", "json")
    assert checked(out) == ["2023.txt"]
    # a file named on the command line is always checked
    _, out, _ = run(capsys, "check", "drafts/2024-draft.txt", "archive/2019.txt", "--no-cache", "--format", "json")
    assert checked(out) == ["2019.txt", "2024-draft.txt"]


def test_a_bad_exclude_pattern_is_a_configuration_error(capsys, tmp_path: Path) -> None:
    (tmp_path / "opengov-lint.toml").write_text("exclude = 3\n", encoding="utf-8")
    code, out, err = run(capsys, "check", str(EXAMPLE), "--config", str(tmp_path / "opengov-lint.toml"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "'exclude'" in err


# ---------------------------------------------------------------- 2. every option honest


def test_ignore_all_and_per_path_all_ignore_everything(capsys) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated", "--ignore", "ALL", "--format", "json")
    assert code == 0 and json.loads(out)["reports"][0]["findings"] == []
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated", "--per-path-ignores", "*.txt:ALL", "--format", "json")
    assert code == 0 and json.loads(out)["reports"][0]["findings"] == []


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--jobs", "-1"], "--jobs"),
        (["--output-dir", "pages"], "--output-dir needs --format html"),
        (["--justification", "ok"], "--justification needs --write-baseline"),
        (["--cache-dir", "c", "--no-cache"], "contradict"),
        (["--stdin-filename", "x.txt"], "--stdin-filename needs -"),
        (["--previous", str(EXAMPLE), "--no-pair"], "--no-pair"),
        (["--write-baseline", "b.json", "--baseline", "b.json"], "--baseline and --write-baseline"),
    ],
)
def test_a_flag_that_depends_on_another_says_so(capsys, argv: list[str], said: str) -> None:
    code, out, err = run(capsys, "check", str(EXAMPLE), "--isolated", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and said in err


@pytest.mark.parametrize("content", [b"", b"\x00\xff\x13 random bytes \x00" * 20, "无关的文字。".encode()])
def test_previous_that_is_no_report_is_refused(capsys, tmp_path: Path, content: bytes) -> None:
    prev = tmp_path / "prev.txt"
    prev.write_bytes(content)
    code, out, err = run(capsys, "check", str(EXAMPLE), "--isolated", "--previous", str(prev))
    assert code == 2 and out == "" and err.count("\n") == 1 and "--previous" in err and "not a report" in err


def test_previous_of_another_agency_or_year_is_said(capsys, tmp_path: Path) -> None:
    this = write(tmp_path, "2024.txt", next_year(fresh_text=True))
    other = write(tmp_path, "other.txt", BASE.replace("沭阳县发展和改革局", "泗阳县财政局"))
    _, out, _ = run(capsys, "check", str(this), "--isolated", "--previous", str(other), "--format", "json")
    x008 = [f for f in json.loads(out)["reports"][0]["findings"] if f["code"] == "X008"]
    assert [f["variant"] for f in x008] == ["agency"] and "泗阳县财政局" in x008[0]["message_zh"]
    same = write(tmp_path, "2023.txt", BASE)
    _, out, _ = run(capsys, "check", str(this), "--isolated", "--previous", str(same), "--format", "json")
    assert "X008" not in out


def test_stats_reads_the_configuration_as_check_does(capsys, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "opengov-lint.toml").write_text('select = ["C"]\nseverity = { C001 = "info" }\n', encoding="utf-8")
    shutil.copy(EXAMPLE, tmp_path / "r.txt")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "r.txt", "--format", "json")
    findings = json.loads(out)["reports"][0]["findings"]
    assert code == 0 and [(f["code"], f["severity"]) for f in findings] == [("C001", "info")]
    code, out, _ = run(capsys, "stats", "r.txt", "--format", "json", "--no-cache")
    doc = json.loads(out)
    assert code == 0 and [r["code"] for r in doc["by_code"]] == ["C001"]
    assert doc["summary"]["reports_with_errors"] == 0


# ---------------------------------------------------------------- exit contract


def test_stats_html_to_a_folder_that_does_not_exist_prints_nothing(capsys) -> None:
    code, out, err = run(capsys, "stats", str(EXAMPLE), "--html", "/nonexistent/x.html", "--no-cache")
    assert code == 2 and out == "" and err.count("\n") == 1


def test_check_html_over_a_folder_of_several_reports_is_one_line(capsys, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE)
    write(tmp_path, "b.txt", next_year())
    write(tmp_path, "README.md", "# notes\n")
    code, out, err = run(capsys, "check", str(tmp_path), "--isolated", "--format", "html", "--no-cache")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--output-dir" in err


def test_output_file_is_written_whole_or_not_at_all(capsys, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated", "--format", "json", "-o", str(target))
    assert code == 1 and out == "" and json.loads(target.read_text(encoding="utf-8"))["reports"]
    code, out, err = run(capsys, "check", str(EXAMPLE), "--isolated", "-o", str(tmp_path / "no" / "out.txt"))
    assert code == 2 and out == "" and err.count("\n") == 1
    code, _, _ = run(capsys, "check", str(tmp_path / "missing.txt"), "--isolated", "-o", str(tmp_path / "gone.txt"))
    assert code == 2 and not (tmp_path / "gone.txt").exists() and list(tmp_path.iterdir()) == [target]


# ---------------------------------------------------------------- 3. output for people


def test_text_columns_align_by_display_width(capsys, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    _, out, _ = run(capsys, "check", str(ALTERED), "--isolated")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "T004" in line)
    top = max(i for i in range(at) if lines[i].startswith("位置 where"))  # the header of its table
    header, rule, row = lines[top], lines[top + 1], lines[at]
    starts = [m.start() for m in re.finditer(r"-+", rule)]  # the columns, as the dashes draw them
    assert display_width(header[: header.index("代码")]) == starts[1]
    assert display_width(row[: row.index("T004")]) == starts[1]
    assert display_width(header[: header.index("说明")]) == starts[3]


@pytest.mark.parametrize("width", [60, 100, 140])
def test_text_wraps_to_the_terminal_width(capsys, monkeypatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.chdir(ROOT)  # the report's path heads its block as given, and is not wrapped
    _, out, _ = run(capsys, "check", str(ALTERED.relative_to(ROOT)), "--isolated")
    assert max(display_width(line) for line in out.splitlines()) <= width


def test_colour_follows_no_color_and_force_color(capsys, monkeypatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated")
    assert "\x1b[1;31m" in out  # errors in bold red
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated")
    assert "\x1b[" not in out
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR")
    _, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated")  # captured: not a terminal
    assert "\x1b[" not in out


def test_quiet_leaves_out_notes_and_clean_reports(capsys, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BASE)
    write(tmp_path, "b.txt", next_year(fresh_text=True))
    write(tmp_path, "README.md", "# notes\n")
    _, out, err = run(capsys, "check", str(tmp_path), "--isolated", "--no-cache", "--select", "C001")
    assert "未发现问题" in out and err
    _, out, err = run(capsys, "check", str(tmp_path), "--isolated", "--no-cache", "--select", "C001", "-q")
    assert out == "" and err == ""


def test_concise_is_one_line_a_finding(capsys) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated", "--format", "concise", "--lang", "en")
    lines = out.splitlines()
    assert code == 1
    assert re.fullmatch(r".+jinjiang-minzheng-2022\.txt:10:102: C001 \[error\] the regulation is cited as .+ \[引用\]", lines[0])
    assert all(re.match(r".+:\d+:\d+: [A-Z]\d{3} \[(error|warning|info)\] ", line) for line in lines[:-1])
    assert lines[-1].startswith("1 report(s): 3 error(s)")


def test_full_shows_the_source_line_with_a_caret(capsys) -> None:
    _, out, _ = run(capsys, "check", str(EXAMPLE), "--isolated", "--format", "full", "--select", "C001")
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("10 | "))
    source = EXAMPLE.read_text(encoding="utf-8").splitlines()[9]
    assert lines[i] == f"10 | {source}"
    caret = lines[i + 1]
    start = caret.index("^")
    quoted = "《中国人民共和国政府信息公开条例》"
    assert display_width(caret[:start]) == display_width(f"10 | {source[:101]}")
    assert display_width(caret[start:].rstrip()) == display_width(quoted)


def test_standard_input_with_a_file_name(capsys, monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "opengov-lint.toml").write_text('per-path-ignores = { "skip/*.txt" = ["C001"] }\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = EXAMPLE.read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    _, out, _ = run(capsys, "check", "-", "--format", "concise")
    assert out.startswith("-:10:102: C001")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    _, out, _ = run(capsys, "check", "-", "--stdin-filename", "skip/r.txt", "--format", "concise")
    assert out.startswith("skip/r.txt:") and "C001" not in out


def test_rules_and_rule_as_json(capsys) -> None:
    _, out, _ = run(capsys, "rules", "--format", "json")
    rules = json.loads(out)
    assert {"T101", "X007", "X008"} <= {r["code"] for r in rules}
    _, out, _ = run(capsys, "rule", "--all", "--format", "json")
    full = json.loads(out)
    assert [r["code"] for r in full] == [r["code"] for r in rules] and full[0]["doc"]["what"]
    _, out, _ = run(capsys, "rule", "T101", "--format", "json")
    assert json.loads(out)["slug"] == "application-balance"
    code, out, err = run(capsys, "rule")
    assert code == 2 and out == ""


def test_version_and_completion(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["-V"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("opengov-lint ")
    for shell, marker in (("bash", "complete"), ("zsh", "#compdef"), ("fish", "complete -c opengov-lint")):
        code, out, _ = run(capsys, "completion", shell)
        assert code == 0 and marker in out and "--stdin-filename" in out, shell


# ---------------------------------------------------------------- 4. output for machines


@pytest.mark.parametrize("fmt", ["github", "gitlab", "junit", "json", "sarif"])
def test_machine_paths_are_relative_to_the_working_folder(capsys, monkeypatch, fmt: str) -> None:
    monkeypatch.chdir(ROOT)
    _, out, _ = run(capsys, "check", "./examples/jinjiang-minzheng-2022.txt", str(ALTERED), "--isolated", "--format", fmt)
    out = re.sub(r'"(helpUri|informationUri)": "[^"]*"', "", out)  # where the rule reference is installed
    assert "./examples" not in out and str(ROOT) not in out
    assert "examples/jinjiang-minzheng-2022.txt" in out and "tests/data/integration/shanghai-2019-altered.txt" in out


def test_sarif_mime_type_and_rule_help(capsys, tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    from conftest import shared_file

    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(shared_file("pdf/hongze-2024.pdf").read_bytes())
    _, out, _ = run(capsys, "check", str(pdf), str(EXAMPLE), "--isolated", "--format", "sarif")
    run_ = json.loads(out)["runs"][0]
    assert [a["mimeType"] for a in run_["artifacts"]] == ["application/pdf", "text/plain"]
    rule = next(r for r in run_["tool"]["driver"]["rules"] if r["id"] == "T101")
    assert rule["helpUri"].endswith("rules.md#t101-application-balance")
    doc = Path(rule["helpUri"].split("#")[0].removeprefix("file://"))
    assert "## T101 application-balance" in doc.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 5. suppression in drafts


def test_html_comment_suppresses_the_next_element_and_the_file(capsys, tmp_path: Path) -> None:
    from opengov_lint import parse
    from opengov_lint.generate.render import render_html

    page = render_html(parse(ALTERED))
    plain = tmp_path / "plain.html"
    plain.write_text(page, encoding="utf-8")
    _, out, _ = run(capsys, "check", str(plain), "--isolated", "--format", "json")
    before = json.loads(out)["reports"][0]["findings"]
    t004 = next(f for f in before if f["code"] == "T004")
    lines = page.split("\n")
    table = max(i for i in range(t004["location"]["span"]["line"]) if "<table" in lines[i])  # the table it is in
    lines.insert(table, "<!-- opengov-lint: ignore T004 -->")
    marked = "\n".join(lines).replace("<body>", "<body><!-- opengov-lint: ignore-file C002 -->", 1)
    draft = tmp_path / "draft.html"
    draft.write_text(marked, encoding="utf-8")
    _, out, _ = run(capsys, "check", str(draft), "--isolated", "--format", "json")
    rep = json.loads(out)["reports"][0]
    after = [f["code"] for f in rep["findings"]]
    suppressed = [(s["code"], s["suppression"]["scope"]) for s in rep["suppressed"]]
    assert sorted(after + [c for c, _ in suppressed]) == sorted(f["code"] for f in before)  # suppressed, never dropped
    assert ("T004", "next") in suppressed and after.count("T004") == [f["code"] for f in before].count("T004") - 1
    assert "C002" not in after and ("C002" in [f["code"] for f in before]) == (("C002", "file") in suppressed)


def test_text_line_suppression_and_an_unknown_code(capsys, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("六、", "opengov-lint: ignore S006, T1O1\n六、", 1)
    draft = write(tmp_path, "draft.txt", text)
    code, out, _ = run(capsys, "check", str(draft), "--isolated", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    s006 = next(r for r in results if r["ruleId"] == "S006")
    assert s006["suppressions"][0]["kind"] == "inSource"
    x007 = [r for r in results if r["ruleId"] == "X007"]
    assert len(x007) == 1 and "T1O1" in x007[0]["message"]["text"] and "T101" in x007[0]["message"]["text"]
    assert code == 1
