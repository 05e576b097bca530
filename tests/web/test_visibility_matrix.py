"""Who sees what: every role × every field × every web channel (page, API, search results).

One expert chooses a different level for each field and contact item; each role then looks at the
profile page, the JSON API record, the API search results and the HTML search results, and must
see exactly the fields at or below its clearance (the expert, the coordinators of the expert's own
side and admins: everything; the coordinators of the other side: up to ``coordinators``).
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from expertbridge.db.models import Expert
from expertbridge.registry import accounts
from expertbridge.registry.experts import ExpertWriter, read_experts
from expertbridge.registry.privacy import set_visibility
from expertbridge.registry.records import ExpertRecord, NameRecord
from tests.web.accounts import PASSWORD, as_role, browser, create_people, sign_in

NAME = "Заматрикс Тестович Квоккин"
# field → (level, a text only that field contains)
FIELDS = {
    "organization": ("partners", "Matrix Institute of Optics"),
    "expertise": ("coordinators", "photonic crystals"),
    "bios": ("private", "quokka"),
    "identifiers": ("public", "0000-0002-1825-0097"),
}
CONTACTS = {
    "email": ("partners", "matrix@example.org"),
    "phone": ("coordinators", "+7 495 111-22-33"),
    "messenger": ("private", "@matrixsecret"),
}
# The expert is of Beijing: its coordinators see every field, Moscow's up to "coordinators".
CLEARANCE = {"public": 0, "expert": 0, "partner": 1, "moscow": 2, "beijing": 3, "admin": 3, "self": 3}
LEVELS = ("public", "partners", "coordinators", "private")


def _prepare(factory: sessionmaker[Session], status: str = "approved") -> int:
    people = create_people(factory)
    expert_id = people.other_expert_id  # a Beijing expert
    record = ExpertRecord(
        names=(NameRecord(NAME, "Cyrl", "ru", is_primary=True),),
        status=status,
        organization=FIELDS["organization"][1],
        city="Beijing",
        country="CN",
        sectors=("transport",),
        expertise=((FIELDS["expertise"][1], "en"),),
        languages=(("ru", "native"),),
        bios=(("en", f"Studies the {FIELDS['bios'][1]} of Rottnest."),),
        identifiers=(("orcid", FIELDS["identifiers"][1]),),
        contacts=tuple((kind, value) for kind, (_, value) in CONTACTS.items()),
    )
    with factory() as session:
        ExpertWriter(session, actor="test", imported=False).write([record], existing_ids=[expert_id])
        set_visibility(
            session,
            expert_id,
            {name: level for name, (level, _) in FIELDS.items()},
            [level for level, _ in CONTACTS.values()],
            actor="test",
        )
        accounts.create_user(
            session,
            email="self@example.org",
            role="expert",
            actor="test",
            password=PASSWORD,
            expert_id=expert_id,
        )
        session.commit()
        stored = read_experts(session, [expert_id])[expert_id]
    assert stored.contacts == record.contacts
    return expert_id


def _viewer(client: TestClient, role: str) -> TestClient:
    if role == "self":
        return sign_in(browser(client), "self@example.org")
    return as_role(client, role)


def test_each_role_sees_exactly_the_fields_its_level_allows_on_every_channel(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    expert_id = _prepare(factory)
    wrong = []
    for role, clearance in CLEARANCE.items():
        viewer = _viewer(client, role)
        channels = {
            "page": viewer.get(f"/experts/{expert_id}").text,
            "api": viewer.get(f"/api/v1/experts/{expert_id}").text,
            "api search": viewer.get("/api/v1/experts", params={"q": NAME}).text,
            "page search": viewer.get("/experts", params={"q": NAME}).text,
        }
        assert NAME in channels["page"] and f'"id":{expert_id}' in channels["api search"], role
        for channel, text in channels.items():
            for field, (level, marker) in {**FIELDS, **CONTACTS}.items():
                if channel == "page search" and field not in ("organization", "expertise"):
                    continue  # a result card shows the organization and the keywords only
                expected = LEVELS.index(level) <= clearance
                if (marker in text) != expected:
                    wrong.append(f"{role} {'does not see' if expected else 'sees'} {field} on the {channel}")
    assert not wrong, "; ".join(wrong)


def test_unapproved_profiles_are_seen_by_their_expert_their_side_and_admins_only(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    expert_id = _prepare(factory, status="pending")
    seen = {}
    for role in CLEARANCE:
        viewer = _viewer(client, role)
        seen[role] = (
            viewer.get(f"/api/v1/experts/{expert_id}").status_code,
            viewer.get(f"/vetting/{expert_id}").status_code,
        )
    assert seen == {
        "public": (404, 401),
        "expert": (404, 403),
        "partner": (404, 403),
        "moscow": (404, 404),
        "beijing": (200, 200),
        "admin": (200, 200),
        "self": (200, 403),
    }
    with factory() as session:
        assert session.get(Expert, expert_id).status == "pending"  # type: ignore[union-attr]


def test_contact_views_are_audited(client: TestClient, factory: sessionmaker[Session]) -> None:
    expert_id = _prepare(factory)
    partner = as_role(client, "partner")
    partner.get(f"/experts/{expert_id}")
    partner.get(f"/api/v1/experts/{expert_id}")
    browser(client).get(f"/experts/{expert_id}")  # the public sees no contact: nothing to audit
    admin = as_role(client, "admin")
    log = admin.get("/admin/audit", params={"action": "view", "entity_id": expert_id}).text
    assert log.count("<td>viewed contacts</td>") == 2 and "partner@example.org" in log


def test_a_hidden_field_finds_nothing_for_those_who_may_not_see_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    expert_id = _prepare(factory)
    public = browser(client).get("/api/v1/experts", params={"q": FIELDS["bios"][1]}).json()
    assert expert_id not in [item["id"] for item in public["items"]]


def _found(viewer: TestClient, expert_id: int, query: str) -> tuple[bool, bool]:
    """Whether a search for ``query`` finds the matrix expert through the API and the page."""
    api = viewer.get("/api/v1/experts", params={"q": query}).json()
    page = viewer.get("/experts", params={"q": query}).text
    return any(item["id"] == expert_id for item in api["items"]), NAME in page


def test_search_by_a_field_or_contact_finds_the_expert_only_where_the_viewer_may_see_it(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    expert_id = _prepare(factory)
    queries = {
        "private bio": FIELDS["bios"][1],
        "partners e-mail": CONTACTS["email"][1].upper(),
        "coordinators phone": "+7 (495) 111 22 33",
        "private messenger": CONTACTS["messenger"][1],
        # As a Chinese input method types them (NFKC: the same address and number).
        "partners e-mail, full-width": "ｍａｔｒｉｘ＠ｅｘａｍｐｌｅ．ｏｒｇ",
        "coordinators phone, full-width": "＋７（４９５）１１１－２２－３３",
    }
    # Which roles may find the expert by each query (the e-mail is open to partners).
    allowed = {
        "private bio": {"beijing", "admin", "self"},
        "partners e-mail": {"partner", "moscow", "beijing", "admin", "self"},
        "coordinators phone": {"moscow", "beijing", "admin", "self"},
        "private messenger": {"beijing", "admin", "self"},
        "partners e-mail, full-width": {"partner", "moscow", "beijing", "admin", "self"},
        "coordinators phone, full-width": {"moscow", "beijing", "admin", "self"},
    }
    wrong = []
    for role in CLEARANCE:
        if role == "self":
            continue  # the expert's own profile is not searched for by its owner here
        viewer = _viewer(client, role)
        for label, query in queries.items():
            expected = role in allowed[label]
            for channel, found in zip(("api", "page"), _found(viewer, expert_id, query), strict=True):
                if found != expected:
                    wrong.append(
                        f"{role} {'does not find' if expected else 'finds'} by the {label} ({channel})"
                    )
    assert not wrong, "; ".join(wrong)


def test_counts_follow_the_side_rule(client: TestClient, factory: sessionmaker[Session]) -> None:
    expert_id = _prepare(factory)
    with factory() as session:
        set_visibility(session, expert_id, {"location": "private", "sectors": "private"}, actor="test")
        session.commit()
    for role, counted in (("moscow", False), ("beijing", True), ("partner", False)):
        answer = _viewer(client, role).get("/api/v1/experts", params={"q": NAME}).json()
        cities = dict(answer["facets"]["city"])
        assert (cities.get("Beijing", 0) >= 1) is counted, role
        filtered = _viewer(client, role).get("/api/v1/experts", params={"q": NAME, "city": "Beijing"}).json()
        assert any(item["id"] == expert_id for item in filtered["items"]) is counted, role
