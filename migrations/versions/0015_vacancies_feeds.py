"""volunteer vacancies of activities (matched like requests) and calendar feed tokens

Revision ID: 0015_vacancies_feeds
Revises: 0014_page_indexes
Create Date: 2026-12-04 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_vacancies_feeds'
down_revision = '0014_page_indexes'
branch_labels = None
depends_on = None

LIVE_MATCH = "status IN ('proposed', 'accepted')"
ACTIVE_FEED = "revoked_at IS NULL"


def upgrade():
    op.create_table('vacancy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=30), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('day_parts', sa.JSON(), nullable=False),
    sa.Column('needs_vog', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('count > 0', name=op.f('ck_vacancy_count_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_vacancy_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_vacancy_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['skill'], ['category.code'], name=op.f('fk_vacancy_skill_category'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy'))
    )
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancy_activity_id'), ['activity_id'], unique=False)

    op.create_table('vacancy_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_vacancy_match_proposed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancy.id'], name=op.f('fk_vacancy_match_vacancy_id_vacancy'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['user.id'], name=op.f('fk_vacancy_match_volunteer_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_match'))
    )
    with op.batch_alter_table('vacancy_match', schema=None) as batch_op:
        batch_op.create_index('ix_vacancy_match_volunteer_id_status', ['volunteer_id', 'status'], unique=False)
        batch_op.create_index('uq_vacancy_match_live_volunteer', ['vacancy_id', 'volunteer_id'], unique=True,
                              sqlite_where=sa.text(LIVE_MATCH), postgresql_where=sa.text(LIVE_MATCH))

    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_calendar_feed_live_user', ['user_id'], unique=True,
                              sqlite_where=sa.text(ACTIVE_FEED), postgresql_where=sa.text(ACTIVE_FEED))


def downgrade():
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index('uq_calendar_feed_live_user')
        batch_op.drop_index(batch_op.f('ix_calendar_feed_user_id'))
    op.drop_table('calendar_feed')
    with op.batch_alter_table('vacancy_match', schema=None) as batch_op:
        batch_op.drop_index('uq_vacancy_match_live_volunteer')
        batch_op.drop_index('ix_vacancy_match_volunteer_id_status')
    op.drop_table('vacancy_match')
    with op.batch_alter_table('vacancy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_activity_id'))
    op.drop_table('vacancy')
