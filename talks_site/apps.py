from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    """Django's admin on our site class (talks_site.admin_site)."""

    default_site = "talks_site.admin_site.AdminSite"
