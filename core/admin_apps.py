from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """``django.contrib.admin`` with our site (``core/admin_site.py``) as ``admin.site``. A module of its
    own: ``INSTALLED_APPS`` imports it before the models exist, which the site's module needs."""

    default_site = "core.admin_site.ConvergenceAdminSite"
