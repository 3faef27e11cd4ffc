from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .services import ensure_key_message_editable, validate_country_shares


class ProjectAdminForm(WagtailAdminModelForm):
    """The admin's project form: the country shares in the inline must add up to 100 %."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("country_shares")
        if formset is not None and all(f.is_valid() for f in formset.forms):
            shares = [
                f.cleaned_data["share"]
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("share") is not None
            ]
            try:
                validate_country_shares(shares)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class KeyMessageAdminForm(WagtailAdminModelForm):
    """A key message is written and corrected as a draft only; approval and retirement are actions of
    their own (``projects.services``), never a field of this form."""

    def clean(self):
        cleaned = super().clean()
        try:
            ensure_key_message_editable(self.instance)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned
