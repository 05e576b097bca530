"""Display labels of closed vocabularies, marked for translation (extracted by Babel via ``N_``)."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


STATUS = {
    "draft": N_("Draft"),
    "pending": N_("Pending"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "frozen": N_("Frozen"),
    "withdrawn": N_("Consent withdrawn"),
    "suspended": N_("Suspended"),
    "archived": N_("Archived"),
}
ORGANIZATION_STATUS = {
    "pending": N_("Waiting for vetting"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}
ORGANIZATION_TYPE = {
    "enterprise": N_("Enterprise"),
    "university": N_("University"),
    "research_institute": N_("Research institute"),
    "government_body": N_("Government body"),
    "innovation_cluster": N_("Innovation cluster"),
    "science_park": N_("Science park"),
    "association": N_("Association"),
    "hospital": N_("Hospital"),
    "other": N_("Other"),
}
OPPORTUNITY_KIND = {
    "expert_wanted": N_("Expert wanted"),
    "partner_wanted": N_("Partner wanted"),
    "technology_offer": N_("Technology offer"),
    "technology_request": N_("Technology request"),
    "business_offer": N_("Business offer"),
    "business_request": N_("Business request"),
    "rd_cooperation": N_("R&D cooperation"),
}
OPPORTUNITY_STATUS = {
    "draft": N_("Draft"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "archived": N_("Archived"),
}
EVENT_KIND = {
    "roundtable": N_("Roundtable"),
    "forum": N_("Forum"),
    "delegation_visit": N_("Delegation visit"),
    "competition": N_("Competition"),
    "working_group_meeting": N_("Working-group meeting"),
    "conference": N_("Conference"),
}
SPOKEN_LANGUAGE = {
    "ru": N_("Russian"),
    "zh": N_("Chinese"),
    "en": N_("English"),
    "de": N_("German"),
    "fr": N_("French"),
    "es": N_("Spanish"),
    "ja": N_("Japanese"),
    "ko": N_("Korean"),
    "kk": N_("Kazakh"),
    "uz": N_("Uzbek"),
    "mn": N_("Mongolian"),
    "ar": N_("Arabic"),
    "it": N_("Italian"),
}
LEVEL = {"native": N_("native")}
IDENTIFIER = {
    "orcid": N_("ORCID iD"),
    "scopus": N_("Scopus Author ID"),
    "elibrary_spin": N_("eLibrary SPIN"),
    "researcher_id": N_("ResearcherID"),
}
# How a concept of the profile relates to a concept of the query.
CONCEPT_RELATION = {
    "same": N_("the same concept"),
    "narrower": N_("a narrower concept"),
    "broader": N_("a broader concept"),
}
# The part of a name a name match aligned (see names/score.py, MatchedPart), in reading order.
NAME_PART_ROLE = {
    "surname": N_("surname"),
    "given": N_("given name"),
    "patronymic": N_("patronymic"),
    "initial": N_("initial"),
    "whole": N_("full name"),
    "unknown": N_("surname or given name"),
}
ROLE = {
    "admin": N_("Administrator"),
    "coordinator": N_("Coordinator"),
    "expert": N_("Expert"),
    "partner": N_("Partner"),
}
# Who may see a profile field or a contact item.
VISIBILITY = {
    "public": N_("Everyone"),
    "partners": N_("Partners and coordinators"),
    "coordinators": N_("Coordinators of every city"),
    "private": N_("Only me and my city's coordinators"),
}
PROFILE_FIELD = {
    "organization": N_("Organization and position"),
    "location": N_("City and country"),
    "sectors": N_("Sectors"),
    "expertise": N_("Expertise"),
    "languages": N_("Languages spoken"),
    "bios": N_("Biography"),
    "identifiers": N_("Researcher identifiers"),
}
CONTACT_KIND = {"email": N_("E-mail"), "phone": N_("Phone"), "messenger": N_("Messenger")}
# The columns a form's problems name (import columns), as a person reads them.
COLUMN = {
    "id": N_("Identifier"),
    "name": N_("Name"),
    "name_ru": N_("Name in Russian"),
    "name_zh": N_("Name in Chinese"),
    "name_en": N_("Name in English"),
    "organization": N_("Organization"),
    "position_title": N_("Position"),
    "city": N_("City"),
    "country": N_("Country"),
    "sectors": N_("Sectors"),
    "expertise": N_("Expertise"),
    "languages": N_("Languages spoken"),
    "bio_ru": N_("Biography in Russian"),
    "bio_zh": N_("Biography in Chinese"),
    "bio_en": N_("Biography in English"),
    "title_ru": N_("Title in Russian"),
    "title_zh": N_("Title in Chinese"),
    "title_en": N_("Title in English"),
    "description_ru": N_("Description in Russian"),
    "description_zh": N_("Description in Chinese"),
    "description_en": N_("Description in English"),
    "kind": N_("Kind"),
    "status": N_("Status"),
    "deadline": N_("Deadline"),
    "anonymous": N_("Anonymous"),
    "starts_on": N_("Starts on"),
    "ends_on": N_("Ends on"),
    "venue": N_("Venue"),
    "online": N_("Online"),
    "organizers": N_("Organizers"),
    "expert_participants": N_("Participating experts"),
    "organization_participants": N_("Participating organizations"),
    **CONTACT_KIND,
    **IDENTIFIER,
}
AUDIT_ACTION = {
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "view": N_("viewed contacts"),
    "status": N_("status changed"),
    "consent": N_("consent"),
    "erase": N_("erased"),
    "signin": N_("signed in"),
    "export": N_("exported"),
}
