""""Voorstellen voor alle open hulpvragen": the optimal batch for an area, reviewed by the
worker, who unticks what they do not want and sends the rest in one go.

GET shows the plan and writes nothing. POST computes the plan again and proposes only the
ticked pairs that are still in it (a request taken in between is skipped, never sent
twice). An area outside the worker's areas answers 404, as a missing one does."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from marketplace.accounts.loading import role_required
from marketplace.areas.models import Area
from marketplace.areas.services import get_by_code
from marketplace.brokering import batch_proposals
from marketplace.brokering.worker_views import worker_bp
from marketplace.categories.services import label
from marketplace.extensions import db
from marketplace.help_requests.access import worker_area_ids

WHY_LABELS = {
    batch_proposals.NO_SKILL_NEARBY: _l("niemand in de buurt helpt met deze soort hulp"),
    batch_proposals.NO_VOG: _l("wel iemand in de buurt, maar zonder de VOG die hier nodig is"),
    batch_proposals.NO_CAPACITY: _l("wie in de buurt kan helpen, heeft pauze of al genoeg te "
                                    "doen"),
}


def _area() -> Area:
    code = (request.values.get("gebied") or "").strip()[:40]
    mine = sorted(current_user.areas, key=lambda a: (a.level, a.name))
    found = get_by_code(code) if code else (mine[0] if mine else None)
    if found is None or found.id not in worker_area_ids(current_user):
        abort(404)
    return found


@worker_bp.get("/voorstellen")
@role_required("worker")
def batch():
    area = _area()
    found = batch_proposals.plan(area)
    db.session.rollback()  # reading only
    return render_template("worker/batch.html", plan=found, area=area,
                           areas=sorted(current_user.areas, key=lambda a: (a.level, a.name)),
                           why_labels=WHY_LABELS, label=label)


@worker_bp.post("/voorstellen")
@role_required("worker")
def batch_send():
    area = _area()
    keys = request.form.getlist("pair")
    if not keys:
        flash(_("U heeft geen voorstel aangevinkt. Er is niets verstuurd."), "info")
        return redirect(url_for("worker.batch", gebied=area.code))
    found = batch_proposals.plan(area)
    sent = batch_proposals.send(found, keys, worker=current_user)
    db.session.commit()
    skipped = len(set(keys)) - len(sent)
    flash(ngettext("%(num)d voorstel verstuurd.", "%(num)d voorstellen verstuurd.", len(sent)),
          "success")
    if skipped > 0:
        flash(ngettext("%(num)d voorstel niet verstuurd: de situatie is intussen veranderd.",
                       "%(num)d voorstellen niet verstuurd: de situatie is intussen veranderd.",
                       skipped), "info")
    return redirect(url_for("worker.batch", gebied=area.code))
