"""What a rule is made of: :class:`Rule`, the :class:`LintContext` it is given, and
:func:`register`, which the built-in rules use to make themselves known to the engine.

A rule module imports this module and the model, never the engine: the engine imports the
rules, so the arrows run one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from attrs import frozen

from ..findings import Evidence, Finding, Fix, Location, Severity, fingerprint
from ..model import Report
from ..packs import FormatId, FormatPack, Packs, Regulation, RuleSpec

__all__ = ["Rule", "LintContext", "register", "BUILTIN"]

# The built-in rules by code, filled by @register as the rule modules are imported.
BUILTIN: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator for the built-in rules."""
    BUILTIN[cls.code] = cls
    return cls


@frozen
class LintContext:
    """What a rule may know beside the report."""

    packs: Packs
    previous: Report | None = None
    township_deadline: str | None = None  # "MM-DD", set by local rules; None: no deadline
    format_override: str | None = None  # a format pack id the caller chose for the checked report

    def format_in_force(self, report: Report) -> FormatPack | None:
        if self.format_override is not None and report is not self.previous:
            return self.packs.formats.get(FormatId(self.format_override))
        return self.packs.format_in_force(report.metadata.report_year)

    def location(self, key: str) -> str:
        """How findings name a place that no heading or cell names (catalogue ``[locations]``)."""
        return self.packs.catalogue.locations[key]

    def format_pack(self, pack_id: str) -> FormatPack | None:
        return self.packs.formats.get(FormatId(pack_id))

    @property
    def regulation(self) -> Regulation:
        """The regulation's facts (rules/regulation.toml)."""
        return self.packs.regulation


class Rule:
    """Base class. Subclasses set ``code`` and implement ``check``."""

    code: ClassVar[str] = ""
    # True for rules that compare with last year's report (context.previous); batch mode runs
    # them in a second pass over the pairs it forms (opengov_lint.batch).
    cross_year: ClassVar[bool] = False
    spec: RuleSpec

    def __init__(self, spec: RuleSpec | None = None) -> None:
        if spec is not None:
            self.spec = spec
        if getattr(self, "spec", None) is None:
            raise TypeError(f"rule {type(self).__name__} has no catalogue entry")

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def severity(self) -> Severity:
        return Severity(self.spec.severity)

    @property
    def citation(self) -> str:
        return self.spec.citation

    def check(self, report: Report, context: LintContext) -> Iterable[Finding]:
        raise NotImplementedError

    def word(self, key: str, **params: object) -> str:
        """The catalogue fragment ``key`` of this rule (``[rule.words]``), filled with ``params``."""
        return self.spec.words[key].format(**params)

    def finding(
        self,
        location: Location,
        evidence: Evidence | None = None,
        *,
        variant: str = "default",
        discriminator: str = "",
        severity: Severity | None = None,
        fix: Fix | None = None,
        **params: object,
    ) -> Finding:
        """A finding with this rule's metadata and its message ``variant`` filled with ``params``
        (``fix``: a safe correction of the text, when the fix is mechanical)."""
        zh, en = self.spec.messages[variant]
        return Finding(
            code=self.spec.code,
            slug=self.spec.slug,
            severity=severity or self.severity,
            message_zh=zh.format(**params),
            message_en=en.format(**params),
            location=location,
            evidence=evidence or Evidence(),
            citation=self.spec.citation,
            fingerprint=fingerprint(self.spec.code, location, discriminator or variant),
            variant=variant,
            fix=fix,
        )
