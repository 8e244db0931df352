"""draws and schedule: draw lock, group-place labels of a fed knockout, match lengths,
not-before times, rest between matches, and playing sessions

Revision ID: 0003_draws_and_schedule
Revises: 0002_organiser_setup
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_draws_and_schedule'
down_revision = '0002_organiser_setup'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_rest_minutes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('slot_minutes', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_locked', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('slot_minutes', sa.Integer(), nullable=True))

    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_before', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_labels', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))

    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_before', sa.DateTime(timezone=True), nullable=True))

    op.create_table('schedule_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('festival_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['festival_id'], ['festival.id'], name=op.f('fk_schedule_session_festival_id_festival'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_session'))
    )
    with op.batch_alter_table('schedule_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_session_festival_id'), ['festival_id'], unique=False)


def downgrade():
    with op.batch_alter_table('schedule_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_session_festival_id'))
    op.drop_table('schedule_session')
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_column('not_before')
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.drop_column('draw_labels')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('not_before')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('slot_minutes')
        batch_op.drop_column('draw_locked')
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.drop_column('slot_minutes')
        batch_op.drop_column('min_rest_minutes')
