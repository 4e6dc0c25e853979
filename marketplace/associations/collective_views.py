"""Web pages of collective solutions (clusters on the worklist, solving a request through an
activity) and of handovers (handover_views.py adds its routes to the same blueprint).

Thin views: form → plain values → one service call → flash/redirect. Whoever may not see a
request or handover gets 404, as if it did not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from marketplace.accounts.loading import role_required
from marketplace.associations import collective
from marketplace.associations.handover_forms import SolveForm
from marketplace.associations.nearby import activities_nearby
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.help_requests.filters import km_filter
from marketplace.help_requests.models import HelpRequest
from marketplace.signals.forms import apply_errors

collective_bp = Blueprint("collective", __name__)

# How far the solve page looks for an activity of the request's kind.
SOLVE_RADIUS_KM = 10


@collective_bp.app_template_global()
def worker_clusters() -> list:
    """[(area, clusters)] for the signed-in worker: the worklist's cluster partial calls it."""
    if not current_user.is_authenticated or not current_user.has_role("worker"):
        return []
    return [(area, found) for area, found in collective.clusters_for_worker(current_user)
            if found]


# The worklist shows the largest groups and the first requests of each; the page of all
# groups (/werk/samen-oplossen) shows everything. Keeps the worklist's size bounded.
WORKLIST_GROUPS = 5
WORKLIST_GROUP_REQUESTS = 10


@collective_bp.app_template_global()
def worker_cluster_view(everything: bool = False) -> dict:
    """The worker's clusters for a page as [(area, clusters)]: on the worklist at most
    WORKLIST_GROUPS (largest first, over all their areas) with the first
    WORKLIST_GROUP_REQUESTS requests of each; `everything` for the page of all groups. Also
    how many groups there are in all, and how many requests a group lists (None: all)."""
    groups = worker_clusters()
    total = sum(len(found) for _area, found in groups)
    limit = None if everything else WORKLIST_GROUPS
    requests = None if everything else WORKLIST_GROUP_REQUESTS
    if limit is None or total <= limit:
        return {"groups": groups, "total": total, "shown": total, "requests_limit": requests}
    # Largest first; equal sizes in the order of the areas and of their own list.
    ranked = sorted(((-c.count, i, j) for i, (_a, found) in enumerate(groups)
                     for j, c in enumerate(found)))[:limit]
    keep = {(i, j) for _size, i, j in ranked}
    shown = [(area, [c for j, c in enumerate(found) if (i, j) in keep])
             for i, (area, found) in enumerate(groups)]
    return {"groups": [(a, f) for a, f in shown if f], "total": total, "shown": limit,
            "requests_limit": requests}


@collective_bp.get("/werk/samen-oplossen")
@role_required("worker")
def groups():
    """Every group of the same requests close together in the worker's areas."""
    return render_template("associations/groups.html")


@collective_bp.app_template_global()
def new_activity_url(category: str, pc4: str) -> str | None:
    """The activity form, filled in with the cluster's kind and place (None while that page
    does not exist)."""
    try:
        return url_for("associations.new_activity", category=category, postcode=pc4)
    except BuildError:
        return None


def _request_for_worker(request_id: int) -> HelpRequest:
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None or not current_user.has_role("worker") \
            or not collective.is_area_worker(current_user, help_request):
        abort(404)
    return help_request


@collective_bp.route("/hulpvragen/<int:request_id>/samen-oplossen", methods=["GET", "POST"])
@role_required("worker")
def solve(request_id: int):
    """Sign the resident up for an activity nearby; the request closes, solved by it."""
    help_request = _request_for_worker(request_id)
    nearby = activities_nearby(help_request.pc4, radius_km=SOLVE_RADIUS_KM,
                               category=help_request.category)
    form = SolveForm()
    form.activity_id.choices = [
        (str(n.activity.id),
         _("%(title)s in %(place)s, %(km)s km", title=n.activity.title, place=n.activity.place,
           km=km_filter(n.distance_km))
         + (" · " + _("%(n)s plaatsen vrij", n=n.spots_left) if n.spots_left is not None
            else "")) for n in nearby]
    if form.validate_on_submit():
        try:
            collective.solve_collectively(current_user, help_request, form.activity_id.data)
        except DomainError as error:
            db.session.rollback()
            if error.field is None and not hasattr(error, "errors"):
                form.form_errors.append(error.message)
            else:
                apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("De inwoner is aangemeld en de hulpvraag is afgesloten."), "success")
            return redirect(url_for("help_requests.detail", request_id=help_request.id))
    return render_template("associations/cluster_solve.html", help_request=help_request,
                           form=form, nearby=nearby, radius=SOLVE_RADIUS_KM)


from marketplace.associations import handover_views  # noqa: E402,F401  (same blueprint)
