"""final placings: each event's final confirmed placings written at the commit that raised its
revision, labelled with that revision and the festival's epoch, so that the medal table and the
pages showing it read them in one query instead of reloading and deriving the changed event

Revision ID: 0010_final_placings
Revises: 0009_placings_revision
Create Date: 2026-12-02 18:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_final_placings'
down_revision = '0009_placings_revision'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_placings', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('final_placings')
