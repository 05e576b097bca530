"""API schemas: one input class per kind (the import columns) and public output classes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ListOrText = str | list[str] | None


class ExpertIn(BaseModel):
    """An expert as the import columns describe it; lists may be arrays or ';'-joined text."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "id": "msk-001",
                "name_ru": "Черёмин Сергей Петрович",
                "name_en": "Sergei Cheremin",
                "organization": "Lomonosov Moscow State University",
                "city": "Moscow",
                "country": "RU",
                "sectors": ["transport.metro"],
                "expertise": ["системы сигнализации метрополитена"],
                "languages": "ru:native;en:C1",
            }
        },
    )
    id: str | None = None
    name_ru: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    organization: str | None = None
    position_title: str | None = None
    city: str | None = None
    country: str | None = None
    sectors: ListOrText = None
    expertise: ListOrText = None
    languages: ListOrText = None
    email: ListOrText = None
    phone: ListOrText = None
    orcid: str | None = None
    bio_ru: str | None = None
    bio_zh: str | None = None
    bio_en: str | None = None
    status: str | None = None


class OrganizationIn(BaseModel):
    """An organization as the import columns describe it."""

    model_config = ConfigDict(extra="allow")
    id: str | None = None
    name_ru: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    aliases: ListOrText = None
    type: str | None = None
    city: str | None = None
    country: str | None = None
    ror_id: str | None = None
    wikidata_id: str | None = None
    website: str | None = None
    parent: str | None = None


class _TitledIn(BaseModel):
    """Title and description in each language, shared by opportunities and events."""

    model_config = ConfigDict(extra="allow")
    id: str | None = None
    kind: str | None = None
    title_ru: str | None = None
    title_zh: str | None = None
    title_en: str | None = None
    description_ru: str | None = None
    description_zh: str | None = None
    description_en: str | None = None


class OpportunityIn(_TitledIn):
    """An opportunity as the import columns describe it."""

    sectors: ListOrText = None
    organization: str | None = None
    city: str | None = None
    country: str | None = None
    deadline: str | None = None
    status: str | None = None
    anonymous: bool | str | None = None


class EventIn(_TitledIn):
    """An event as the import columns describe it."""

    starts_on: str | None = None
    ends_on: str | None = None
    city: str | None = None
    country: str | None = None
    venue: str | None = None
    online: bool | str | None = None
    organizers: ListOrText = None
    expert_participants: ListOrText = None
    organization_participants: ListOrText = None


class NameOut(BaseModel):
    text: str
    script: str
    language: str | None
    kind: str
    primary: bool
    generated: bool


class TextOut(BaseModel):
    text: str
    language: str | None


class LanguageOut(BaseModel):
    language: str
    level: str | None


class ContactOut(BaseModel):
    kind: str
    value: str


class ConceptMatchOut(BaseModel):
    code: str
    label: str = Field(description="the concept's label in the language of the request")
    relation: str = Field(description="same, narrower (the profile is more specific) or broader")
    profile_code: str = Field(description="the profile's concept that met this one (the same code when same)")
    profile_label: str = Field(description="that concept's label in the language of the request")


class SnippetOut(BaseModel):
    language: str
    text: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) character offsets into text")


class ExplanationOut(BaseModel):
    """Why an expert matched a query: shared concepts, the profile's matching words, a snippet."""

    concepts: list[ConceptMatchOut]
    words: dict[str, list[str]] = Field(description="field (keywords, bio, organization) → words as written")
    snippet: SnippetOut | None = None


class NamePartMatchOut(BaseModel):
    """One part of a name match: which part of the name, what was asked, what it met, how well."""

    role: str = Field(
        description="surname, given, patronymic, initial, whole (a name written as one run of "
        "characters) or unknown (neither name tells which part it is)"
    )
    query: str = Field(description="the part as the query wrote it")
    matched: str = Field(description="the part of the expert's name it met")
    similarity: float = Field(description="how closely the two agree, in [0, 1]")


class ExpertOut(BaseModel):
    """An expert with the fields the caller may see."""

    id: int
    external_id: str | None
    status: str
    names: list[NameOut]
    organization: str | None
    position_title: str | None
    city: str | None
    country: str | None
    sectors: list[str]
    expertise: list[TextOut]
    languages: list[LanguageOut]
    bios: dict[str, str]
    identifiers: dict[str, str]
    contacts: list[ContactOut] = Field(default_factory=list)
    score: float | None = None
    match: str | None = Field(default=None, description="why the name matched, for name searches")
    match_parts: list[NamePartMatchOut] | None = Field(
        default=None, description="why the name matched, part by part, for name searches"
    )
    explanation: ExplanationOut | None = Field(default=None, description="why the profile matched the query")
    needs_interpreter: bool | None = Field(
        default=None, description="for matches to an opportunity: no working language shared with its owner"
    )


class Page(BaseModel):
    """One page of a list."""

    total: int
    page: int
    per_page: int


class ExpertPageOut(Page):
    items: list[ExpertOut]
    facets: dict[str, list[tuple[str, int]]]


class MatchesOut(BaseModel):
    """Experts ranked for a text (an opportunity, a profile), best first."""

    total: int
    items: list[ExpertOut]


class MatchPageOut(Page):
    """One page of the experts ranked for an opportunity, best first."""

    items: list[ExpertOut]


class OrganizationOut(BaseModel):
    id: int
    external_id: str | None
    names: dict[str, str]
    aliases: list[str]
    type: str
    city: str | None
    country: str | None
    ror_id: str | None
    wikidata_id: str | None
    website: str | None
    parent: str | None
    status: str = Field(default="approved", description="pending, approved or rejected (vetting)")


class OrganizationPageOut(Page):
    items: list[OrganizationOut]


class LocalizedOut(BaseModel):
    title: str
    description: str


class OpportunityOut(BaseModel):
    id: int
    external_id: str | None
    kind: str
    status: str
    texts: dict[str, LocalizedOut]
    sectors: list[str]
    organization: str | None
    city: str | None
    country: str | None
    deadline: str | None
    anonymous: bool


class OpportunityPageOut(Page):
    items: list[OpportunityOut]


class EventOut(BaseModel):
    id: int
    external_id: str | None
    kind: str
    texts: dict[str, LocalizedOut]
    starts_on: str
    ends_on: str
    city: str | None
    country: str | None
    venue: str | None
    online: bool
    organizers: list[str]
    organization_participants: list[str]


class EventPageOut(Page):
    items: list[EventOut]


class Problem(BaseModel):
    field: str
    value: str = ""
    message: str


class ProblemsOut(BaseModel):
    detail: str
    problems: list[Problem]
