"""Admin registration of the reader side: the performance dashboard."""

from wagtail import hooks

from . import admin_dashboard


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return admin_dashboard.urlpatterns()


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return admin_dashboard.menu_item()
