"""The technical admin site: django-otp's admin site, so only a session that passed the second factor
gets in (the access chain of ``accounts.access`` already sends everyone else to their second factor
before any admin view; this is the second lock).

``core.admin_apps.AdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` so that
``admin.site`` and every ``@admin.register`` use this site. Its URL prefix is ``settings.ADMIN_URL``.
"""

from django_otp.admin import OTPAdminSite


class ConvergenceAdminSite(OTPAdminSite):
    site_header = "Convergence — administration technique"
    site_title = "Convergence"
    index_title = "Administration technique"

    def __init__(self, name="admin"):
        super().__init__(name)
