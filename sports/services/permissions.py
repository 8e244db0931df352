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
