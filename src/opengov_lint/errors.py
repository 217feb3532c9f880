"""Every exception opengov-lint raises on purpose, in one place.

Each carries a one-line message for people. What a report can be wrong about is a finding, never
one of these; these are for inputs, packs, configurations and models that cannot be used at all.
"""

from __future__ import annotations

__all__ = [
    "OpengovLintError",
    "InputError",
    "BaselineError",
    "PackError",
    "ConfigError",
    "RuleSelectionError",
    "ModelError",
]


class OpengovLintError(Exception):
    """Base of the errors below: ``except OpengovLintError`` catches every one of them."""


class InputError(OpengovLintError):
    """An input that cannot be opened or read as a report at all (missing file, a directory,
    an unsupported format, JSON that is not a report). The message is one line, for people."""


class BaselineError(InputError):
    """A baseline file that cannot be read or is not a baseline (one line, for people)."""


class PackError(OpengovLintError):
    """A rule pack is missing or malformed: the message names the file, the key and the reason."""


class ConfigError(OpengovLintError, ValueError):
    """A configuration that cannot be used: the message is one line and names the key and where
    it came from, with a suggestion when one is close."""


class RuleSelectionError(OpengovLintError, ValueError):
    """--select/--ignore named a code or prefix that matches no rule."""


class ModelError(OpengovLintError, ValueError):
    """JSON that does not describe a report; the message names the first bad field."""
