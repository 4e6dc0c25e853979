"""worker's day: partner contacts, consent per partner, partners' reports on plan actions,
follow-ups done

Revision ID: 0012_worker_day
Revises: 0011_robustness
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_worker_day'
down_revision = '0011_robustness'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_contact',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner_organisation.id'], name=op.f('fk_partner_contact_partner_id_partner_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_partner_contact_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_partner_contact'))
    )
    with op.batch_alter_table('partner_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_contact_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partner_organisation.id'], name=op.f('fk_partner_consent_partner_id_partner_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_partner_consent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['user.id'], name=op.f('fk_partner_consent_resident_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_consent')),
    sa.UniqueConstraint('resident_id', 'partner_id', name='uq_partner_consent_resident_id')
    )
    with op.batch_alter_table('partner_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_consent_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_action_report',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_action.id'], name=op.f('fk_partner_action_report_action_id_plan_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user.id'], name=op.f('fk_partner_action_report_reported_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('action_id', name=op.f('pk_partner_action_report'))
    )

    op.create_table('follow_up_done',
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=False),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('next_note_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_follow_up_done_done_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['next_note_id'], ['case_note.id'], name=op.f('fk_follow_up_done_next_note_id_case_note'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['case_note.id'], name=op.f('fk_follow_up_done_note_id_case_note'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('note_id', name=op.f('pk_follow_up_done'))
    )


def downgrade():
    op.drop_table('follow_up_done')
    op.drop_table('partner_action_report')
    with op.batch_alter_table('partner_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_consent_partner_id'))
    op.drop_table('partner_consent')
    with op.batch_alter_table('partner_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_contact_partner_id'))
    op.drop_table('partner_contact')
