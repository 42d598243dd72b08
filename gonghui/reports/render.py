"""A draft as HTML (the editable text), and any version's HTML as Markdown,
JSON-ready data and blocks for the Word export."""

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.urls import reverse

from gonghui.reports.drafting.core import Draft, Fig, chinese_number


def figure_url(fig_key: str, union_id: int, start, end) -> str:
    query = urlencode({"union": union_id, "start": start.isoformat(), "end": end.isoformat()})
    return f"{reverse('reports:metric_records', args=[fig_key])}?{query}"


def _html_paragraph(parts) -> str:
    out = []
    for part in parts:
        if isinstance(part, Fig):
            url = figure_url(part.key, part.union_id, part.period.start, part.period.end)
            out.append(
                f'<a class="fig" data-fig="{part.ref}" href="{escape(url)}">{escape(part.text)}</a>'
            )
        else:
            out.append(escape(part))
    return "".join(out)


def _plain(parts) -> str:
    return "".join(p.text if isinstance(p, Fig) else p for p in parts)


def to_html(d: Draft) -> str:
    lines = [f"<h1>{escape(d.title)}</h1>"]
    lines += [f"<p>{_html_paragraph(p)}</p>" for p in d.opening]
    for i, section in enumerate(d.sections, start=1):
        lines.append(f"<h2>{chinese_number(i)}、{escape(section.title)}</h2>")
        if section.intro:
            lines.append(f"<p>{_html_paragraph(section.intro)}</p>")
        numbered = len(section.points) > 1
        for j, point in enumerate(section.points, start=1):
            prefix = f"{j}、" if numbered else ""
            lines.append(f"<p>{prefix}{_html_paragraph(point)}</p>")
    return "\n".join(lines)


def to_data(d: Draft) -> dict:
    """The CLI's and API's JSON: sections of plain paragraphs, and every figure."""
    sections = [{"title": d.title, "paragraphs": [_plain(p) for p in d.opening]}]
    for i, section in enumerate(d.sections, start=1):
        paragraphs = [_plain(section.intro)] if section.intro else []
        numbered = len(section.points) > 1
        paragraphs += [
            (f"{j}、" if numbered else "") + _plain(p)
            for j, p in enumerate(section.points, start=1)
        ]
        sections.append(
            {"title": f"{chinese_number(i)}、{section.title}", "paragraphs": paragraphs}
        )
    return {
        "union": d.union.code,
        "from": d.period.start.isoformat(),
        "to": d.period.end.isoformat(),
        "sections": sections,
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "value": f.json_value(),
                "unit": f.unit,
                "records": f.records(),
            }
            for f in d.figures
        ],
    }


@dataclass
class Block:
    kind: str  # title, heading, subheading, paragraph
    runs: list  # (text, href or None)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


class _Blocks(HTMLParser):
    KINDS = {
        "h1": "title",
        "h2": "heading",
        "h3": "subheading",
        "p": "paragraph",
        "li": "paragraph",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.href = None

    def handle_starttag(self, tag, attrs):
        if tag in self.KINDS:
            self.current = Block(self.KINDS[tag], [])
            self.blocks.append(self.current)
        elif tag == "a":
            self.href = dict(attrs).get("href")
        elif tag == "br" and self.current is not None:
            self.current.runs.append(("\n", None))

    def handle_endtag(self, tag):
        if tag in self.KINDS:
            self.current = None
        elif tag == "a":
            self.href = None

    def handle_data(self, data):
        if self.current is None:
            if not data.strip():
                return
            self.current = Block("paragraph", [])
            self.blocks.append(self.current)
        self.current.runs.append((data, self.href))


def blocks(html: str) -> list[Block]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return [b for b in parser.blocks if b.text.strip()]


def to_markdown(html: str, *, base: str = "") -> str:
    out = []
    for b in blocks(html):
        text = "".join(f"[{t}]({base}{h})" if h else t for t, h in b.runs).strip()
        prefix = {"title": "# ", "heading": "## ", "subheading": "### "}.get(b.kind, "")
        out.append(prefix + text)
    return "\n\n".join(out) + "\n"
