"""Every route module of the help requests blueprint, for the app factory (importing a module
registers its routes and template filters on ``blueprint.help_requests_bp``)."""

from marketplace.help_requests import filters, steps, views  # noqa: F401 - for their routes
from marketplace.help_requests.blueprint import help_requests_bp

__all__ = ["help_requests_bp"]
