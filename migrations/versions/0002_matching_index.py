"""matching index: one row per (volunteer, category) for candidate search

Revision ID: 0002_matching_index
Revises: 0002_marketplace
Create Date: 2026-11-23 06:59:30.035549

The table is derived from the volunteer profiles; upgrading a database that already has
volunteers fills it (the application keeps it in step from then on).
"""
from datetime import date
import math

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_matching_index'
down_revision = '0002_marketplace'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matching_index',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('lat_cell', sa.Integer(), nullable=False),
    sa.Column('radius_km', sa.Double(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('active_commitments', sa.Integer(), nullable=False),
    sa.Column('max_commitments', sa.Integer(), nullable=False),
    sa.Column('has_vog', sa.Boolean(), nullable=False),
    sa.Column('vog_valid_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_matching_index_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'category', name=op.f('pk_matching_index'))
    )
    # Key: category, then position (latitude cell, longitude, latitude); the rest makes it
    # covering, so a search reads the index only. See marketplace/matching/models.py.
    with op.batch_alter_table('matching_index', schema=None) as batch_op:
        batch_op.create_index('ix_matching_index_search', ['category', 'lat_cell', 'lon', 'lat', 'radius_km', 'paused', 'active_commitments', 'max_commitments', 'has_vog', 'vog_valid_until', 'user_id'], unique=False)
    _backfill()


def _backfill():
    """Index the volunteers that exist already (same rules as volunteers.services)."""
    profile = sa.table(
        'volunteer_profile', sa.column('user_id', sa.Integer), sa.column('lat', sa.Double),
        sa.column('lon', sa.Double), sa.column('radius_km', sa.Double),
        sa.column('has_vog', sa.Boolean), sa.column('vog_valid_until', sa.Date),
        sa.column('max_commitments', sa.Integer), sa.column('paused_until', sa.Date),
    )
    skill = sa.table('volunteer_skill', sa.column('user_id', sa.Integer),
                     sa.column('category', sa.String))
    arrangement = sa.table('arrangement', sa.column('volunteer_id', sa.Integer),
                           sa.column('status', sa.String))
    bind = op.get_bind()
    load = dict(bind.execute(
        sa.select(arrangement.c.volunteer_id, sa.func.count())
        .where(arrangement.c.status.in_(('active', 'ending')))
        .group_by(arrangement.c.volunteer_id)
    ).all())
    today = date.today()
    rows = [
        {
            'user_id': p.user_id, 'category': p.category, 'lat': p.lat, 'lon': p.lon,
            'lat_cell': math.floor(p.lat * 100), 'radius_km': min(p.radius_km, 25.0),
            'paused': p.paused_until is not None and p.paused_until >= today,
            'active_commitments': load.get(p.user_id, 0),
            'max_commitments': p.max_commitments, 'has_vog': bool(p.has_vog),
            'vog_valid_until': p.vog_valid_until if p.has_vog else None,
        }
        for p in bind.execute(
            sa.select(profile, skill.c.category)
            .join(skill, skill.c.user_id == profile.c.user_id)
            .order_by(profile.c.user_id, skill.c.category)
        )
    ]
    if rows:
        op.bulk_insert(sa.table(
            'matching_index', sa.column('user_id', sa.Integer),
            sa.column('category', sa.String), sa.column('lat', sa.Double),
            sa.column('lon', sa.Double), sa.column('lat_cell', sa.Integer),
            sa.column('radius_km', sa.Double), sa.column('paused', sa.Boolean),
            sa.column('active_commitments', sa.Integer),
            sa.column('max_commitments', sa.Integer), sa.column('has_vog', sa.Boolean),
            sa.column('vog_valid_until', sa.Date),
        ), rows)


def downgrade():
    with op.batch_alter_table('matching_index', schema=None) as batch_op:
        batch_op.drop_index('ix_matching_index_search')

    op.drop_table('matching_index')
