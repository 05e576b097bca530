"""Files checked on the import page, kept so that the account that checked one imports it without
choosing it again.

A checked file waits in the database (any server process may take its import; a restart loses
nothing).  It holds personal data (names, e-mail addresses, phone numbers), so it is kept for
:data:`KEEP_FOR` only, for the account that checked it only, deleted when taken for its import, and
:func:`purge_expired` (run by ``expertbridge maintenance``) deletes those left behind.  Only a
SHA-256 of its token is stored, as for sessions and links (registry/accounts.py).  Every function
works inside the caller's transaction; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from expertbridge.db.models import StagedImport
from expertbridge.registry.accounts import new_token, token_hash

# Long enough to read a check's report and decide; short enough that a file of personal data nobody
# imports does not linger.
KEEP_FOR = dt.timedelta(hours=1)
# Each check keeps its file (up to the upload limit, 20 MB by default): an account's older checks
# beyond this many are dropped, so that checking file after file does not fill the database.
KEPT_PER_ACCOUNT = 5


@dataclass(frozen=True)
class StagedFile:
    """A checked file taken for its import, with the choices of its check."""

    file_name: str
    content: bytes
    skip_invalid: bool
    pending: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class ExpiredFile:
    """A file the account checked more than :data:`KEEP_FOR` ago: deleted, to be chosen again."""

    file_name: str


def stage(
    session: Session,
    *,
    user_id: int,
    file_name: str,
    content: bytes,
    skip_invalid: bool,
    pending: bool,
    now: dt.datetime,
) -> str:
    """Keep a checked file for ``user_id``; returns the token its import form carries.

    Also forgets every expired file, and this account's files beyond :data:`KEPT_PER_ACCOUNT`.
    """
    token = new_token()
    session.add(
        StagedImport(
            token_hash=token_hash(token),
            user_id=user_id,
            file_name=file_name,
            content=content,
            skip_invalid=skip_invalid,
            pending=pending,
            created_at=now,
        )
    )
    session.flush()
    purge_expired(session, now)
    kept = (
        select(StagedImport.id)
        .where(StagedImport.user_id == user_id)
        .order_by(StagedImport.created_at.desc(), StagedImport.id.desc())
        .limit(KEPT_PER_ACCOUNT)
    )
    session.execute(
        delete(StagedImport).where(
            StagedImport.user_id == user_id, StagedImport.id.not_in(list(session.scalars(kept)))
        )
    )
    return token


def take(session: Session, token: str, user_id: int, now: dt.datetime) -> StagedFile | ExpiredFile | None:
    """The file ``user_id`` checked under ``token``, deleted so that it is imported once.

    None when there is no such file for this account: an unknown token, another account's (which
    stays, and is not told apart from an unknown one), or a file already taken, by a second press of
    the button too (of two at once, one takes it).  An expired file is deleted and said as such.
    """
    row = session.scalar(
        select(StagedImport).where(
            StagedImport.token_hash == token_hash(token), StagedImport.user_id == user_id
        )
    )
    if row is None:
        return None
    staged = StagedFile(row.file_name, row.content, row.skip_invalid, row.pending, row.created_at)
    taken = session.execute(delete(StagedImport).where(StagedImport.id == row.id))
    if not taken.rowcount:  # type: ignore[attr-defined]
        return None
    if staged.created_at <= now - KEEP_FOR:
        return ExpiredFile(staged.file_name)
    return staged


def purge_expired(session: Session, now: dt.datetime) -> int:
    """Delete every file checked more than :data:`KEEP_FOR` before ``now``; returns how many."""
    result = session.execute(delete(StagedImport).where(StagedImport.created_at <= now - KEEP_FOR))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
