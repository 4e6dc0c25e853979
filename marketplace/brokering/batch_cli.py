"""``flask matching propose --area CODE [--dry-run]`` (CONTRACT.md §4): one optimal batch of
proposals for the open, unassigned requests of an area, printed as one JSON object."""

from __future__ import annotations

import json

import click

from marketplace.cli import CommandGroup, fail
from marketplace.extensions import db

matching_cli = CommandGroup("matching", help="Matching volunteers to open requests.")


@matching_cli.command("propose")
@click.option("--area", "area_code", required=True, help="Area code (and everything below).")
@click.option("--dry-run", is_flag=True, help="Show the batch; write and send nothing.")
def matching_propose(area_code, dry_run):
    """Propose one volunteer per open, unassigned request of the area (optimal batch)."""
    from marketplace.areas.services import get_by_code
    from marketplace.brokering import batch_proposals

    area = get_by_code(area_code.strip())
    if area is None:
        fail(f"area {area_code.strip()!r} does not exist (see 'flask areas create')")
    found = batch_proposals.plan(area)
    if not dry_run:
        batch_proposals.send(found, [p.key for p in found.pairs])
        db.session.commit()
    else:
        db.session.rollback()
    click.echo(json.dumps(found.summary(), ensure_ascii=False))
