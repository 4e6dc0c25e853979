"""Every route module of the admin blueprint, for the app factory."""

from marketplace.admin import audit_views, views  # noqa: F401 - imported for their routes
from marketplace.admin.blueprint import admin_bp

__all__ = ["admin_bp"]
