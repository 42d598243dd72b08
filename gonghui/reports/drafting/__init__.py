"""The drafted work summary: one section writer per area, a closing drawn from
the data, and renderers for the browser, Markdown, JSON and Word.

`draft(union=..., period=..., kind=...)` returns a Draft: a title, opening
paragraphs, numbered sections of numbered points, and the figures in the
text. A paragraph is a list of strings and Fig objects; each Fig is one value
of a registered metric over one period, and renders as a link to its records.
"""

from gonghui.reports.drafting.core import Draft, Fig, Section
from gonghui.reports.drafting.writer import draft

__all__ = ["Draft", "Fig", "Section", "draft"]
