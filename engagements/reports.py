"""Reports of the Removals Working Group's records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mcee.reports import Column, Report, register

from .models import EscalationLevel
from .selectors import countries_with_escalation


class EscalationOptions(forms.Form):
    on = forms.DateField(label=_("On"), required=False,
                         help_text=_("The date to look at (YYYY-MM-DD); today if empty."))


@register
class CurrentEscalationReport(Report):
    slug = "escalation-current"
    title = _("Current escalation step by country")
    description = _("Each country's step on the escalation ladder in effect on the date, and since when. "
                    "Visible to MCET and the RWG only.")
    columns = [
        Column("country", _("Country")),
        Column("step", _("Step"), display=lambda v: str(EscalationLevel(v).label)),
        Column("since", _("Since")),
    ]
    options_form = EscalationOptions
    audience_model = "engagements.escalationstep"

    def rows(self):
        countries = countries_with_escalation(on=self.options.get("on")).exclude(escalation_level=None)
        return [{"country": c.code.code, "step": c.escalation_level, "since": c.escalation_since}
                for c in sorted(countries, key=lambda c: (-c.escalation_level, c.code.code))]
