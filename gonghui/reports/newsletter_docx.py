"""A newsletter (工会简报) as a Word file on the official-document page of
officedoc (A4, GB/T 9704 margins, 仿宋 三号 body on a 28-line grid, page
numbers): a red masthead with the issue number, the union and the date over a
red rule, the lead in 楷体, then each item's headline in 黑体, its text and its
photos, and the 报/发 lines at the foot."""

import io
import logging

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, UnidentifiedImageError

from gonghui.reports.drafting.core import day_text
from gonghui.reports.newsletter_writer import masthead
from gonghui.reports.officedoc import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    SUBHEADING_FONT,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    _exact_spacing,
    _fonts,
    _page,
    _squeeze,
)
from gonghui.reports.render import blocks

log = logging.getLogger(__name__)

RED = RGBColor(0xE0, 0x00, 0x00)
MASTHEAD_SIZE = Pt(36)  # 小初
MIN_MASTHEAD_SIZE = Pt(22)  # 二号
ISSUE_TITLE_SIZE = Pt(18)  # 小二
CAPTION_SIZE = Pt(14)  # 四号
PHOTO_WIDTH = Mm(120)
PHOTO_HEIGHT = Mm(85)


def _rule(paragraph, *sides: str, color: str = "E00000", size: int = 12):
    """Lines across the text block over and/or under the paragraph: the 简报's rules."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "bottom"):  # the schema's order
        if side not in (sides or ("bottom",)):
            continue
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size))  # eighths of a point
        line.set(qn("w:space"), "4")
        line.set(qn("w:color"), color)
        borders.append(line)
    ppr.append(borders)


def _text(document, text: str, *, font=BODY_FONT, size=BODY_SIZE, align=None, indent=True):
    p = document.add_paragraph()
    _exact_spacing(p)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = BODY_SIZE * 2
    run = p.add_run(text)
    _fonts(run, font, size)
    if size == BODY_SIZE:
        _squeeze(run)
    return p


def masthead_size(text: str) -> Pt:
    """小初 (36 pt) when the name fits one line, smaller for a long one, never under 二号."""
    fits = Mm(TEXT_WIDTH_MM).pt * 0.95 / max(len(text), 1)
    return Pt(max(MIN_MASTHEAD_SIZE.pt, min(MASTHEAD_SIZE.pt, int(fits))))


def _masthead(document, newsletter, issued_on):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(6)
    name = masthead(newsletter.union)
    run = p.add_run(name)
    _fonts(run, TITLE_FONT, masthead_size(name))
    run.font.color.rgb = RED
    _text(
        document,
        f"第{newsletter.number}期",
        font=SUBHEADING_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    line = document.add_paragraph()
    _exact_spacing(line)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    _fonts(line.add_run(f"{newsletter.union.name}编\t{day_text(issued_on)}"), BODY_FONT, BODY_SIZE)
    _rule(line, "bottom", size=18)
    document.add_paragraph()  # a breath under the rule


def _photo(document, attachment, caption: str) -> bool:
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
    except (OSError, ValueError, UnidentifiedImageError):
        log.warning("newsletter photo %s could not be read", attachment.pk)
        return False
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would crop the photo
    fmt.space_before = Pt(6)
    size = {"height": PHOTO_HEIGHT} if height * 120 > width * 85 else {"width": PHOTO_WIDTH}
    p.add_run().add_picture(io.BytesIO(content), **size)
    if caption:
        _text(
            document,
            caption,
            font=SUBHEADING_FONT,
            size=CAPTION_SIZE,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
    return True


def _chart(document, chart) -> None:
    """An image chart (PNG bytes, title) after the items, when the charts module offers one."""
    if chart is None:
        return
    content, title = chart
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    try:
        p.add_run().add_picture(io.BytesIO(content), width=PHOTO_WIDTH)
    except Exception:  # noqa: BLE001 - a chart the library cannot draw is left out, not fatal
        log.warning("newsletter chart could not be embedded")
        return
    _text(
        document,
        title,
        font=SUBHEADING_FONT,
        size=CAPTION_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )


def to_docx(newsletter, *, issued_on, chart=None) -> bytes:
    """The newsletter as a .docx: masthead, lead, items with photos, and the 报/发 lines."""
    document = Document()
    _page(document)
    _masthead(document, newsletter, issued_on)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(title.add_run(newsletter.title), TITLE_FONT, ISSUE_TITLE_SIZE)
    for block in blocks(newsletter.lead):
        _text(document, block.text.strip(), font=SUBHEADING_FONT)
    items = newsletter.items.prefetch_related("photos__attachment")
    for item in items:
        heading = _text(document, f"◆ {item.headline}", font=HEADING_FONT, indent=False)
        heading.paragraph_format.space_before = Pt(10)
        heading.paragraph_format.keep_with_next = True
        for block in blocks(item.body):
            _text(document, block.text.strip())
        for photo in item.photos.all():
            _photo(document, photo.attachment, photo.caption)
    _chart(document, chart)
    document.add_paragraph()
    parent = newsletter.union.parent
    if parent is not None:
        top = _text(document, f"报：{parent.name}", size=Pt(14), indent=False)
        _rule(top, "top", color="000000", size=8)
    sent = _text(
        document, f"发：{newsletter.union.name}各部门、各工会小组", size=Pt(14), indent=False
    )
    _rule(sent, "bottom", *(() if parent else ("top",)), color="000000", size=8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
