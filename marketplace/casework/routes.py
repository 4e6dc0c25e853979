"""Every route module of the casework blueprint, for the app factory (importing a module
registers its routes on ``blueprint.casework_bp``)."""

from marketplace.casework import (  # noqa: F401 - imported for their routes
    closing,
    data_views,
    for_resident,
    network_views,
    plan_views,
    referral_views,
    request_views,
    views,
)
from marketplace.casework.blueprint import casework_bp

__all__ = ["casework_bp"]
