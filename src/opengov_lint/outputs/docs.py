"""The rule reference, generated from the catalogue (docs/rules.md and ``opengov-lint rule``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..packs import Packs, RuleSpec, load_packs

__all__ = ["rule_markdown", "rules_reference", "rule_anchor", "rule_help_uri", "rules_reference_uri"]

_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def rule_markdown(spec: RuleSpec) -> str:
    lines = [
        f"## {spec.code} {spec.slug}",
        "",
        f"**{spec.summary_zh}**  ",
        f"{spec.summary_en}",
        "",
        f"- 默认级别 / default severity: `{spec.severity}` ({_SEVERITY_ZH.get(spec.severity, spec.severity)})",
        f"- 依据 / citation: {spec.citation}",
        f"- 依据可靠性 / basis: {spec.basis_status}",
        "",
    ]
    if spec.doc is not None:
        d = spec.doc
        lines += [
            "### What it does / 检查什么",
            "",
            d.what,
            "",
            "### Why it matters / 为什么",
            "",
            d.why,
            "",
            "### Example / 示例",
            "",
            "Fails / 不通过:",
            "",
            "```text",
            d.fail_example,
            "```",
            "",
            "Passes / 通过:",
            "",
            "```text",
            d.pass_example,
            "```",
            "",
            "### How to fix / 如何改正",
            "",
            d.fix,
            "",
        ]
    lines += ["### Messages / 提示语", ""]
    for variant, (zh, en) in spec.messages.items():
        lines.append(f"- `{variant}`: {zh} / {en}")
    lines.append("")
    return "\n".join(lines)


def rules_reference(packs: Packs | None = None) -> str:
    packs = packs or load_packs()
    out = [
        "# Rule reference / 规则说明",
        "",
        "<!-- Generated from rules/catalogue.toml by scripts/gen_docs.py; do not edit by hand. -->",
        "",
        "Codes are a public contract: a published code keeps its meaning; new checks get new codes.",
        "Severity is the default; rules built on facts the reference marks UNVERIFIED are never errors.",
        "",
        "| code | slug | severity | basis | summary |",
        "|---|---|---|---|---|",
    ]
    for s in packs.catalogue.rules:
        out.append(
            f"| [{s.code}](#{s.code.lower()}-{s.slug}) | {s.slug} | {s.severity} | {s.basis_status} | {s.summary_zh} / {s.summary_en} |"
        )
    out.append("")
    for s in packs.catalogue.rules:
        out.append(rule_markdown(s))
    return "\n".join(out).rstrip() + "\n"


def rule_anchor(spec: RuleSpec) -> str:
    """The anchor of the rule's heading in docs/rules.md (``## T101 application-balance``), as
    Markdown renderers (GitHub's, Python-Markdown's toc) make it."""
    return re.sub(r"[^a-z0-9_-]", "", f"{spec.code} {spec.slug}".lower().replace(" ", "-"))


def rules_reference_uri(packs: Packs) -> str | None:
    """Where the rule reference is: ``$OPENGOV_LINT_DOCS_URL`` (a mirror of docs/rules.md), else
    the reference shipped with the installed package (``opengov_lint/_docs/rules.md``, or
    docs/rules.md beside the rule packs of a source tree) as a ``file:`` URI; None when absent."""
    env = os.environ.get("OPENGOV_LINT_DOCS_URL")
    if env:
        return env
    for candidate in (packs.root.parent / "_docs" / "rules.md", packs.root.parent / "docs" / "rules.md"):
        if candidate.is_file():
            return Path(candidate).resolve().as_uri()
    return None


def rule_help_uri(spec: RuleSpec, packs: Packs) -> str | None:
    """The rule's section of the rule reference (SARIF ``helpUri``)."""
    base = rules_reference_uri(packs)
    return f"{base}#{rule_anchor(spec)}" if base else None
