"""The annual activity report and the newsletters as PDF and DOCX.

``report_outline`` turns the selector's ``AnnualReportData`` (and
``newsletter_outline`` its ``NewsletterData``) into a short list of blocks
(headings, paragraphs, lists, fact lists, tables) in the reader's language;
the PDF and DOCX writers only lay those blocks out, so the two downloads
cannot say different things. The newsletter's web page shows the same blocks.

The PDF embeds DejaVu Sans (Debian's ``fonts-dejavu-core``), which has the
Romanian, Bulgarian and Greek letters that the core PDF fonts lack.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from fpdf import FPDF

from waypoint.activities.models import Event, FundingProgramme, PartnerRole, Project
from waypoint.activities.report_text import EventTexts
from waypoint.activities.selectors import AnnualReportData, NewsletterData
from waypoint.activities.templatetags.activities import day_range, partial_date
from waypoint.directory.models import Address
from waypoint.lib.countries import country_name
from waypoint.lib.pdf import unicode_fonts_add

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A newsletter's funding line, one whole sentence per programme (the name
# alone would need its own article and case in each language).
FINANCED_BY: dict[str, Promise] = {
    FundingProgramme.JUSTICE: gettext_lazy(
        "Financed by the Justice Programme of the European Union"
    ),
    FundingProgramme.ISF_POLICE: gettext_lazy(
        "Financed by the Internal Security Fund Police of the European Union"
    ),
    FundingProgramme.REC: gettext_lazy(
        "Financed by the Rights, Equality and Citizenship Programme of the "
        "European Union"
    ),
    FundingProgramme.OTHER: gettext_lazy("Financed from other sources"),
}


@dataclass
class Block:
    """One piece of the report: ``kind`` is heading, text, items, facts or table."""

    kind: str
    text: str = ""
    level: int = 1
    items: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Outline:
    title: str
    organization: str
    language: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Block("heading", text=text, level=level))

    def paragraphs(self, text: str) -> None:
        for part in (p.strip() for p in text.split("\n\n")):
            if part:
                self.blocks.append(Block("text", text=part))

    def items(self, items: list[str]) -> None:
        if items:
            self.blocks.append(Block("items", items=items))

    def lines(self, text: str) -> None:
        self.items([line.strip() for line in text.splitlines() if line.strip()])


def event_place(event: Event) -> str:
    place = ", ".join(p for p in (event.city, country_name(event.country)) if p)
    if event.online:
        return f"{place} ({_('online')})" if place else _("online")
    return place


def event_participants(event: Event) -> str:
    total = event.participants_total
    return str(total) if total is not None else _("not recorded")


def event_who(event: Event, language: str) -> str:
    parts = []
    if event.participant_professions:
        parts.append(", ".join(row.label for row in event.participant_professions))
    if event.participant_countries:
        names = ", ".join(country_name(r.code) for r in event.participant_countries)
        parts.append(_("countries: %(countries)s") % {"countries": names})
    if event.participant_institutions:
        parts.append(", ".join(row.code for row in event.participant_institutions))
    if event.speakers:
        speakers = event.translated("speakers", language)
        parts.append(f"{_('Trainers and speakers:')} {speakers}")
    return "; ".join(parts)


def _events_table(events: list[Event], language: str, texts: EventTexts) -> Block:
    """The rows say what ``event_place``, ``event_participants`` and
    ``event_who`` say, with each name translated once for the whole report."""
    rows = []
    for e in events:
        place = ", ".join(p for p in (e.city, texts.country(e.country)) if p)
        if e.online:
            place = f"{place} ({_('online')})" if place else _("online")
        seen = texts.attendance(e)
        who = []
        if seen.professions:
            who.append(", ".join(seen.professions))
        if seen.countries:
            names = ", ".join(texts.country(code) for code in seen.countries)
            who.append(_("countries: %(countries)s") % {"countries": names})
        if seen.institutions:
            who.append(", ".join(seen.institutions))
        if e.speakers:
            speakers = e.translated("speakers", language)
            who.append(f"{_('Trainers and speakers:')} {speakers}")
        rows.append(
            [
                texts.day_range(e.start_date, e.end_date),
                f"{e.translated('title', language)} ({texts.type(e)})",
                place,
                str(seen.total) if seen.total is not None else _("not recorded"),
                "; ".join(who),
            ]
        )
    return Block(
        "table",
        header=[
            _("Date"),
            _("Event"),
            _("Place"),
            _("Participants"),
            _("Who took part"),
        ],
        rows=rows,
    )


def _period(project: Project) -> str:
    start = partial_date(project.start_date, project.start_precision)
    end = (
        partial_date(project.end_date, project.end_precision)
        if project.end_date
        else _("ongoing")
    )
    return f"{start} – {end}"


def _project_facts(project: Project, language: str) -> list[tuple[str, str]]:
    funding = project.get_funding_programme_display()
    if project.grant_reference:
        grant = _("grant %(reference)s") % {"reference": project.grant_reference}
        funding += f" ({grant})"
    facts = [(_("Funding"), funding), (_("Period"), _period(project))]
    members = list(project.memberships.all())
    for member in members:
        if member.role == PartnerRole.COORDINATOR:
            facts.append(
                (_("Coordinator"), member.organization.translated("name", language))
            )
    partners = [
        member.organization.translated("name", language)
        + (f" ({member.get_role_display()})" if member.role == "associate" else "")
        for member in members
        if member.role != PartnerRole.COORDINATOR
    ]
    if partners:
        facts.append((_("Partners"), "; ".join(partners)))
    if project.countries:
        facts.append(
            (_("Countries"), ", ".join(country_name(c) for c in project.countries))
        )
    if project.website:
        facts.append((_("Website"), project.website))
    return facts


def _address_text(address: Address) -> str:
    lines = [address.attention, address.address_1, address.address_2]
    city = " ".join(p for p in (address.postal_code, address.city) if p)
    if address.state_province and address.state_province != address.city:
        city += f", {address.state_province}"
    lines += [city, country_name(address.country)]
    return "\n".join(line for line in lines if line)


def _publications_and_campaigns(
    outline: Outline,
    publications: Sequence[Any],
    campaigns: Sequence[Any],
    language: str,
    level: int,
) -> None:
    """The publications and awareness campaigns of a project, one line each
    (the annual report and the newsletter list them alike)."""
    if publications:
        outline.heading(_("Publications"), level)
        outline.items(
            [
                f"{p.translated('title', language)} — {p.get_type_display()}, "
                f"{partial_date(p.published, p.published_precision)}"
                for p in publications
            ]
        )
    if campaigns:
        outline.heading(_("Awareness campaigns"), level)
        outline.items(
            [
                ", ".join(
                    [
                        f"{c.translated('title', language)} — "
                        f"{c.translated('channel', language)}",
                        *(country_name(code) for code in c.countries),
                    ]
                )
                for c in campaigns
            ]
        )


def report_outline(data: AnnualReportData, language: str) -> Outline:
    """The report's content in ``language``, in the web page's order."""
    report, org = data.report, data.organization
    title = _("Annual activity report %(year)s") % {"year": report.year}
    outline = Outline(
        title=title, organization=org.translated("name", language), language=language
    )

    def text(obj: object, name: str) -> str:
        return str(obj.translated(name, language))  # type: ignore[attr-defined]

    texts = EventTexts(data.participant_counts)

    if report.foreword:
        outline.heading(_("Foreword"))
        outline.paragraphs(text(report, "foreword"))

    outline.heading(_("Organisational structure"))
    outline.paragraphs(text(report, "about"))
    if report.values:
        outline.heading(_("Fundamental values"), 2)
        outline.lines(text(report, "values"))
    if report.objectives:
        outline.heading(_("Objectives"), 2)
        outline.lines(text(report, "objectives"))
    if data.departments:
        outline.heading(_("Departments and staff"), 2)
        outline.blocks.append(
            Block(
                "table",
                header=[
                    _("Department"),
                    _("Responsibilities"),
                    _("Staff and collaborators"),
                ],
                rows=[
                    [
                        text(d, "name"),
                        text(d, "responsibilities"),
                        "; ".join(
                            f"{str(s.get_role_display()).capitalize()}: {s.count}"
                            for s in d.staff.all()
                        ),
                    ]
                    for d in data.departments
                ],
            )
        )

    outline.heading(_("Projects"))
    outline.paragraphs(text(report, "projects_introduction"))
    if not data.projects:
        outline.paragraphs(_("No projects ran in this year."))
    for section in data.projects:
        project = section.project
        heading = text(project, "title")
        if project.acronym:
            heading += f" ({project.acronym})"
        outline.heading(heading, 2)
        outline.blocks.append(Block("facts", facts=_project_facts(project, language)))
        if project.objectives:
            outline.heading(_("Objectives"), 3)
            outline.paragraphs(text(project, "objectives"))
        if project.outputs:
            outline.heading(_("Outputs"), 3)
            outline.paragraphs(text(project, "outputs"))
        if section.events:
            outline.heading(_("Events"), 3)
            outline.blocks.append(_events_table(section.events, language, texts))
        _publications_and_campaigns(
            outline, section.publications, section.campaigns, language, 3
        )

    outline.heading(_("International events"))
    outline.paragraphs(text(report, "international_introduction"))
    if data.international_events:
        outline.blocks.append(_events_table(data.international_events, language, texts))
    else:
        outline.paragraphs(_("No international events are recorded for this year."))

    outline.heading(_("Partners"))
    outline.paragraphs(text(report, "partners_introduction"))
    for group in data.partners:
        outline.heading(str(group.kind.label), 2)
        outline.items(
            [
                p.translated("name", language)
                + (f" ({country_name(p.country)})" if p.country else "")
                for p in group.partners
            ]
        )

    outline.heading(_("Contact information"))
    for address in data.addresses:
        outline.blocks.append(Block("text", text=_address_text(address)))
    contact = []
    if org.website:
        contact.append((_("Website"), org.website))
    if org.email:
        contact.append((_("Email"), org.email))
    if contact:
        outline.blocks.append(Block("facts", facts=contact))
    return outline


def _period_text(start: date, end: date) -> str:
    last = _("ongoing") if end == date.max else date_format(end, "DATE_FORMAT")
    return f"{date_format(start, 'DATE_FORMAT')} – {last}"


def _event_facts(event: Event, language: str) -> list[tuple[str, str]]:
    facts = [
        (_("Type"), str(event.get_type_display())),
        (_("Date"), day_range(event.start_date, event.end_date)),
    ]
    place = event_place(event)
    if event.venue:
        place = f"{event.venue}, {place}" if place else event.venue
    if place:
        facts.append((_("Place"), place))
    facts.append((_("Participants"), event_participants(event)))
    who = event_who(event, language)
    if who:
        facts.append((_("Who took part"), who))
    return facts


def _newsletter_events(
    outline: Outline, events: list[Event], language: str, level: int
) -> None:
    """A list of the events, as the newsletters print it, then each event
    under a heading of ``level`` (the PDF's outline allows no skipped level)."""
    outline.items(
        [
            f"{e.translated('title', language)}, {day_range(e.start_date, e.end_date)}"
            + (f", {e.city}" if e.city else "")
            for e in events
        ]
    )
    for event in events:
        outline.heading(event.translated("title", language), level)
        outline.blocks.append(Block("facts", facts=_event_facts(event, language)))
        if event.topics:
            outline.paragraphs(event.translated("topics", language))
        if event.description:
            outline.paragraphs(event.translated("description", language))


def newsletter_outline(data: NewsletterData, language: str) -> Outline:
    """A newsletter in ``language``: the project (or the period's projects),
    their events with dates, places and participants, publications and
    campaigns, then the events outside projects."""
    project = data.project
    period = _period_text(data.start, data.end)
    if project is not None:
        subtitle = project.translated("title", language)
        if project.acronym:
            subtitle += f" ({project.acronym})"
        author = (
            project.coordinator.translated("name", language)
            if project.coordinator is not None
            else project.acronym or subtitle
        )
    else:
        subtitle = period
        author = (
            data.organization.translated("name", language)
            if data.organization is not None
            else "Waypoint"
        )
    outline = Outline(
        title=_("Newsletter"),
        organization=author,
        language=language,
        subtitle=subtitle,
    )
    events = data.events
    publications = [p for s in data.sections for p in s.publications]
    campaigns = [c for s in data.sections for c in s.campaigns]
    if project is not None:
        outline.paragraphs(
            str(FINANCED_BY.get(project.funding_programme, FINANCED_BY["other"]))
        )
    outline.blocks.append(
        Block(
            "facts",
            facts=[
                (_("Period"), period),
                (_("Events"), str(len(events))),
                (_("Publications"), str(len(publications))),
                (_("Awareness campaigns"), str(len(campaigns))),
            ],
        )
    )
    if not events and not publications and not campaigns:
        outline.paragraphs(_("Nothing is recorded for this period."))
    for section in data.sections:
        current = section.project
        heading = current.translated("title", language)
        if current.acronym:
            heading += f" ({current.acronym})"
        outline.heading(heading, 1)
        outline.blocks.append(Block("facts", facts=_project_facts(current, language)))
        if current.objectives:
            outline.heading(_("Objectives"), 2)
            outline.paragraphs(current.translated("objectives", language))
        if section.events:
            outline.heading(_("Events"), 2)
            _newsletter_events(outline, section.events, language, 3)
        _publications_and_campaigns(
            outline, section.publications, section.campaigns, language, 2
        )
    if data.other_events:
        outline.heading(_("Other events"), 1)
        _newsletter_events(outline, data.other_events, language, 2)
    return outline


def newsletter_filename(data: NewsletterData, extension: str) -> str:
    if data.project is not None:
        name = slugify(data.project.acronym or data.project.title)[:40] or "project"
        return f"newsletter-{name}.{extension}"
    return f"newsletter-{data.start.isoformat()}-{data.end.isoformat()}.{extension}"


# --- PDF ---


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(
            0,
            6,
            f"{self.footer_text} · {self.page_no()}",
            align="C",
        )


# Column widths (mm) of the events and the departments tables.
_WIDTHS: dict[int, tuple[float, ...]] = {5: (30, 52, 30, 22, 56), 3: (55, 80, 55)}


def _pdf_setup(outline: Outline, *, compress: bool) -> _ReportPDF:
    pdf = _ReportPDF(format="A4")
    pdf.set_compression(compress)
    unicode_fonts_add(pdf)
    pdf.set_title(outline.title)
    pdf.set_author(outline.organization)
    pdf.set_lang(outline.language)
    pdf.set_creator("Waypoint")
    pdf.footer_text = f"{outline.organization} — {outline.title}"
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(10, 12, 10)
    return pdf


def _pdf_cover(pdf: _ReportPDF, outline: Outline) -> None:
    pdf.add_page()
    pdf.set_font("DejaVu", size=13)
    pdf.multi_cell(0, 8, outline.organization, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 11, outline.title, new_x="LMARGIN", new_y="NEXT")
    if outline.subtitle:
        pdf.set_font("DejaVu", size=13)
        pdf.multi_cell(0, 8, outline.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def outline_pdf(outline: Outline, *, compress: bool = True) -> bytes:
    """The document as PDF; ``compress=False`` leaves the page text readable."""
    pdf = _pdf_setup(outline, compress=compress)
    _pdf_cover(pdf, outline)
    sizes = {1: 16, 2: 13, 3: 11}
    breaker = _LineBreaker(pdf)
    for block in outline.blocks:
        if block.kind == "heading":
            pdf.ln(2)
            if block.level == 1 and pdf.get_y() > 200:
                pdf.add_page()
            pdf.start_section(block.text, level=block.level - 1)
            pdf.set_font("DejaVu", "B", sizes.get(block.level, 11))
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "text":
            pdf.set_font("DejaVu", size=10)
            pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "items":
            pdf.set_font("DejaVu", size=10)
            for item in block.items:
                pdf.multi_cell(0, 5, f"• {item}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "facts":
            for label, value in block.facts:
                pdf.set_font("DejaVu", "B", 10)
                pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
                pdf.set_font("DejaVu", size=10)
                pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "table":
            _pdf_table(pdf, block, breaker)
    return bytes(pdf.output())


class _LineBreaker:
    """Breaks cell text into lines that fit a column, measuring each word once.

    A report's table repeats the same words (months, places, professions)
    thousands of times: a cache of their widths makes the breaking cheap,
    where fpdf2's general line breaking costs milliseconds a cell.
    """

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, float, str], float] = {}

    def width(self, text: str) -> float:
        key = (self.pdf.font_style, self.pdf.font_size_pt, text)
        width = self.widths.get(key)
        if width is None:
            width = self.widths[key] = self.pdf.get_string_width(text)
        return width

    def lines(self, text: str, width: float) -> list[str]:
        space = self.width(" ")
        out: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in paragraph.split():
                size = self.width(word)
                if size > width:
                    # A word wider than the column is cut where it must be.
                    if line:
                        out.append(" ".join(line))
                    *full, word = self._cut(word, width)
                    out.extend(full)
                    line, used = [word], self.width(word)
                elif line and used + space + size > width:
                    out.append(" ".join(line))
                    line, used = [word], size
                else:
                    used += (space if line else 0.0) + size
                    line.append(word)
            out.append(" ".join(line))
        return out

    def _cut(self, word: str, width: float) -> list[str]:
        pieces: list[str] = []
        piece = ""
        for char in word:
            if piece and self.pdf.get_string_width(piece + char) > width:
                pieces.append(piece)
                piece = ""
            piece += char
        return [*pieces, piece]


_CELL_PADDING = 1.0
_LINE_HEIGHT = 4.0
_TABLE_FONT_SIZE = 8


def _pdf_table(pdf: _ReportPDF, block: Block, breaker: _LineBreaker) -> None:
    """A table with a bordered cell per value, its heading row repeated on
    each page; a row taller than a page goes on over the next."""
    widths = _WIDTHS.get(len(block.header)) or tuple(
        [pdf.epw / len(block.header)] * len(block.header)
    )
    inner = [w - 2 * _CELL_PADDING for w in widths]

    def broken(values: list[str], style: str) -> list[list[str]]:
        pdf.set_font("DejaVu", style, _TABLE_FONT_SIZE)
        return [breaker.lines(v, w) for v, w in zip(values, inner, strict=True)]

    def draw(cells: list[list[str]], style: str, first: int, count: int) -> None:
        pdf.set_font("DejaVu", style, _TABLE_FONT_SIZE)
        top = pdf.y
        height = count * _LINE_HEIGHT + 2 * _CELL_PADDING
        # The baseline sits where fpdf2's cells put it, centred in the line.
        baseline = top + _CELL_PADDING + (_LINE_HEIGHT + 0.7 * pdf.font_size) / 2
        x = pdf.l_margin
        for lines, width in zip(cells, widths, strict=True):
            pdf.rect(x, top, width, height)
            for number, line in enumerate(lines[first : first + count]):
                if line:
                    pdf.text(x + _CELL_PADDING, baseline + number * _LINE_HEIGHT, line)
            x += width
        pdf.set_xy(pdf.l_margin, top + height)

    def room() -> int:
        """How many lines of a row fit before the page ends."""
        free = pdf.page_break_trigger - pdf.y - 2 * _CELL_PADDING
        return max(int(free // _LINE_HEIGHT), 0)

    header = broken(block.header, "B")
    header_lines = max(len(c) for c in header)
    fresh = -1.0  # where the rows of a page start, under its heading row

    def heading(*, new_page: bool) -> None:
        nonlocal fresh
        if new_page or room() < header_lines + 1:
            pdf.add_page()
        draw(header, "B", 0, header_lines)
        fresh = pdf.y

    heading(new_page=False)
    for values in block.rows:
        cells = broken(values, "")
        total = max(len(c) for c in cells)
        if total > room() and pdf.y > fresh:
            heading(new_page=True)
        done = 0
        while True:
            # At least one line a page, whatever the page's room.
            count = max(min(total - done, room()), 1)
            draw(cells, "", done, count)
            done += count
            if done >= total:
                break
            heading(new_page=True)
    pdf.ln(3)


# --- DOCX ---


def outline_docx(outline: Outline) -> bytes:
    document = Document()
    properties = document.core_properties
    properties.title = outline.title
    properties.author = outline.organization
    properties.language = outline.language
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    document.add_paragraph(outline.organization)
    document.add_heading(outline.title, level=0)
    if outline.subtitle:
        document.add_paragraph(outline.subtitle, style="Subtitle")
    for block in outline.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 9))
        elif block.kind == "text":
            for line in block.text.split("\n\n"):
                document.add_paragraph(line)
        elif block.kind == "items":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "facts":
            for label, value in block.facts:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        elif block.kind == "table":
            _docx_table(document, block)
            document.add_paragraph()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Characters that XML 1.0 cannot hold: Word would refuse the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _docx_runs(text: str) -> str:
    """A cell's text as runs XML, line breaks and tabs as Word's own."""
    lines = []
    for line in _NOT_XML.sub("", text).split("\n"):
        parts = [
            f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else ""
            for part in line.split("\t")
        ]
        lines.append("<w:tab/>".join(parts))
    return f"<w:r>{'<w:br/>'.join(lines)}</w:r>" if text else ""


def _docx_table(document: DocxDocument, block: Block) -> None:
    """A table whose body rows are written as XML in one go.

    python-docx adds a row at a time, each walking the whole table, which
    takes seconds for the thousands of events of a busy year; here the
    heading row comes from python-docx (style, widths) and the rows copy its
    cell properties.
    """
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    properties = [cell._tc.tcPr for cell in table.rows[0].cells]
    rows = "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p>{_docx_runs(value)}</w:p></w:tc>" for value in values)
        + "</w:tr>"
        for values in block.rows
    )
    body = parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>")
    for row in body:
        for cell, props in zip(row, properties, strict=True):
            if props is not None:
                cell.insert(0, deepcopy(props))
    table._tbl.extend(list(body))


# The annual report was the first document; its callers keep these names.
annual_report_pdf = outline_pdf
annual_report_docx = outline_docx


def filename(year: int, extension: str) -> str:
    return f"annual-report-{year}.{extension}"
