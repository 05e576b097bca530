"""Consent to processing of personal data (152-FZ, PIPL), its withdrawal, and erasure.

The consent text is versioned: an expert accepts one version, recorded with the time; a new
version is a new entry below, and experts are asked again.  Withdrawing consent hides the profile
at once (status ``withdrawn``: out of every list, search and match); giving it again sends the
profile back to the coordinators.  Erasure deletes the profile, the account and the personal data
in earlier audit entries, and leaves one audit entry that says only that an erasure happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from expertbridge.db.models import AuditEntry, Consent, Expert, User
from expertbridge.registry.audit import Change, utcnow, write_changes
from expertbridge.registry.experts import WITHDRAWN, read_experts
from expertbridge.registry.outbox import enqueue
from expertbridge.registry.problems import N_, Refused
from expertbridge.registry.tombstones import bury
from expertbridge.registry.vetting import set_status

SCOPE = "profile"
# version → text per language.  Add a version; never edit one that experts have accepted.
CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2024-1": {
        "en": (
            "I agree that the operators of the Moscow–Beijing expert registry process my personal data "
            "(names, affiliation, city, expertise, languages, biography, researcher identifiers and "
            "contact details) to list me as an expert, to match me with cooperation requests and to "
            "contact me about them. My data is shown to each audience only as far as I choose for "
            "each field. I may withdraw this consent at any time, which hides my profile at once, and "
            "I may ask for my data to be erased."
        ),
        "ru": (
            "Я даю согласие операторам реестра экспертов Москва–Пекин на обработку моих персональных "
            "данных (имена, место работы, город, области компетенции, языки, биография, "
            "идентификаторы исследователя и контактные данные) для включения меня в реестр "
            "экспертов, подбора меня к запросам о сотрудничестве и связи со мной по ним. Мои данные "
            "показываются каждой аудитории только в той мере, в какой я выбираю для каждого поля. Я "
            "могу в любой момент отозвать согласие, что сразу скрывает мой профиль, и потребовать "
            "удалить мои данные."
        ),
        "zh": (
            "本人同意莫斯科—北京专家库的运营方处理本人的个人信息（姓名、工作单位、城市、专业领域、"
            "语言、简介、研究者标识符及联系方式），用于将本人列为专家、为合作需求匹配本人并就此与"
            "本人联系。本人的信息仅按本人为每一字段选择的范围向相应对象展示。本人可随时撤回本同意，"
            "撤回后个人资料立即隐藏；本人亦可要求删除本人的数据。"
        ),
    },
}
CURRENT_VERSION = "2024-1"


def consent_text(language: str, version: str = CURRENT_VERSION) -> str:
    """The consent text of ``version`` in ``language`` (English when there is none)."""
    texts = CONSENT_TEXTS[version]
    return texts.get(language, texts["en"])


def active_consent(session: Session, expert_id: int) -> Consent | None:
    """The consent in force (accepted and not withdrawn), if any."""
    query = (
        select(Consent)
        .where(Consent.expert_id == expert_id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.accepted_at.desc(), Consent.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def has_consent(session: Session, expert_id: int) -> bool:
    """Whether the expert's consent to the current text is in force."""
    consent = active_consent(session, expert_id)
    return consent is not None and consent.version == CURRENT_VERSION


def consents_of(session: Session, expert_id: int) -> list[Consent]:
    """Every consent the expert gave, oldest first."""
    return list(session.scalars(select(Consent).where(Consent.expert_id == expert_id).order_by(Consent.id)))


def withdrawn_consents(session: Session, expert_ids: Sequence[int]) -> dict[int, dt.datetime | None]:
    """The experts among ``expert_ids`` who withdrew consent and have not given it again.

    Expert id → when they withdrew it (None when no consent was on record, so no time either).  A
    profile is withdrawn when its status says so or when the latest consent its expert gave is
    withdrawn: either alone is enough, so that no other change of status can undo a withdrawal.
    """
    ids = list(expert_ids)
    if not ids:
        return {}
    latest: dict[int, dt.datetime | None] = {}
    last_withdrawal: dict[int, dt.datetime] = {}
    query = (
        select(Consent.expert_id, Consent.withdrawn_at)
        .where(Consent.expert_id.in_(ids))
        .order_by(Consent.expert_id, Consent.accepted_at, Consent.id)
    )
    for expert_id, withdrawn_at in session.execute(query):
        latest[expert_id] = withdrawn_at
        if withdrawn_at is not None:
            last_withdrawal[expert_id] = max(withdrawn_at, last_withdrawal.get(expert_id, withdrawn_at))
    withdrawn = set(session.scalars(select(Expert.id).where(Expert.id.in_(ids), Expert.status == WITHDRAWN)))
    withdrawn |= {expert_id for expert_id, withdrawn_at in latest.items() if withdrawn_at is not None}
    return {expert_id: last_withdrawal.get(expert_id) for expert_id in withdrawn}


def give_consent(session: Session, expert_id: int, now: dt.datetime, *, actor: str) -> None:
    """Record the expert's consent to the current text; a withdrawn profile goes back to vetting."""
    if has_consent(session, expert_id):
        return
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    session.add(Consent(expert_id=expert_id, version=CURRENT_VERSION, scope=SCOPE, accepted_at=now))
    write_changes(session, actor, [Change("consent", "expert", expert_id, {"given": CURRENT_VERSION})])
    if expert.status == WITHDRAWN:
        set_status(session, expert, "pending", actor=actor)


def withdraw_consent(session: Session, expert_id: int, now: dt.datetime, *, actor: str) -> None:
    """Withdraw the expert's consent: the profile is hidden from everyone but the expert at once."""
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    session.execute(
        update(Consent)
        .where(Consent.expert_id == expert_id, Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )
    write_changes(session, actor, [Change("consent", "expert", expert_id, {"withdrawn": True})])
    if expert.status != WITHDRAWN:
        set_status(session, expert, WITHDRAWN, actor=actor)


def erase_expert(session: Session, expert_id: int, *, actor: str) -> None:
    """Erase an expert: profile, account, consents, and the personal data of earlier audit entries.

    What stays is one audit entry ``erase`` with the expert's (now meaningless) id and no data, and
    tombstones (digests of their identifiers, see registry/tombstones.py) that imports refuse.
    """
    if session.get(Expert, expert_id) is None:
        raise Refused(N_("There is no expert with id %(id)s."), 404, id=str(expert_id))
    # Digests only (no personal data): an old spreadsheet imported again must not bring them back.
    bury(session, read_experts(session, [expert_id])[expert_id], utcnow().date())
    user_ids = list(session.scalars(select(User.id).where(User.expert_id == expert_id)))
    mentions: ColumnElement[bool] = (AuditEntry.entity_type == "expert") & (AuditEntry.entity_id == expert_id)
    if user_ids:
        mentions = or_(mentions, (AuditEntry.entity_type == "user") & AuditEntry.entity_id.in_(user_ids))
    session.execute(update(AuditEntry).where(mentions).values(changes=None))
    if user_ids:
        session.execute(delete(User).where(User.id.in_(user_ids)))
    session.execute(delete(Expert).where(Expert.id == expert_id))
    write_changes(session, actor, [Change("erase", "expert", expert_id)])
    enqueue(session, "expert", [expert_id])
