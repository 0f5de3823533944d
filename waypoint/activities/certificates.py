"""Certificates of attendance as PDF, in the participant's language.

Made on demand from the registration and the event, so a certificate
downloaded by the staff and the one emailed to the participant are the same.
DejaVu Sans (Debian's ``fonts-dejavu-core``) has the Romanian, Bulgarian and
Greek letters.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from waypoint.activities.models import Event, EventType, Registration
from waypoint.activities.templatetags.activities import day_range
from waypoint.lib.countries import country_name
from waypoint.lib.pdf import unicode_fonts_add

# The line under the person's name: a whole sentence per type of event (the
# type's name alone would need its own article, gender and case).
ATTENDED: dict[str, Promise] = {
    EventType.SEMINAR: gettext_lazy("attended the seminar"),
    EventType.CONFERENCE: gettext_lazy("attended the conference"),
    EventType.LOCAL_CONFERENCE: gettext_lazy("attended the local conference"),
    EventType.FINAL_CONFERENCE: gettext_lazy("attended the final conference"),
    EventType.WORKSHOP: gettext_lazy("attended the workshop"),
    EventType.TRAINING: gettext_lazy("attended the training"),
    EventType.EXPERTS_MEETING: gettext_lazy("attended the experts meeting"),
    EventType.WORKING_GROUP: gettext_lazy("took part in the working group"),
    EventType.CASE_CONFERENCE: gettext_lazy("attended the case conference"),
    EventType.EXCHANGE_SEMINAR: gettext_lazy("attended the exchange seminar"),
    EventType.NETWORK_MEETING: gettext_lazy("attended the network meeting"),
}


def certificate_number(registration: Registration) -> str:
    return str(registration.pk).split("-")[0].upper()


def _place(event: Event) -> str:
    parts = [p for p in (event.venue, event.city, country_name(event.country)) if p]
    if event.online:
        parts.append(_("online"))
    return ", ".join(parts)


def certificate_pdf(registration: Registration, *, compress: bool = True) -> bytes:
    """One A4 landscape page certifying that the person attended the event."""
    if registration.certificate_issued_at is None:
        raise ValueError("no certificate was issued for this registration")
    event = registration.event
    with translation.override(registration.language or "en"):
        title = _("Certificate of attendance")
        organiser = event.organiser.name if event.organiser else ""
        pdf = FPDF(orientation="landscape", format="A4")
        pdf.set_compression(compress)
        unicode_fonts_add(pdf)
        pdf.set_title(title)
        pdf.set_author(organiser or "Waypoint")
        pdf.set_creator("Waypoint")
        pdf.set_lang(registration.language or "en")
        pdf.set_auto_page_break(auto=False)
        pdf.add_page()
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, 277, 190)
        pdf.set_y(32)
        pdf.set_font("DejaVu", "B", 28)
        pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font("DejaVu", size=13)
        pdf.cell(
            0, 8, _("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 22)
        pdf.cell(0, 12, registration.name, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=12)
        if registration.institution:
            pdf.cell(
                0, 7, registration.institution, align="C", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(4)
        pdf.set_font("DejaVu", size=13)
        pdf.cell(
            0,
            8,
            str(ATTENDED.get(event.type, gettext_lazy("attended the event"))),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("DejaVu", "B", 16)
        pdf.set_x(30)
        pdf.multi_cell(237, 9, event.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=12)
        when = day_range(event.start_date, event.end_date)
        place = _place(event)
        pdf.cell(
            0,
            8,
            f"{when} · {place}" if place else when,
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if organiser:
            pdf.cell(
                0,
                8,
                _("Organised by %(organiser)s") % {"organiser": organiser},
                align="C",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.set_y(172)
        pdf.set_font("DejaVu", size=10)
        issued = date_format(registration.certificate_issued_at, "DATE_FORMAT")
        pdf.cell(
            0,
            6,
            _("Issued on %(date)s · certificate no. %(number)s")
            % {"date": issued, "number": certificate_number(registration)},
            align="C",
        )
        return bytes(pdf.output())


def certificate_filename(registration: Registration) -> str:
    return f"certificate-{certificate_number(registration).lower()}.pdf"
