"""live revision: a per-event revision and a festival-wide epoch, so that after one result
only the event that changed is recomputed (both raised by atomic UPDATEs)

Revision ID: 0005_live_revision
Revises: 0004_result_desk
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_live_revision'
down_revision = '0004_result_desk'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.add_column(sa.Column('epoch', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('revision')

    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.drop_column('epoch')
