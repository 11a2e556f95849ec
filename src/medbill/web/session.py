"""The web session: a signed, expiring cookie holding the user's id and a per-session CSRF token, and nothing else."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import Response

COOKIE_NAME = "medbill_session"
CSRF_FIELD = "csrf_token"  # the hidden input every form carries
CSRF_HEADER = "X-CSRF-Token"  # what htmx requests send instead
_SALT = "medbill.web.session.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSession:
    """One browser's session: anonymous (``user_id`` None, only a CSRF token for the login form) or signed in."""

    user_id: str | None
    csrf: str
    issued_at: datetime

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf.encode(), str(token).encode())


def new_session(user_id: str | None, now: datetime) -> WebSession:
    """A fresh session with a new CSRF token (a login always starts one, so a token never outlives its login)."""
    return WebSession(user_id=user_id, csrf=secrets.token_urlsafe(32), issued_at=now)


class SessionCodec:
    """Signs sessions into the cookie and reads them back, refusing tampered or expired ones."""

    def __init__(self, secret_key: str, *, minutes: int, secure: bool) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=_SALT)
        self._lifetime = timedelta(minutes=minutes)
        self._secure = secure

    def decode(self, cookie: str | None, now: datetime) -> WebSession | None:
        """The session in ``cookie``, or None when it is missing, forged, malformed or older than its lifetime."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        user_id, csrf, issued = data.get("u"), data.get("c"), data.get("t")
        if (
            not isinstance(csrf, str)
            or not isinstance(issued, str)
            or not (user_id is None or isinstance(user_id, str))
        ):
            return None
        try:
            issued_at = datetime.fromisoformat(issued)
        except ValueError:
            return None
        if issued_at.tzinfo is None or not issued_at <= now < issued_at + self._lifetime:
            return None
        return WebSession(user_id=user_id, csrf=csrf, issued_at=issued_at)

    def encode(self, session: WebSession) -> str:
        return str(
            self._serializer.dumps({"u": session.user_id, "c": session.csrf, "t": session.issued_at.isoformat()})
        )

    def store(self, response: Response, session: WebSession) -> None:
        """Set the cookie: HttpOnly, SameSite=Lax, Secure when configured, gone after the session's lifetime."""
        response.set_cookie(
            COOKIE_NAME,
            self.encode(session),
            max_age=int(self._lifetime.total_seconds()),
            path="/",
            secure=self._secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE_NAME, path="/", secure=self._secure, httponly=True, samesite="lax")
