"""``/api/``: the registered viewsets under ``/api/v1/``, the schema and its documentation page.
Outside ``i18n_patterns``: the language of labels and messages follows ``Accept-Language``."""

from django.urls import include, path
from rest_framework.routers import APIRootView, DefaultRouter

from .registry import registered_routes
from .views import DocumentationView, SchemaView


class RootView(APIRootView):
    """The browsable list of endpoints (for people signed in); not itself an endpoint of the schema."""

    schema = None


class Router(DefaultRouter):
    include_format_suffixes = False
    APIRootView = RootView


def build_router() -> Router:
    router = Router(trailing_slash=True)
    for route in registered_routes():
        router.register(route.prefix, route.viewset, basename=route.basename)
    return router


urlpatterns = [
    path("v1/", include((build_router().urls, "api"), namespace="api-v1")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocumentationView.as_view(), name="api-docs"),
]
