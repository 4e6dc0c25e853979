"""Weekly sweep: each area's workers hear about the clusters that are new since last time.

A cluster is "new" when its set of requests was never mailed for that area: the sweep ledger
(sweep_record) remembers each mailed cluster under ``AreaCluster.key``. A cluster that grows
is a new set, so it is mailed again; the same set never twice.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from marketplace.associations.collective import (
    areas_with_workers,
    clusters_for_area,
    workers_assigned_to,
)
from marketplace.brokering.notify import public_url
from marketplace.categories.services import label
from marketplace.extensions import db
from marketplace.followup.ledger import claim
from marketplace.notifications.outbox import enqueue

JOB = "cluster_digest"


def mail_new_clusters(now: datetime) -> int:
    """Returns how many new clusters were mailed (0 when every cluster was mailed before)."""
    handled = 0
    for area in areas_with_workers():
        new = [c for c in clusters_for_area(area, now) if claim(c.key(area), JOB, now)]
        if not new:
            continue
        handled += len(new)
        batch = hashlib.sha256("|".join(c.key(area) for c in new).encode()).hexdigest()[:24]
        lines = [{"category": label(c.category), "count": c.count, "pc4": c.centre_pc4,
                  "activities": len(c.suggested)} for c in new]
        url = public_url("worker.worklist")
        for worker in workers_assigned_to(area):
            if worker.email:
                enqueue(worker.email, "cluster_digest",
                        dedupe_key=f"cluster-digest:{area.id}:{worker.id}:{batch}",
                        locale=worker.locale, now=now, user=worker, area=area.name,
                        clusters=lines, url=url)
    db.session.flush()
    return handled
