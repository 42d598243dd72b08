"""Word export in the official-document format of GB/T 9704-2012.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in
方正小标宋简体 二号 (22 pt) centred; body in 仿宋_GB2312 三号 (16 pt) on a grid of
28 lines of 28 characters; first-level headings (一、) in 黑体, second-level
(（一）) in 楷体_GB2312; page numbers "— 1 —" in 宋体 四号 (14 pt), odd pages on
the right and even pages on the left, one character in from the edge.
"""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from gonghui.reports.render import blocks

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")
SECOND_LEVEL = re.compile(r"^（[一二三四五六七八九十]+）")

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号

TEXT_HEIGHT_MM = 297 - 37 - 35  # 225 mm
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm
LINES = 28
CHARS = 28
# 225 mm / 28 lines = 455.6 twips; round down so 28 lines always fit.
LINE_PITCH = Twips(int(Mm(TEXT_HEIGHT_MM).twips / LINES))
# 156 mm / 28 characters = 15.79 pt: each 16 pt character is drawn 0.25 pt tighter
# (in twentieths of a point, rounded so that 28 always fit).
CHAR_SQUEEZE = -5


def _fonts(run, name: str, size):
    run.font.name = name
    run.font.size = size
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _squeeze(run):
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SQUEEZE))
    run._element.get_or_add_rPr().append(spacing)


def _exact_spacing(paragraph):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _page(document):
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # page number 7 mm below the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # A line grid of 28 lines; the 28 characters a line come from each run's
    # spacing (CHAR_SQUEEZE), which Word and LibreOffice both honour alike.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))

    # The character grid is measured from the document's default size: make it 三号.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = BODY_SIZE
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, right=True)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, right=False)


def _field(paragraph, instruction: str):
    run = paragraph.add_run()
    _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._element.append(el)


def _page_number(footer, align, *, right: bool):
    p = footer.paragraphs[0]
    p.alignment = align
    indent = PAGE_NUMBER_SIZE  # one character in from the edge
    if right:
        p.paragraph_format.right_indent = indent
    else:
        p.paragraph_format.left_indent = indent
    _fonts(p.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field(p, " PAGE ")
    _fonts(p.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


TITLE_CHARS = 19  # 二号 characters in a 156 mm line, with room to spare


def _title_lines(title: str) -> list[str]:
    """Break a long title after the organisation's name, not in the middle of a word."""
    if len(title) <= TITLE_CHARS:
        return [title]
    cut = title.rfind("工会", 0, TITLE_CHARS + 1)
    if cut <= 0:
        return [title]
    return [title[: cut + 2], title[cut + 2 :]]


@dataclass(frozen=True)
class Figure:
    """A chart (PNG bytes, e.g. from `charts.chart_png`) placed at the end of a
    section: the one whose first-level heading starts with `after` (e.g. "二、"
    or "二、关心职工生活"), or at the end of the document when `after` is None."""

    png: bytes
    caption: str
    after: str | None = None


FIGURE_WIDTH = Mm(150)  # within the 156 mm text block, 16:9 charts stay on one page
CAPTION_SIZE = Pt(14)  # 四号


def _figure(document, figure: Figure) -> None:
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # An exact line pitch would clip the picture to one line: single spacing here.
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.paragraph_format.space_before = Pt(6)
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(figure.png), width=FIGURE_WIDTH)
    caption = document.add_paragraph()
    _exact_spacing(caption)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(caption.add_run(figure.caption), SUBHEADING_FONT, CAPTION_SIZE)


def _place(document, figures: list[Figure], *, closing: str | None) -> list[Figure]:
    """Add the figures that close the section `closing`; return the others."""
    rest = []
    for figure in figures:
        if closing is not None and figure.after and closing.startswith(figure.after):
            _figure(document, figure)
        else:
            rest.append(figure)
    return rest


def to_docx(html: str, figures: Iterable[Figure] = ()) -> bytes:
    """The report version's text as a .docx in the official format, with
    optional figures at the end of the sections they name (see Figure)."""
    document = Document()
    _page(document)
    waiting = list(figures)
    section = None  # the first-level heading of the section being written
    # Document() starts with no paragraphs in the body; add ours in order.
    for block in blocks(html):
        text = block.text.strip()
        if block.kind != "title" and (block.kind == "heading" or FIRST_LEVEL.match(text)):
            waiting = _place(document, waiting, closing=section)
            section = text
        p = document.add_paragraph()
        _exact_spacing(p)
        if block.kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lines = _title_lines(text)
            for i, line in enumerate(lines):
                run = p.add_run(line)
                _fonts(run, TITLE_FONT, TITLE_SIZE)
                if i < len(lines) - 1:
                    run.add_break()
            blank = document.add_paragraph()  # one empty line under the title
            _exact_spacing(blank)
            continue
        p.paragraph_format.first_line_indent = BODY_SIZE * 2
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        kind = block.kind
        if kind == "paragraph" and FIRST_LEVEL.match(text):
            kind = "heading"
        elif kind == "paragraph" and SECOND_LEVEL.match(text):
            kind = "subheading"
        font = {"heading": HEADING_FONT, "subheading": SUBHEADING_FONT}.get(kind, BODY_FONT)
        run = p.add_run(text)
        _fonts(run, font, BODY_SIZE)
        _squeeze(run)
    waiting = _place(document, waiting, closing=section)
    for figure in waiting:  # at the end: after=None, or a section the text does not have
        _figure(document, figure)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
