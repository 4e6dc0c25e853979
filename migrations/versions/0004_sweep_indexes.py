"""sweep indexes: every sweep reads what is due, not the history

Check-ins get ``closed_at`` (support ended before they were asked or answered) and two
partial indexes, one per sweep; arrangements get ``reciprocity_checked_at`` and indexes for
"who carries on?", overdue evaluations and the reciprocity invitation; invitations, requests
and signals get partial indexes for the reminder and the retention sweeps.

Revision ID: 0004_sweep_indexes
Revises: 0003_casework
Create Date: 2026-11-23 11:05:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_sweep_indexes'
down_revision = '0003_casework'
branch_labels = None
depends_on = None

UNSENT = "sent_at IS NULL AND closed_at IS NULL"
UNANSWERED = ("sent_at IS NOT NULL AND done_at IS NULL AND escalated_at IS NULL "
              "AND closed_at IS NULL")


def _partial(name, table, column, where):
    # (column, id): the sweeps order by both, so a page stops at its LIMIT.
    op.create_index(name, table, [column, 'id'], unique=False,
                    sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade():
    op.add_column('check_in', sa.Column('closed_at', sa.DateTime(), nullable=True))
    op.add_column('arrangement',
                  sa.Column('reciprocity_checked_at', sa.DateTime(), nullable=True))

    # What happened before this revision, in the new columns: check-ins of ended support
    # that were never asked or never answered are closed; support whose resident was
    # invited already counts as checked.
    now = datetime.now(UTC).replace(tzinfo=None)
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE check_in SET closed_at = :now WHERE closed_at IS NULL "
        "AND (sent_at IS NULL OR (done_at IS NULL AND escalated_at IS NULL)) "
        "AND arrangement_id IN (SELECT id FROM arrangement WHERE status = 'ended')"
    ).bindparams(sa.bindparam("now", now, type_=sa.DateTime())))
    # Requests renewed after expiry kept their closed_at; now reopening clears it.
    bind.execute(sa.text(
        "UPDATE help_request SET closed_at = NULL WHERE closed_at IS NOT NULL "
        "AND status NOT IN ('closed', 'withdrawn', 'referred', 'expired')"))
    bind.execute(sa.text(
        "UPDATE arrangement SET reciprocity_checked_at = (SELECT invited_at FROM "
        "reciprocity_invitation WHERE reciprocity_invitation.arrangement_id = arrangement.id) "
        "WHERE id IN (SELECT arrangement_id FROM reciprocity_invitation)"))

    op.drop_index('ix_check_in_due_on_sent_at', table_name='check_in')
    _partial('ix_check_in_unsent_due_on', 'check_in', 'due_on', UNSENT)
    _partial('ix_check_in_unanswered_sent_at', 'check_in', 'sent_at', UNANSWERED)
    op.create_index('ix_arrangement_status_planned_end_on', 'arrangement',
                    ['status', 'planned_end_on'], unique=False)
    _partial('ix_arrangement_reciprocity_due', 'arrangement', 'ended_on',
             "reciprocity_checked_at IS NULL")
    _partial('ix_reciprocity_invitation_unreminded', 'reciprocity_invitation', 'invited_at',
             "answered_at IS NULL AND reminded_at IS NULL")
    _partial('ix_help_request_unanonymised_closed_at', 'help_request', 'closed_at',
             "anonymised_at IS NULL")
    _partial('ix_signal_unanonymised_handled_at', 'signal', 'handled_at',
             "anonymised_at IS NULL")


def downgrade():
    op.drop_index('ix_signal_unanonymised_handled_at', table_name='signal')
    op.drop_index('ix_help_request_unanonymised_closed_at', table_name='help_request')
    op.drop_index('ix_reciprocity_invitation_unreminded', table_name='reciprocity_invitation')
    op.drop_index('ix_arrangement_reciprocity_due', table_name='arrangement')
    op.drop_index('ix_arrangement_status_planned_end_on', table_name='arrangement')
    op.drop_index('ix_check_in_unanswered_sent_at', table_name='check_in')
    op.drop_index('ix_check_in_unsent_due_on', table_name='check_in')
    op.create_index('ix_check_in_due_on_sent_at', 'check_in', ['due_on', 'sent_at'],
                    unique=False)
    with op.batch_alter_table('arrangement') as batch_op:
        batch_op.drop_column('reciprocity_checked_at')
    with op.batch_alter_table('check_in') as batch_op:
        batch_op.drop_column('closed_at')
