"""Pure competition rules: plain Python on plain data.

Nothing in this package knows about Flask, SQLAlchemy, WTForms or reportlab
(``tests/domain/test_architecture.py`` enforces it). Services turn database rows
into the plain types of :mod:`sports.domain.types`, call these functions and
write what people entered; everything derived (standings, placings, medals,
emulation totals) is recomputed here.
"""
