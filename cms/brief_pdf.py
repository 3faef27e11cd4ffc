"""The country brief as a PDF (reportlab): the sections of ``cms.brief_layout`` drawn on Letter or A4, with
the security marking at the top and bottom of every page, "page x of y", a table of contents with PDF
bookmarks, charts as vector graphics, an embedded font with every French accent, and the title and
language in the document's metadata."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from lxml import html as lxml_html
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.tableofcontents import TableOfContents

from mcee.formatting import format_date

from .brief_data import CountryBrief
from .brief_layout import Section, Table, brief_sections

PAPER_SIZES = {"letter": LETTER, "a4": A4}
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARKING_RED = colors.HexColor("#5c1a1a")


def register_fonts() -> None:
    """DejaVu Sans (from npm's dejavu-fonts-ttf), embedded: every accent of French, and the narrow no-break
    space of French numbers."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    directory = Path(settings.MCEE_PDF_FONT_DIR)
    for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        path = directory / file
        if not path.exists():
            raise RuntimeError(f"The PDF font {path} is missing: run `make install` (npm ci) first.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=18, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=13, leading=16, spaceBefore=10, spaceAfter=5,
                             textColor=colors.HexColor("#26374a"), keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=6,
                             keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0,
                               textColor=colors.white),
        "warning": ParagraphStyle("warning", parent=base, textColor=colors.HexColor("#6b3a00"),
                                  backColor=colors.HexColor("#fff4e0"), borderPadding=3, spaceBefore=2),
        "toc": ParagraphStyle("toc", parent=base, leftIndent=10),
    }


class _NumberedCanvas(pdf_canvas.Canvas):
    """Holds every page until the end, so each can say "page x of y"."""

    footer_text = "Page %(page)s of %(pages)s"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#333333"))
            width = self._pagesize[0]
            self.drawRightString(width - 18 * mm, 10 * mm,
                                 self.footer_text % {"page": self._pageNumber, "pages": total})
            super().showPage()
        super().save()


class _BriefDocument(BaseDocTemplate):
    def __init__(self, buffer, *, brief: CountryBrief, pagesize):
        super().__init__(buffer, pagesize=pagesize, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                         bottomMargin=20 * mm, title=brief.title, author=_("Migration Cooperation and Engagement "
                                                                              "Envelope (IRCC)"),
                         subject=f"{brief.marking} — {brief.title}", lang=brief.language,
                         creator="MCEE")
        self.brief = brief
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="brief", frames=[frame], onPage=self._decorate)])
        self._bookmarks = 0

    def _decorate(self, canvas, doc):
        width, height = doc.pagesize
        canvas.saveState()
        for y in (height - 12 * mm, 8 * mm):
            canvas.setFillColor(MARKING_RED)
            canvas.rect(width / 2 - 40 * mm, y - 1.5 * mm, 80 * mm, 6 * mm, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(BOLD, 9)
            canvas.drawCentredString(width / 2, y, self.brief.marking)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.setFont(FONT, 8)
        canvas.drawString(18 * mm, 10 * mm, f"{self.brief.name} — {format_date(self.brief.on, self.brief.language)}")
        canvas.restoreState()

    def beforeDocument(self):  # noqa: N802 - reportlab's name; each pass of multiBuild starts again
        self._bookmarks = 0

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
        if isinstance(flowable, Paragraph) and getattr(flowable, "_toc_level", None) is not None:
            text = flowable.getPlainText()
            key = f"section-{self._bookmarks}"
            self._bookmarks += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=flowable._toc_level, closed=False)
            self.notify("TOCEntry", (flowable._toc_level, text, self.page, key))


def _heading(text: str, style: ParagraphStyle, level: int = 0) -> Paragraph:
    paragraph = Paragraph(escape(text), style)
    paragraph._toc_level = level
    return paragraph


def _table(table: Table, styles, width: float) -> list:
    flowables = [Paragraph(escape(table.caption), styles["h3"])]
    if not table.rows:
        flowables.append(Paragraph(escape(table.empty), styles["body"]))
        return flowables
    data = [[Paragraph(escape(h), styles["head"]) for h in table.headers]]
    for row in table.rows:
        data.append([Paragraph(escape(value), styles["cell_right" if i in table.numeric else "cell"])
                     for i, value in enumerate(row)])
    pdf_table = PdfTable(data, repeatRows=1, colWidths=[width / len(table.headers)] * len(table.headers))
    pdf_table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#26374a")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f2f3")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    flowables.append(pdf_table)
    return flowables


def _rich_text(html: str, styles) -> list:
    """The narrative's rich text as paragraphs: headings, paragraphs and list items, bold and italic kept."""
    if not html.strip():
        return []
    flowables = []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for element in root.iter("p", "h2", "h3", "h4", "li"):
        inner = escape(element.text_content())
        if element.tag in ("h2", "h3", "h4"):
            flowables.append(Paragraph(inner, styles["h3"]))
        elif element.tag == "li":
            flowables.append(Paragraph(f"• {inner}", styles["body"]))
        else:
            flowables.append(Paragraph(inner, styles["body"]))
    return flowables


def _section(section: Section, styles, width: float) -> list:
    # A section starts on a new page rather than leave its heading alone at the foot of one.
    flowables = [CondPageBreak(70 * mm), _heading(section.title, styles["h2"])]
    for label, value in section.facts:
        flowables.append(Paragraph(f"<b>{escape(label)}</b> : {escape(value)}" if translation.get_language() == "fr"
                                   else f"<b>{escape(label)}</b>: {escape(value)}", styles["body"]))
    for warning in section.warnings:
        flowables.append(Paragraph(escape(warning), styles["warning"]))
    for item in section.items:
        flowables.append(Paragraph(f"• {escape(item)}", styles["body"]))
    flowables.extend(_rich_text(section.html, styles))
    for chart in section.charts:
        drawing = chart.draw(FONT)
        scale = min(1.0, width / drawing.width)
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        flowables.append(KeepTogether([Paragraph(escape(chart.title), styles["h3"]), drawing]))
    for table in section.tables:
        flowables.extend(_table(table, styles, width))
    return flowables


def brief_pdf(brief: CountryBrief, *, paper: str = "letter") -> bytes:
    """The brief as PDF bytes; ``paper`` is "letter" or "a4"."""
    register_fonts()
    buffer = io.BytesIO()
    with translation.override(brief.language):
        styles = _styles()
        document = _BriefDocument(buffer, brief=brief, pagesize=PAPER_SIZES[paper])
        toc = TableOfContents()
        toc.levelStyles = [styles["toc"]]
        story = [Paragraph(escape(brief.title), styles["title"]),
                 Paragraph(escape(_("Category: %(category)s. Information as of %(date)s.") % {
                     "category": brief.category_label, "date": format_date(brief.on, brief.language)}),
                     styles["body"]),
                 Paragraph(escape(_("Contents")), styles["h3"]), toc, Spacer(1, 6)]
        for section in brief_sections(brief):
            story.extend(_section(section, styles, document.width))
        footer = _("Page %(page)s of %(pages)s")

        class Numbered(_NumberedCanvas):
            footer_text = footer

        document.multiBuild(story, canvasmaker=Numbered)
    return buffer.getvalue()


def pdf_filename(brief: CountryBrief) -> str:
    return f"brief-{brief.code.lower()}-{brief.language}-{brief.on.isoformat()}.pdf"


def meeting_zip(*, meeting, user, language: str, on=None) -> tuple[bytes, str]:
    """One PDF per country on ``meeting``'s agenda (as ``user`` may read them), in one ZIP: (bytes, file name)."""
    import zipfile

    from mcee.access import visible

    from .brief_data import country_brief
    from .models import CountryBriefPage

    narratives = dict(CountryBriefPage.objects.filter(locale__language_code=language)
                      .values_list("country_id", "narrative"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for country in visible(user, meeting.agenda_countries.all()).order_by("code"):
            brief = country_brief(country=country, user=user, on=on, language=language,
                                  narrative=narratives.get(country.pk, ""))
            archive.writestr(pdf_filename(brief), brief_pdf(brief))
    return buffer.getvalue(), f"briefs-rwg-{meeting.date.isoformat()}-{language}.zip"
