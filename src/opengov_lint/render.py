"""Former home of the renderers of generated reports, kept so that existing imports keep working.

They now live in :mod:`opengov_lint.generate.render`; this module re-exports its public names.
(The output formats of lint results are another matter, not rendered here.)
"""

from __future__ import annotations

from .generate.render import (
    LOSSLESS_STYLES,
    STYLE_ALIASES,
    TEXT_STYLES,
    comparable,
    render_docx,
    render_html,
    render_pdf,
    render_table,
    render_text,
)

__all__ = [
    "LOSSLESS_STYLES",
    "STYLE_ALIASES",
    "TEXT_STYLES",
    "comparable",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_table",
    "render_text",
]
