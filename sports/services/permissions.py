"""Who may write what: roles and scopes, checked on every write."""
from __future__ import annotations

from sports.models import Match, User


def may_record(user: User, match: Match) -> bool:
    """Organisers (and admins) record any result of their festivals; referees only in their scope.

    ``user.scopes`` may list "festivals" (slugs), "events" (codes) and "courts" (names); an empty
    or missing list means no limit on that axis.
    """
    if not user.is_active or not user.has_role("organiser", "referee"):
        return False
    scopes = user.scopes or {}
    festivals = scopes.get("festivals") or []
    if festivals and match.event.festival.slug not in festivals:
        return False
    if user.has_role("organiser"):
        return True
    events = scopes.get("events") or []
    courts = scopes.get("courts") or []
    if events and match.event.code not in events:
        return False
    if courts and (match.court is None or match.court.name not in courts):
        return False
    return True


def units_seen(user: User, festival_slug: str) -> set[str] | None:
    """Unit codes whose score sheets ``user`` may read in that festival; None means every unit.

    A unit leader (role "unit") is limited by ``scopes["festivals"]`` and ``scopes["units"]``
    and never writes; organisers and admins read everything they may manage.
    """
    if not user.is_active:
        return set()
    scopes = user.scopes or {}
    festivals = scopes.get("festivals") or []
    if user.has_role("organiser"):
        return None if not festivals or user.role == "admin" or festival_slug in festivals else set()
    if user.role != "unit" or festival_slug not in festivals:
        return set()
    return set(scopes.get("units") or [])


def festivals_limited(user: User) -> bool:
    """True for an organiser limited to some festivals (an admin or an unlimited organiser is not)."""
    return user.role != "admin" and bool((user.scopes or {}).get("festivals"))


def may_choose_home_festival(user: User) -> bool:
    """The public home page belongs to the whole installation: only an admin or an organiser
    not limited to some festivals chooses which festival it shows."""
    return user.has_role("organiser") and not festivals_limited(user)
