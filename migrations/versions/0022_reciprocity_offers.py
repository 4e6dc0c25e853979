"""reciprocity offers: workers of the area follow up a resident's offer to give back

Each invitation remembers the contribution its answer recorded (what the resident wrote),
and what a worker did with the offer (taken up in some way, or no longer needed), who and
when. Earlier answers are linked to their contribution where one is found: the resident's
first contribution without a worker or request, recorded between the invitation and the
answer (that is how ``reciprocity.services.answer`` recorded them).

Revision ID: 0022_reciprocity_offers
Revises: 0021_partner_answers
Create Date: 2026-12-07 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_reciprocity_offers'
down_revision = '0021_partner_answers'
branch_labels = None
depends_on = None

OPEN_OFFER = ("reciprocity_invitation.answer IN ('help_neighbour', 'help_activity', "
              "'share_skill') AND reciprocity_invitation.follow_up IS NULL")


def upgrade():
    with op.batch_alter_table('reciprocity_invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contribution_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('follow_up', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('followed_up_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('followed_up_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_reciprocity_invitation_contribution_id_contribution'),
            'contribution', ['contribution_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            batch_op.f('fk_reciprocity_invitation_followed_up_by_id_user'),
            'user', ['followed_up_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_reciprocity_invitation_open_offers', ['arrangement_id'],
                              unique=False, sqlite_where=sa.text(OPEN_OFFER),
                              postgresql_where=sa.text(OPEN_OFFER))
    op.execute(
        "UPDATE reciprocity_invitation SET contribution_id = ("
        " SELECT min(c.id) FROM contribution c"
        " WHERE c.person_id = reciprocity_invitation.resident_id"
        " AND c.recorded_by_id IS NULL AND c.request_id IS NULL"
        " AND c.at >= reciprocity_invitation.invited_at"
        " AND c.at <= reciprocity_invitation.answered_at)"
        " WHERE answer IN ('help_neighbour', 'help_activity', 'share_skill')")


def downgrade():
    with op.batch_alter_table('reciprocity_invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_reciprocity_invitation_open_offers')
        batch_op.drop_constraint(
            batch_op.f('fk_reciprocity_invitation_followed_up_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_reciprocity_invitation_contribution_id_contribution'),
            type_='foreignkey')
        batch_op.drop_column('followed_up_by_id')
        batch_op.drop_column('followed_up_at')
        batch_op.drop_column('follow_up')
        batch_op.drop_column('contribution_id')
