"""The benchmark's generated festival file stays valid (so `make bench` measures a real import)."""
import json

from sqlalchemy import func, select

from benchmarks.largefile import build, match_count
from sports.importers.festival_file import import_file
from sports.models import Athlete, Match


def test_generated_file_imports_completely(db):
    data = build(n_units=8, n_athletes=160, n_events=6, groups=2, group_size=3)
    festival = import_file(json.dumps(data).encode())
    db.session.commit()
    assert db.session.scalar(select(func.count(Athlete.id))) == 160
    assert db.session.scalar(select(func.count(Match.id)).where(Match.status == "completed")) == match_count(data)
    assert len(festival.events) == 6
