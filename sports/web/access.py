"""Role checks, applied once per blueprint in before_request."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user
from flask import current_app


def require_role(*roles: str) -> Callable[[], None]:
    def check() -> None:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.has_role(*roles):
            abort(403)
        return None

    return check
