"""English words before and after stemming: one spelling, and no unrelated words on one stem.

Profiles are written in British and American English alike ("organisation" and "organization",
"fibre" and "fiber", "paediatric" and "pediatric"), and the Snowball stemmer gives the two
spellings different stems.  :func:`american_spelling` rewrites the regular British patterns to the
American spelling before stemming, so both meet.

The stemmer also cuts some unrelated words to one stem: "hospital" and "hospitality" both become
"hospit", "animal" and "animation" "anim", "customs" and "customer" "custom", "engine" and
"engineer" "engin".  A profile about hospital financing was then tagged with hospitality, one on
animal diseases with animation.  :data:`STEM_EXCEPTIONS` gives such words a stem of their own (as
Snowball's own exception list does for "news" and "skies").

>>> american_spelling("organisations"), american_spelling("colour"), american_spelling("paediatric")
('organizations', 'color', 'pediatric')
>>> american_spelling("exercise"), american_spelling("expertise"), american_spelling("promise")
('exercise', 'expertise', 'promise')
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "-ise" verbs and their derivatives ("organise", "organised", "organiser", "organisation"):
# written "-ize" in American English.  The letters before the suffix rule out most words whose
# "-ise" is not that suffix (advise, exercise, enterprise, noise, cruise, raise, otherwise); the
# few left are listed below.
_ISE = re.compile(r"(?<=[a-z]{2}[bcdfghklmnprstz])is(e|es|ed|ing|er|ers|ation|ations|able)$")
_NOT_ISE = _words(
    """
    advertise advertised advertises advertising advertiser advertisers expertise expertises
    chastise chastised treatise treatises mortise compromise compromised compromises compromising
    premise premises promise promised promises promising surmise demise remise merchandise
    merchandising paradise franchise franchised franchises franchising franchiser enterprise
    enterprises surprise surprised surprises surprising comprise comprised comprises comprising
    enterprising reprise apprise apprised despise despised chemise valise sunrise uprise uprising
    exercise exercised exercises exercising excise excised concise precise incise incised
    circumcise
    """
)
# British "-our" words ("colour", "behavioural", "labourer", "neighbourhood", "favourite").
_OUR = re.compile(
    r"(ardo|armo|behavio|cando|clamo|colo|endeavo|favo|fervo|flavo|harbo|hono|humo|labo|neighbo"
    r"|odo|parlo|rigo|rumo|savo|splendo|tumo|valo|vapo|vigo)ur"
)
# "-re" nouns written "-er" in American English ("centre", "fibres", "kilometre", "theatre").
_RE = re.compile(r"(cent|fib|lit|met|theat|calib|spect|lust|sab|somb|meag)re(s|d)?$")
_RE_ENDINGS = {None: "er", "s": "ers", "d": "ered"}
# Greek and Latin "ae" and "oe" in medicine and science ("anaemia", "oesophagus", "foetal").
_DIGRAPHS = (
    ("paed", "ped"),
    ("haem", "hem"),
    ("aemia", "emia"),
    ("anaes", "anes"),
    ("oesoph", "esoph"),
    ("oestr", "estr"),
    ("foet", "fet"),
    ("oedem", "edem"),
    ("diarrhoea", "diarrhea"),
    ("gynaec", "gynec"),
    ("coeliac", "celiac"),
    ("palaeo", "paleo"),
    ("aetiolog", "etiolog"),
    ("caesium", "cesium"),
)
# "analyse", "catalysed", "electrolyser": "-yze" in American English.
_YSE = re.compile(r"lys(e|es|ed|ing|er|ers)$")
_WHOLE_WORDS = {
    "aluminium": "aluminum",
    "programme": "program",
    "programmes": "programs",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "analogue": "analog",
    "analogues": "analogs",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "licences": "licenses",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "judgement": "judgment",
    "judgements": "judgments",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "mould": "mold",
    "moulds": "molds",
    "moulding": "molding",
    "plough": "plow",
    "tyre": "tire",
    "tyres": "tires",
    "practise": "practice",
    "practised": "practiced",
    "practises": "practices",
    "practising": "practicing",
}

# Word → stem, for words that Snowball would put on the stem of an unrelated word.  Inflected
# forms are listed too: the table is looked up before stemming.
STEM_EXCEPTIONS = {
    # hospital / hospitality
    "hospitality": "hospitality",
    # animal / animation
    "animal": "animal",
    "animals": "animal",
    # customs / customer
    "customer": "customer",
    "customers": "customer",
    # engine / engineer
    "engine": "engine",
    "engines": "engine",
    # mobile / mobility
    "mobile": "mobile",
    "mobiles": "mobile",
    # public / publication
    "publication": "publication",
    "publications": "publication",
    # transit / transition ("energy transition")
    "transition": "transition",
    "transitions": "transition",
    "transitional": "transition",
    # journal / journalism (journalism, journalist and journalistic stay together)
    "journalism": "journalist",
    # physical / physics (a physicist works in physics)
    "physics": "physics",
    "physicist": "physics",
    "physicists": "physics",
    # generation (power) / generative (AI)
    "generative": "generative",
    # response / responsibility
    "responsibility": "responsibility",
    "responsibilities": "responsibility",
    # renewable / renewal ("urban renewal")
    "renewal": "renewal",
    "renewals": "renewal",
    # integration / integrity ("research integrity")
    "integrity": "integrity",
    # conventional / convention ("convention centre")
    "convention": "convention",
    "conventions": "convention",
    # related / relations ("international relations")
    "relation": "relation",
    "relations": "relation",
    # author / authority ("regulatory authorities")
    "authority": "authority",
    "authorities": "authority",
    # biology / biologics (biological medicines)
    "biologic": "biologic",
    "biologics": "biologic",
    # fit / fitness, well / wellness
    "fitness": "fitness",
    "wellness": "wellness",
    # format / formation
    "formation": "formation",
    "formations": "formation",
    # initial / initiative
    "initiative": "initiative",
    "initiatives": "initiative",
    # reserve / reservation (hotel reservations)
    "reservation": "reservation",
    "reservations": "reservation",
    # period / periodicals (journals) / periodization (training)
    "periodical": "periodical",
    "periodicals": "periodical",
    "periodization": "periodization",
    # factor / factoring (trade finance)
    "factoring": "factoring",
    # stream / streaming (media)
    "streaming": "streaming",
    # zone / zoning (planning)
    "zoning": "zoning",
    # house / housing
    "housing": "housing",
    # generic / generics (medicines)
    "generics": "generics",
    # utility / utilization
    "utilize": "utiliz",
    "utilized": "utiliz",
    "utilizes": "utiliz",
    "utilizing": "utiliz",
    "utilization": "utiliz",
    # vet / vetting
    "vetting": "vetting",
}


# A specialist is found by the name of their field: "geneticist" and "genetics", "statistician" and
# "statistics" meet on one stem (the stemmer already joins "epidemiologist" and "epidemiology").
_SPECIALIST = re.compile(r"(?<=[a-z]{3})(icist|istician|matician)(s)?$")
_SPECIALIST_FIELDS = {"icist": "ics", "istician": "istics", "matician": "matics"}
_SPECIALIST_WORDS = {
    "economist": "economics",
    "economists": "economics",
    "agronomist": "agronomy",
    "agronomists": "agronomy",
}


def specialist_field(word: str) -> str:
    """The field a specialist's name (lower case) names: "geneticists" → "genetics"; other words
    as they are.

    >>> specialist_field("geneticists"), specialist_field("statistician"), specialist_field("physician")
    ('genetics', 'statistics', 'physician')
    """
    if word in _SPECIALIST_WORDS:
        return _SPECIALIST_WORDS[word]
    if not word.endswith(("ist", "ists", "ian", "ians")):
        return word
    return _SPECIALIST.sub(lambda match: _SPECIALIST_FIELDS[match[1]], word)


def american_spelling(word: str) -> str:
    """``word`` (lower case) in American spelling, when it follows a regular British pattern."""
    whole = _WHOLE_WORDS.get(word)
    if whole is not None:
        return whole
    if "is" in word and word not in _NOT_ISE:
        word = _ISE.sub(r"iz\1", word)
    if "our" in word:
        word = _OUR.sub(r"\1r", word)
    if word.endswith(("re", "res", "red")):
        word = _RE.sub(lambda match: match[1] + _RE_ENDINGS[match[2]], word)
    if "ae" in word or "oe" in word:
        for british, american in _DIGRAPHS:
            if british in word:
                word = word.replace(british, american)
    if "lys" in word:
        word = _YSE.sub(r"lyz\1", word)
    return word
