"""Whole-page cache and ETags for the public pages of one festival.

Usage (a public view that takes ``slug``)::

    from sports.web.public.cache import cached_page, festival_revision

    @bp.route("/f/<slug>/events/<code>")
    @cached_page                      # below @bp.route: it wraps the view itself
    def event_page(slug, code): ...

    @bp.route("/f/<slug>/")
    @cached_page(ttl=60)              # a page that also shows the time ("next matches"):
    def festival_home(slug): ...      # rendered again at least once a minute

    @bp.route("/f/<slug>/revision")   # the poll endpoint: one indexed query, no decorator
    def revision(slug):
        found = festival_revision(slug)   # (festival id, revision) or None
        ...

What the decorator does, per request:

1. Reads the festival's (id, revision, created_at) with one query on the unique slug index.
   An unknown slug goes straight to the view (which answers its 404), and nothing is cached.
2. Builds an ETag from that stamp, the endpoint, the view arguments, the query string and who
   is asking (anonymous, or the user's id: logged-in users' pages differ by their nav). When
   ``If-None-Match`` carries it, answers ``304 Not Modified`` without running the view.
3. For anonymous visitors, serves the rendered bytes from a bounded in-process cache keyed by
   the same parts; logged-in users get a freshly rendered page.
4. Stores only a plain ``200`` that changed nothing in the session and is not streamed, and only when the
   visitor has no flashed messages waiting: errors, redirects and personal pages are never
   kept. Every answer carries ``Cache-Control: no-cache`` (browsers ask again each time,
   cheaply, with the ETag) and ``Vary: Cookie``.

Every write raises the festival's revision (``Festival.bump``), so a new result changes the
key in every worker and machine at once. Do not use it on pages that hold a form (a CSRF
token is personal), nor on pages that depend on anything other than the festival and the
address (put such inputs in the query string). ``ttl`` bounds how old a page that shows the
clock can get.
"""
from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable

from flask import Response, make_response, request, session
from flask_login import current_user

from sports.services.derived import BoundedCache, festival_revision, festival_stamp

__all__ = ["PAGES", "cached_page", "festival_revision"]

PAGES = BoundedCache(512)


def _etag(parts: tuple) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def cached_page(view: Callable | None = None, *, ttl: int | None = None,
                stamp: Callable[..., tuple | None] | None = None):
    """Decorate a public view taking ``slug`` (see the module docstring).

    ``stamp(**view_args)`` narrows what the page depends on (default: the festival's
    revision); ``None`` from it sends the request to the view (its 404), uncached.
    """
    if view is None:
        return functools.partial(cached_page, ttl=ttl, stamp=stamp)
    read_stamp = stamp or (lambda **kw: festival_stamp(kw.get("slug", "")))

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        stamp = read_stamp(**kwargs)
        if stamp is None:
            return view(*args, **kwargs)
        anonymous = not current_user.is_authenticated
        who = "anon" if anonymous else f"user:{current_user.get_id()}"
        bucket = int(time.time() // ttl) if ttl else 0
        key = (request.endpoint, tuple(sorted(kwargs.items())), request.query_string, stamp, bucket)
        etag = _etag((key, who))
        if etag in request.if_none_match:
            return _not_modified(etag)
        cacheable = anonymous and request.method == "GET" and not session.get("_flashes")
        body = PAGES.get(key) if cacheable else None
        if body is not None:
            response = Response(body[0], status=200, headers=list(body[1]))
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
            # A view that put something in the session (a CSRF token, a flash) made a personal page.
            if cacheable and not response.direct_passthrough and not session.modified:
                headers = tuple((k, v) for k, v in response.headers.items()
                                if k.lower() not in ("content-length", "etag", "set-cookie"))
                PAGES.put(key, (response.get_data(), headers))
        response.set_etag(etag)
        response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
        return response

    wrapper.cached_page = True  # type: ignore[attr-defined]
    return wrapper


def _not_modified(etag: str) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response
