"""The cache of derived results (standings, brackets, placings, medal table …).

Derived results are recomputed from recorded rows (DESIGN.md, "Derived data"); at national
scale that costs far more than a page, so they are kept here, in a bounded in-process cache,
under keys that contain revision numbers read from the database. Every write raises those
numbers (``Festival.bump``), so a key written by any worker or machine is never answered
with an outdated value: there is nothing to invalidate, an old key is simply never asked for
again and falls out of the cache.

Keys:

* per event — ``(festival id, festival created_at, festival epoch, event id, event revision,
  what, …)``: ``festival.bump(event)`` raises the event's revision (a result, a draw, an
  entry, the event's settings), ``festival.bump()`` the epoch (anything else: every event
  counts as changed). After one result only that event is recomputed.
* per festival — ``(festival id, festival created_at, festival revision, what)``: any write.
  The festival-level results are assembled from the cached per-event ones.

``created_at`` tells a festival from an earlier one that had the same id (an emptied
database, a SQLite id used again).

One derived result is also kept in the database, for every worker: each event's final
placings (``event.final_placings``), written by ``check_placings`` at the commit of a write
to the event and labelled with the epoch and revision they describe (services.rankings reads
them only while both still match). Emptying that column changes nothing but speed.

What this module does not know: how anything is computed (``rankings`` passes the function
that computes a missing value). It stores only plain immutable data (frozen dataclasses in
tuples), never ORM objects, and serves nothing while the session holds writes of its own not
yet committed: those are not covered by any revision until the commit.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sports.extensions import db
from sports.models import Entry, Event, Festival, Unit

T = TypeVar("T")
_WROTE = "derived.wrote"  # session.info flag: this transaction has written something


class BoundedCache:
    """A thread-safe least-recently-used mapping of at most ``maxsize`` entries."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            try:
                value = self._data[key]
            except KeyError:
                self.misses += 1
                return default
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


# A national festival has ~60 events × a few pieces each; several festivals fit.
EVENTS = BoundedCache(4096)
FESTIVALS = BoundedCache(256)
_MISSING = object()


def clear() -> None:
    EVENTS.clear()
    FESTIVALS.clear()


# --- is the session's view of the database covered by the revisions? -----------------------

@sa_event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    session.info[_WROTE] = True


@sa_event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[_WROTE] = True


def _in_savepoint(session) -> bool:
    """SQLAlchemy fires the commit and rollback events for a SAVEPOINT too (``begin_nested``):
    only the outermost transaction's end makes the session's view committed data again."""
    return session.in_nested_transaction()


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_rollback")
def _after_end(session) -> None:
    if _in_savepoint(session):
        return
    session.info.pop(_WROTE, None)
    session.info.pop(PLACINGS_PENDING, None)


PLACINGS_PENDING = "placings_events"  # ids of the events bumped in this transaction (Festival.bump)


@sa_event.listens_for(Session, "before_flush")
def _note_changed_events(session, flush_context, instances) -> None:
    """A safety net under ``Festival.bump``: a match, entry, stage or recorded placing changed
    through the ORM marks its event for ``check_placings`` even if the write forgot to bump
    it, so what the commit stores is never left describing rows that changed under it."""
    from itertools import chain

    from sports.models import Match, Placing, Stage

    ids = {obj.event_id for obj in chain(session.new, session.dirty, session.deleted)
           if isinstance(obj, (Match, Entry, Stage, Placing)) and obj.event_id is not None}
    if ids:
        session.info.setdefault(PLACINGS_PENDING, set()).update(ids)


@sa_event.listens_for(Session, "before_commit")
def check_placings(session) -> None:
    """At the end of a write, raise the festival's placings revision if any event bumped in
    it now has other final placings: the medal table is cached under that revision, so the
    results that move no placing (most of them) leave it, and the pages showing it, cached."""
    if _in_savepoint(session):
        return  # the write goes on: its placings are checked when it really commits
    session.flush()  # first: the flush notes the events of changes not flushed yet
    ids = session.info.pop(PLACINGS_PENDING, None)
    if not ids:
        return
    from sports.models.festival import _increment
    from sports.services.rankings import final_placings, load_events

    # The festival's epoch first, then the events' rows read again (another writer may have
    # committed since this session loaded them): what is stored is never older than its label.
    epochs = dict(session.execute(select(Event.id, Festival.epoch).join(Festival, Festival.id == Event.festival_id)
                                  .where(Event.id.in_(ids))).all())
    raised: set[int] = set()
    for event in load_events(sorted(epochs), fresh=True):
        try:
            fingerprint, stored = final_placings(event, epochs[event.id])
        except Exception:  # noqa: BLE001 — a state the rules refuse: count it as a change, never as stale
            fingerprint = stored = None
        event.final_placings = stored
        if fingerprint is None or fingerprint != event.placings_key:
            event.placings_key = fingerprint
            if event.festival_id not in raised:
                _increment(event.festival, ("placings_revision",))
                raised.add(event.festival_id)
    session.flush()


def usable(session: Session | None = None) -> bool:
    """True when what the session reads is committed data, which the revisions describe.

    Inside a write (changes pending, flushed or executed but not committed) nothing is read
    from the cache or stored in it: the revisions are raised only at the end of the write.
    """
    session = session or db.session()
    return not (session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def _through(cache: BoundedCache, key: Hashable | None, compute: Callable[[], T]) -> T:
    if key is None or not usable():
        return compute()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.put(key, value)
    return value


# --- keys -----------------------------------------------------------------------------------

def _incarnation(festival: Festival) -> tuple:
    return (festival.id, festival.created_at)


def event_key(event: Event, *what: Hashable, revision: int | None = None) -> tuple | None:
    """The key of a derived result of ``event``. The revision is the one loaded with the
    event's row (before its matches, entries …), so the value computed from what is loaded
    afterwards is never older than its key."""
    if event.id is None:
        return None
    festival = event.festival
    rev = event.revision if revision is None else revision
    return (*_incarnation(festival), festival.epoch, event.id, rev, *what)


def festival_key(festival: Festival, *what: Hashable) -> tuple | None:
    if festival.id is None:
        return None
    return (*_incarnation(festival), festival.revision, *what)


def per_event(event: Event, what: tuple, compute: Callable[[], T]) -> T:
    return _through(EVENTS, event_key(event, *what), compute)


def per_festival(festival: Festival, what: tuple, compute: Callable[[], T]) -> T:
    return _through(FESTIVALS, festival_key(festival, *what), compute)


def per_epoch(festival: Festival, what: tuple, compute: Callable[[], T]) -> T:
    """A festival-level value that no result changes, only what the epoch covers (units,
    athletes, settings): a unit's roster."""
    key = None if festival.id is None else (*_incarnation(festival), "epoch", festival.epoch, *what)
    return _through(FESTIVALS, key, compute)


def per_placings(festival: Festival, what: tuple, compute: Callable[[], T]) -> T:
    """A festival-level value that depends only on the events' final placings (and on what the
    epoch covers: units, settings): the medal table, the overall prizes."""
    key = None if festival.id is None else (*_incarnation(festival), "placings", festival.epoch,
                                            festival.placings_revision, *what)
    return _through(FESTIVALS, key, compute)


def by_content(festival: Festival, what: tuple, content: Hashable, compute: Callable[[], T]) -> T:
    """A festival-level value that depends only on ``content`` (e.g. every event's placings):
    a revision that left the content as it was finds the value already computed."""
    key = None if festival.id is None else (*_incarnation(festival), "content", *what, content)
    return _through(FESTIVALS, key, compute)


def per_events(festival: Festival, rows: list[tuple[int, int]], what: tuple,
               compute: Callable[[list[int]], dict[int, T]]) -> dict[int, T]:
    """Event id → value for the events ``rows`` (``(id, revision)`` as read from the database),
    computing only those whose revision has no cached value, all in one ``compute(ids)``.

    The rows are read before ``compute`` reads anything, so a value is never older than the
    revision it is stored under (see event_key)."""
    if not rows:
        return {}
    if not usable():
        return compute([event_id for event_id, _ in rows])
    base = (*_incarnation(festival), festival.epoch)
    found: dict[int, T] = {}
    for event_id, revision in rows:
        value = EVENTS.get((*base, event_id, revision, *what), _MISSING)
        if value is not _MISSING:
            found[event_id] = value
    missing = {event_id: revision for event_id, revision in rows if event_id not in found}
    if missing:
        for event_id, value in compute(list(missing)).items():
            found[event_id] = value
            EVENTS.put((*base, event_id, missing[event_id], *what), value)
    return found


_STAMP = (select(Festival.__table__.c.id, Festival.__table__.c.revision, Festival.__table__.c.created_at)
          .where(Festival.__table__.c.slug == bindparam("slug")))


def festival_stamp(slug: str) -> tuple[int, int, Any] | None:
    """``(id, revision, created_at)`` of the festival ``slug``, in one query on a unique index."""
    # Built once and compiled once per dialect (a constant statement is cached by its
    # identity): every poll and page view runs it, so no ORM or statement building per call.
    row = db.session.connection().execute(_STAMP, {"slug": slug}).first()
    return None if row is None else (row.id, row.revision or 0, row.created_at)


_F, _E = Festival.__table__, Event.__table__
_EVENT_STAMP = (select(_F.c.id, _F.c.created_at, _F.c.epoch, _E.c.id.label("event_id"), _E.c.revision)
                .select_from(_E.join(_F, _F.c.id == _E.c.festival_id))
                .where(_F.c.slug == bindparam("slug"), _E.c.code == bindparam("code")))


def event_stamp(slug: str, code: str) -> tuple | None:
    """What one event's page depends on: the festival's incarnation and epoch (festival-wide
    changes) and the event's own revision — one query; None for an unknown festival or event."""
    row = db.session.connection().execute(_EVENT_STAMP, {"slug": slug, "code": code}).first()
    return None if row is None else tuple(row)


_U, _N = Unit.__table__, Entry.__table__
_UNIT_FESTIVAL = (select(_F.c.id, _F.c.created_at, _F.c.epoch, _F.c.placings_revision, _U.c.id.label("unit_id"))
                  .select_from(_U.join(_F, _F.c.id == _U.c.festival_id))
                  .where(_F.c.slug == bindparam("slug"), _U.c.code == bindparam("code")))
_UNIT_EVENTS = (select(_E.c.id, _E.c.revision).select_from(_E.join(_N, _N.c.event_id == _E.c.id))
                .where(_N.c.unit_id == bindparam("unit_id")).distinct().order_by(_E.c.id))


def unit_stamp(slug: str, code: str) -> tuple | None:
    """What a unit's page depends on: festival-wide changes (epoch), the medal table (placings
    revision) and the revisions of the events the unit has entries in — two queries; a result
    in an event the unit is not in leaves its page as it was. None for an unknown unit."""
    conn = db.session.connection()
    row = conn.execute(_UNIT_FESTIVAL, {"slug": slug, "code": code}).first()
    if row is None:
        return None
    events = tuple(tuple(r) for r in conn.execute(_UNIT_EVENTS, {"unit_id": row.unit_id}))
    return (*tuple(row), events)


def festival_revision(slug: str) -> tuple[int, int] | None:
    """``(festival id, revision)`` of the festival ``slug`` (one indexed query), or None."""
    stamp = festival_stamp(slug)
    return None if stamp is None else stamp[:2]
