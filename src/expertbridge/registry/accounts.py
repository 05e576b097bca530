"""Accounts: users, passwords (argon2), server-side sessions, single-use links, sign-in throttling.

Secrets never reach the database in the clear: passwords are argon2 hashes, and session cookies,
invitation links and password-reset links are random tokens of which only a SHA-256 hash is kept.
Every function works inside the caller's transaction; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import AccountToken, Expert, LoginFailure, Organization, User, UserSession
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.places import canonical_city
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.visibility import ACCOUNT_ROLES, Viewer

SESSION_LIFETIME = dt.timedelta(days=14)
# A session's last-seen time is written at most this often (not on every request).
SEEN_EVERY = dt.timedelta(minutes=5)
INVITATION_LIFETIME = dt.timedelta(days=14)
RESET_LIFETIME = dt.timedelta(hours=2)
RESET_PAUSE = dt.timedelta(minutes=2)
# Throttling: this many failures within the window lock the e-mail (or the address) for the rest
# of the window.  An address serves many people behind one NAT, so it gets more tries.
FAILURE_WINDOW = dt.timedelta(minutes=15)
FAILURES_PER_EMAIL = 5
FAILURES_PER_ADDRESS = 20
PASSWORD_MIN = 10
PASSWORD_MAX = 256
# argon2id with the parameters OWASP recommends (19 MiB, 2 passes): about 30 ms here.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
_EMAIL = re.compile(r"^[^@\s;,<>\"]+@[^@\s;,<>\"]+\.[^@\s;,<>\"]{2,}$")
INVITABLE_BY_COORDINATORS = ("expert", "partner")


@dataclass(frozen=True)
class SignedIn:
    """The person behind a session cookie, as a request sees them."""

    session_id: int
    user_id: int
    email: str
    role: str
    display_name: str | None
    city: str | None
    organization_id: int | None
    expert_id: int | None
    csrf_token: str

    def viewer(self) -> Viewer:
        """The viewer this person is for visibility."""
        return Viewer(
            self.role,
            user_id=self.user_id,
            city=self.city,
            organization_id=self.organization_id,
            expert_id=self.expert_id,
        )


def token_hash(token: str) -> str:
    """The stored form of a random token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A random URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def normalize_email(text: str) -> str:
    """An e-mail address as accounts store it (trimmed, lower case, full-width forms as ASCII, as
    expert contacts store them); Refused when it is not one.

    >>> normalize_email("  Anna@Example.ORG "), normalize_email("ａｎｎａ＠example.org")
    ('anna@example.org', 'anna@example.org')
    """
    email = _folded_email(text)
    if len(email) > 320 or not _EMAIL.match(email):
        raise Refused(N_("This is not an e-mail address (expected name@example.org)."))
    return email


def check_password(password: str, email: str = "") -> None:
    """Refuse a password that is too short, too long or the e-mail address itself."""
    if len(password) < PASSWORD_MIN:
        raise Refused(N_("The password must have at least %(count)s characters."), count=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise Refused(N_("The password must have at most %(count)s characters."), count=PASSWORD_MAX)
    if email and password.strip().lower() == email.lower():
        raise Refused(N_("The password must not be the e-mail address."))
    if len(set(password)) < 4:
        raise Refused(N_("The password is too easy to guess; use more different characters."))


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash(new_token())


def _verify(stored: str | None, password: str) -> bool:
    try:
        # An unknown e-mail is checked against a dummy hash, so its answer takes as long.
        return _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password that is easy to copy (about 120 bits)."""
    return secrets.token_urlsafe(15)


# --- users ---------------------------------------------------------------------------------------


def find_user(session: Session, email: str) -> User | None:
    """The account of an e-mail address (any case), if there is one."""
    return session.scalar(select(User).where(User.email == _folded_email(email)))


def _folded_email(text: str) -> str:
    # A Chinese keyboard types ＠ and full-width letters: NFKC makes them the ASCII an address is.
    return unicodedata.normalize("NFKC", text[:1000]).strip().lower()


def _check_role_fields(
    session: Session, role: str, city: str | None, organization_id: int | None, expert_id: int | None
) -> None:
    if role not in ACCOUNT_ROLES:
        raise Refused(N_("Unknown role %(role)s."), role=role)
    if role == "coordinator" and not city:
        raise Refused(N_("A coordinator needs a side: the city whose experts they vet."))
    if role == "partner" and (organization_id is None or session.get(Organization, organization_id) is None):
        raise Refused(N_("A partner needs the organization they act for (an organization of the registry)."))
    if expert_id is not None:
        if session.get(Expert, expert_id) is None:
            raise Refused(N_("There is no expert with id %(id)s."), id=str(expert_id))
        if session.scalar(select(User.id).where(User.expert_id == expert_id)) is not None:
            raise Refused(N_("Expert %(id)s already has an account."), id=str(expert_id))


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    actor: str,
    password: str | None = None,
    display_name: str | None = None,
    city: str | None = None,
    organization_id: int | None = None,
    expert_id: int | None = None,
) -> User:
    """Create an account; without a password it waits for its invitation to be used."""
    email = normalize_email(email)
    if find_user(session, email) is not None:
        raise Refused(N_("There is already an account for %(email)s."), email=email)
    city = canonical_city(city) if city else None
    _check_role_fields(session, role, city, organization_id, expert_id)
    if password is not None:
        check_password(password, email)
    user = User(
        email=email,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        display_name=(display_name or "").strip()[:200] or None,
        city=city,
        organization_id=organization_id,
        expert_id=expert_id,
        is_active=True,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    details = {"role": role, "city": city, "organization_id": organization_id, "expert_id": expert_id}
    write_changes(
        session, actor, [Change("create", "user", user.id, {k: v for k, v in details.items() if v})]
    )
    return user


def set_password(session: Session, user: User, password: str, *, actor: str) -> None:
    """Give ``user`` a new password and sign them out everywhere."""
    check_password(password, user.email)
    user.password_hash = hash_password(password)
    end_all_sessions(session, user.id)
    write_changes(session, actor, [Change("update", "user", user.id, {"password": "changed"})])


def verify_password(session: Session, user_id: int, password: str) -> bool:
    """Whether ``password`` is the account's (to confirm a grave step such as erasure)."""
    user = session.get(User, user_id)
    return user is not None and _verify(user.password_hash, password[:PASSWORD_MAX])


def create_draft_profile(session: Session, user: User) -> int:
    """An empty draft profile for an invited expert who registers, linked to their account."""
    from expertbridge.registry.experts import ExpertWriter
    from expertbridge.registry.places import country_of_city
    from expertbridge.registry.records import ExpertRecord

    record = ExpertRecord(
        names=(), status="draft", city=user.city, country=country_of_city(user.city) if user.city else None
    )
    expert_id = ExpertWriter(session, actor=f"user:{user.id}", imported=False).write([record]).ids[0]
    user.expert_id = expert_id
    write_changes(
        session, f"user:{user.id}", [Change("update", "user", user.id, {"expert_id": [None, expert_id]})]
    )
    return expert_id


def change_password(session: Session, user_id: int, current: str, new: str) -> None:
    """Change a password after checking the current one."""
    user = session.get(User, user_id)
    if user is None or not _verify(user.password_hash, current):
        raise Refused(N_("The current password is wrong."))
    set_password(session, user, new, actor=f"user:{user_id}")


def set_active(session: Session, actor: Viewer, user_id: int, active: bool) -> User:
    """Enable or disable an account (admins only; disabling signs the person out everywhere)."""
    if actor.role != "admin":
        raise Refused(N_("Only an administrator manages accounts."), 403)
    user = session.get(User, user_id)
    if user is None:
        raise Refused(N_("There is no such account."), 404)
    if user.id == actor.user_id and not active:
        raise Refused(N_("You cannot disable your own account."))
    if user.is_active != active:
        write_changes(
            session, actor.actor, [Change("update", "user", user.id, {"is_active": [user.is_active, active]})]
        )
        user.is_active = active
        if not active:
            end_all_sessions(session, user.id)
    return user


def list_users(
    session: Session, *, role: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[User], int]:
    """A page of accounts (newest first) and how many there are."""
    query = select(User)
    if role:
        query = query.where(User.role == role)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = list(
        session.scalars(query.order_by(User.id.desc()).offset((page - 1) * per_page).limit(per_page))
    )
    return users, total


def viewer_of(user: User) -> Viewer:
    """The viewer an account is."""
    return Viewer(
        user.role,
        user_id=user.id,
        city=user.city,
        organization_id=user.organization_id,
        expert_id=user.expert_id,
    )


# --- signing in ----------------------------------------------------------------------------------


def _recent_failures(session: Session, key: str, now: dt.datetime, limit: int) -> list[dt.datetime]:
    query = (
        select(LoginFailure.at)
        .where(LoginFailure.key == key, LoginFailure.at > now - FAILURE_WINDOW)
        .order_by(LoginFailure.at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _check_throttle(session: Session, keys: list[tuple[str, int]], now: dt.datetime) -> None:
    for key, limit in keys:
        failures = _recent_failures(session, key, now, limit)
        if len(failures) >= limit:
            wait = failures[-1] + FAILURE_WINDOW - now
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            raise Refused(
                N_("Too many failed sign-ins. Try again in %(minutes)s minutes."), 429, minutes=minutes
            )


def authenticate(session: Session, email: str, password: str, address: str, now: dt.datetime) -> User:
    """The active account with this e-mail and password; raises Refused otherwise.

    A failure is recorded in the session even when Refused is raised: the caller commits it.
    """
    email = _folded_email(email)[:320]  # one throttle for every way of typing the address
    keys = [(f"email:{email}", FAILURES_PER_EMAIL), (f"ip:{address}", FAILURES_PER_ADDRESS)]
    _check_throttle(session, keys, now)
    user = find_user(session, email) if email else None
    valid = _verify(user.password_hash if user else None, password[:PASSWORD_MAX])
    if user is None or not valid:
        session.add_all([LoginFailure(key=key, at=now) for key, _ in keys])
        session.flush()
        raise Refused(N_("The e-mail address or the password is wrong."), 401)
    if not user.is_active:
        raise Refused(N_("This account is disabled. Ask an administrator."), 403)
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0][0]))
    if _HASHER.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    return user


def start_session(session: Session, user: User, now: dt.datetime) -> tuple[str, SignedIn]:
    """Sign ``user`` in: a new session; returns the cookie's token and the signed-in person."""
    token, csrf = new_token(), new_token()
    row = UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=csrf,
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(row)
    user.last_login_at = now
    session.flush()
    write_changes(session, f"user:{user.id}", [Change("signin", "user", user.id)])
    return token, _signed_in(row, user)


def _signed_in(row: UserSession, user: User) -> SignedIn:
    return SignedIn(
        session_id=row.id,
        user_id=user.id,
        email=user.email,
        role=user.role,
        display_name=user.display_name,
        city=user.city,
        organization_id=user.organization_id,
        expert_id=user.expert_id,
        csrf_token=row.csrf_token,
    )


def load_session(session: Session, token: str, now: dt.datetime) -> SignedIn | None:
    """The person signed in with ``token``, or None (unknown, expired, or the account disabled)."""
    if not token or len(token) > 100:
        return None
    found = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.expires_at <= now or not user.is_active:
        return None
    if now - row.last_seen_at > SEEN_EVERY:
        session.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    return _signed_in(row, user)


def end_session(session: Session, token: str) -> None:
    """Sign out the browser holding ``token``."""
    session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def end_all_sessions(session: Session, user_id: int) -> int:
    """Sign a person out everywhere; returns how many sessions ended."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def session_count(session: Session, user_id: int, now: dt.datetime) -> int:
    """How many browsers a person is signed in on."""
    query = select(func.count()).where(UserSession.user_id == user_id, UserSession.expires_at > now)
    return session.scalar(query) or 0


# --- single-use links ----------------------------------------------------------------------------


def issue_token(
    session: Session, user_id: int, purpose: str, now: dt.datetime, *, created_by: int | None = None
) -> str:
    """A new single-use link token for ``user_id``; earlier unused ones of the purpose lapse."""
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None)
        )
        .values(used_at=now)
    )
    lifetime = INVITATION_LIFETIME if purpose == "invitation" else RESET_LIFETIME
    token = new_token()
    session.add(
        AccountToken(
            token_hash=token_hash(token),
            purpose=purpose,
            user_id=user_id,
            created_by=created_by,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def token_user(session: Session, token: str, purpose: str, now: dt.datetime) -> User | None:
    """The account a valid (unused, unexpired) link token of ``purpose`` is for."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token), AccountToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return session.get(User, row.user_id)


def use_token(session: Session, token: str, purpose: str, now: dt.datetime) -> User:
    """Spend a link token; raises Refused when it is unknown, used or expired."""
    user = token_user(session, token, purpose, now)
    if user is None:
        raise Refused(N_("This link is not valid any more. Ask for a new one."), 404)
    session.execute(
        update(AccountToken).where(AccountToken.token_hash == token_hash(token)).values(used_at=now)
    )
    return user


def request_password_reset(session: Session, email: str, now: dt.datetime) -> tuple[User, str] | None:
    """A reset token for the account of ``email``; None for an unknown, disabled or not yet
    registered account, or when a link was sent moments ago (the page says the same either way)."""
    user = find_user(session, email)
    if user is None or not user.is_active or user.password_hash is None:
        return None
    recent = session.scalar(
        select(AccountToken.id).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == "reset",
            AccountToken.created_at > now - RESET_PAUSE,
        )
    )
    if recent is not None:
        return None
    return user, issue_token(session, user.id, "reset", now)


def reset_password(session: Session, token: str, password: str, now: dt.datetime) -> User:
    """Set a new password with a reset link (single use); signs the person out everywhere."""
    user = token_user(session, token, "reset", now)
    if user is None:
        raise Refused(N_("This link is not valid any more. Ask for a new one."), 404)
    check_password(password, user.email)
    use_token(session, token, "reset", now)
    set_password(session, user, password, actor=f"user:{user.id}")
    return user


# --- invitations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """What an invitation link carries, for the inviter and for the mail."""

    user_id: int
    email: str
    role: str
    token: str


def invite(
    session: Session,
    inviter: Viewer,
    *,
    email: str,
    role: str,
    now: dt.datetime,
    city: str | None = None,
    organization_id: int | None = None,
    expert_id: int | None = None,
) -> Invitation:
    """Invite a person to register with ``role``.

    Admins invite anyone; a coordinator invites experts of their side and partners.  Inviting an
    address whose invitation is still unused sends a fresh link.
    """
    if inviter.role not in ("admin", "coordinator"):
        raise Refused(N_("Only administrators and coordinators invite people."), 403)
    if expert_id is not None and session.get(Expert, expert_id) is None:
        # Said before the side is checked: a number that names nobody is of no side.  400, as for
        # the form's other values: the page exists, the number typed in it names nobody.
        raise Refused(N_("There is no expert with id %(id)s."), 400, id=str(expert_id))
    if inviter.role == "coordinator":
        if role not in INVITABLE_BY_COORDINATORS:
            raise Refused(N_("Coordinators invite experts and partners; ask an administrator."), 403)
        if role == "expert":
            city = inviter.city
            if expert_id is not None:
                expert_city = session.scalar(select(Expert.city).where(Expert.id == expert_id))
                if expert_city != inviter.city:
                    raise Refused(N_("This expert is not of your side."), 403)
    email = normalize_email(email)
    existing = find_user(session, email)
    if existing is not None:
        if existing.password_hash is not None or existing.role != role:
            raise Refused(N_("There is already an account for %(email)s."), email=email)
        user = existing
    else:
        user = create_user(
            session,
            email=email,
            role=role,
            actor=inviter.actor,
            city=city,
            organization_id=organization_id,
            expert_id=expert_id,
        )
    token = issue_token(session, user.id, "invitation", now, created_by=inviter.user_id)
    return Invitation(user.id, email, role, token)


def pending_invitations(
    session: Session, inviter: Viewer, now: dt.datetime
) -> list[tuple[User, AccountToken]]:
    """Unused, unexpired invitations: all for an admin, their own for a coordinator."""
    query = (
        select(User, AccountToken)
        .join(AccountToken, AccountToken.user_id == User.id)
        .where(
            AccountToken.purpose == "invitation",
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .order_by(AccountToken.id.desc())
        .limit(200)
    )
    if inviter.role != "admin":
        query = query.where(AccountToken.created_by == inviter.user_id)
    return [(user, row) for user, row in session.execute(query).tuples()]


def activate_invited(
    session: Session, token: str, password: str, display_name: str, now: dt.datetime
) -> User:
    """Register with an invitation link: the password is set and the link spent."""
    user = token_user(session, token, "invitation", now)
    if user is None:
        raise Refused(N_("This link is not valid any more. Ask for a new one."), 404)
    check_password(password, user.email)
    use_token(session, token, "invitation", now)
    user.password_hash = hash_password(password)
    user.display_name = display_name.strip()[:200] or None
    write_changes(session, f"user:{user.id}", [Change("update", "user", user.id, {"registered": True})])
    return user


def forget_stale(session: Session, now: dt.datetime) -> dict[str, int]:
    """Delete expired sessions, spent or expired links older than a month, and old sign-in failures."""
    sessions = session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    tokens = session.execute(
        delete(AccountToken).where(
            AccountToken.expires_at <= now - dt.timedelta(days=30),
        )
    )
    failures = session.execute(delete(LoginFailure).where(LoginFailure.at <= now - dt.timedelta(days=1)))
    return {
        "sessions": int(sessions.rowcount or 0),  # type: ignore[attr-defined]
        "links": int(tokens.rowcount or 0),  # type: ignore[attr-defined]
        "sign-in failures": int(failures.rowcount or 0),  # type: ignore[attr-defined]
    }
