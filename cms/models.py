from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The front door, one per language: what the system is, and the way into the admin."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["briefs_index"] = CountryBriefIndexPage.objects.live().child_of(self).first()
        return context


class CountryBriefIndexPage(RoutablePageMixin, Page):
    """The country briefs in one language: a list of the countries the reader may read about, and the
    briefs of the next RWG meeting's agenda as one ZIP of PDFs."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CountryBriefPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("country brief index")

    @path("")
    def index(self, request):
        from .brief_views import brief_index

        return brief_index(request, self)

    @path("meeting/")
    def meeting_zip(self, request):
        from .brief_views import meeting_briefs_zip

        return meeting_briefs_zip(request, self)


class CountryBriefPage(RoutablePageMixin, Page):
    """One country's brief in one language. The figures are live (``cms.brief_data``); what editors write
    here is the narrative, in this page's language."""

    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="brief_pages",
                                verbose_name=_("country"))
    narrative = RichTextField(_("narrative"), blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"],
                              help_text=_("What the figures do not say: context, interpretation, what to raise. "
                                          "Write it in this page's language."))

    content_panels = Page.content_panels + [FieldPanel("narrative")]
    parent_page_types = ["cms.CountryBriefIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("country brief")

    @path("")
    def brief(self, request):
        from .brief_views import brief_page

        return brief_page(request, self)

    @path("pdf/")
    def brief_pdf(self, request):
        from .brief_views import brief_pdf_download

        return brief_pdf_download(request, self)

    def serve_preview(self, request, mode_name):
        if not request.user.is_authenticated:
            raise PermissionDenied
        from .brief_views import brief_page

        return brief_page(request, self)
