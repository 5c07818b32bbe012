"""Every word the engine says to people, in Finnish, Swedish and English.

Texts are format strings keyed by a stable code; `say(code, lang, **params)` fills
them in. Lists are joined the way each language joins them.
"""
from __future__ import annotations

LANGS = ("fi", "sv", "en")

_T: dict[str, dict[str, str]] = {
    # hard constraints: why an opening is not offered
    "too_young": {"fi": "Ikäraja on vähintään {min_age} vuotta.", "sv": "Åldersgränsen är minst {min_age} år.", "en": "You need to be at least {min_age}."},
    "too_old": {"fi": "Tehtävä on enintään {max_age}-vuotiaille.", "sv": "Uppdraget är för högst {max_age} år gamla.", "en": "It is for people up to {max_age}."},
    "language": {"fi": "Tehtävässä tarvitaan kieltä, jota et maininnut: {languages}.", "sv": "Uppdraget kräver ett språk du inte nämnde: {languages}.", "en": "It needs a language you did not list: {languages}."},
    "requirement": {"fi": "Tehtävä vaatii: {requirements}.", "sv": "Uppdraget kräver: {requirements}.", "en": "It requires: {requirements}."},
    "remote_not_wanted": {"fi": "Tehtävä tehdään etänä, etkä toivonut etätehtäviä.", "sv": "Uppdraget görs på distans och du ville inte ha distansuppdrag.", "en": "It is remote work, and you asked for none."},
    "too_far": {"fi": "Paikka on {km} km päässä, kauempana kuin toivomasi {max_km} km.", "sv": "Platsen ligger {km} km bort, längre än dina {max_km} km.", "en": "It is {km} km away, more than your {max_km} km."},
    "not_at_home": {"fi": "Tehtävää ei voi tehdä kotoa käsin.", "sv": "Uppdraget kan inte göras hemifrån.", "en": "It cannot be done from home."},
    "not_accessible": {"fi": "Paikkaa ei ole ilmoitettu esteettömäksi.", "sv": "Platsen är inte angiven som tillgänglig med rullstol.", "en": "The place is not listed as wheelchair accessible."},
    "schedule": {"fi": "Ajat ({times}) eivät sovi viikkoosi.", "sv": "Tiderna ({times}) passar inte din vecka.", "en": "The times ({times}) do not fit your week."},
    "ended": {"fi": "Tehtävä on päättynyt ({end_date}).", "sv": "Uppdraget har tagit slut ({end_date}).", "en": "It ended on {end_date}."},
    "full": {"fi": "Kaikki paikat on jo täytetty.", "sv": "Alla platser är redan tagna.", "en": "All places are taken."},
    # soft components: why an opening fits (or does not)
    "interest": {"fi": "Sopii kiinnostuksiisi: {words}", "sv": "Passar dina intressen: {words}", "en": "Matches your interest in {words}"},
    "interest.none": {"fi": "Ei liity siihen, mistä kirjoitit", "sv": "Hör inte ihop med det du skrev om", "en": "Not about what you wrote you like"},
    "themes": {"fi": "Yhteiset teemat: {themes}", "sv": "Gemensamma teman: {themes}", "en": "Shared themes: {themes}"},
    "themes.suggested": {"fi": "Sopii aiheisiin, joista kirjoitit: {themes}", "sv": "Passar det du skrev om: {themes}", "en": "Fits what you wrote about: {themes}"},
    "themes.near": {"fi": "Lähellä kiinnostuksiasi: {themes}", "sv": "Nära dina intressen: {themes}", "en": "Close to your interests: {themes}"},
    "themes.none": {"fi": "Ei valitsemiasi teemoja", "sv": "Inte de teman du valde", "en": "Not the themes you chose"},
    "themes.unknown": {"fi": "Ilmoituksella ei ole teemoja", "sv": "Annonsen har inga teman", "en": "The posting has no themes"},
    "schedule.fit": {"fi": "{times} sopii viikkoosi", "sv": "{times} passar din vecka", "en": "{times} fits your week"},
    "schedule.flexible": {"fi": "Ajoista voi sopia joustavasti", "sv": "Tiderna är flexibla", "en": "The times are flexible"},
    "schedule.unknown": {"fi": "Ilmoituksessa ei ole aikoja", "sv": "Annonsen anger inga tider", "en": "The posting gives no times"},
    "distance.km": {"fi": "{km} km {from_fi}", "sv": "{km} km från {name_sv}", "en": "{km} km from {name_en}"},
    "under_one": {"fi": "alle 1", "sv": "under 1", "en": "under 1"},
    "distance.km_bare": {"fi": "{km} km päässä", "sv": "{km} km bort", "en": "{km} km away"},
    "distance.remote": {"fi": "Etätehtävä: ei matkoja", "sv": "På distans: inga resor", "en": "Remote: no travel"},
    "distance.unknown": {"fi": "Ilmoituksessa ei ole paikkaa", "sv": "Annonsen anger ingen plats", "en": "The posting gives no place"},
    "kind": {"fi": "{kind}, kuten toivoit", "sv": "{kind}, som du önskade", "en": "{kind}, as you wished"},
    "kind.other": {"fi": "{kind}, ei toivomasi tyyppi", "sv": "{kind}, inte den typ du önskade", "en": "{kind}, not a kind you chose"},
    "kind.unknown": {"fi": "Tehtävän tyyppiä ei ole kerrottu", "sv": "Typen av uppdrag anges inte", "en": "The kind of activity is not given"},
    "support": {"fi": "Tarjoaa: {items}", "sv": "Erbjuder: {items}", "en": "Offers: {items}"},
    "support.none": {"fi": "Ei kerro tuesta, jota toivoit", "sv": "Säger inget om stödet du önskade", "en": "Says nothing of the support you asked for"},
    "goals": {"fi": "Saat: {items}", "sv": "Du får: {items}", "en": "You get: {items}"},
    "goals.none": {"fi": "Ei lupaa sitä, mitä toivoit saavasi", "sv": "Lovar inte det du ville få", "en": "Does not offer what you hoped to get"},
    "exposure": {"fi": "Harva on vielä nähnyt tämän", "sv": "Få har sett det här ännu", "en": "Few have seen this yet"},
    "exposure.high": {"fi": "Moni on jo nähnyt tämän", "sv": "Många har redan sett det här", "en": "Many have already seen this"},
    "exposure.unknown": {"fi": "Näkyvyyttä ei ole vielä seurattu", "sv": "Synligheten har inte följts ännu", "en": "Exposure is not tracked yet"},
    "neutral": {"fi": "Et antanut tietoa ({what}), joten se ei vaikuta järjestykseen", "sv": "Du har inte angett {what}, så det påverkar inte ordningen", "en": "You gave no {what}, so it does not change the order"},
}

_WHAT = {
    "interest": ("kiinnostukset", "intressen", "interests"),
    "themes": ("teemat", "teman", "themes"),
    "schedule": ("viikkosi ajat", "dina tider", "times"),
    "distance": ("paikkakunta", "ort", "place"),
    "kind": ("tehtävätyypit", "typer av uppdrag", "kinds of activity"),
    "support": ("tuen tarpeet", "stödbehov", "support needs"),
    "goals": ("tavoitteet", "mål", "goals"),
    "exposure": ("näkyvyys", "synlighet", "exposure"),
}

LABELS: dict[str, tuple[str, str, str]] = {
    # kinds
    "volunteer": ("Vapaaehtoistyö", "Volontärarbete", "Volunteering"),
    "work_trial": ("Työkokeilu", "Arbetsprövning", "A work trial"),
    "hobby": ("Harrastus", "Hobby", "A hobby"),
    "event": ("Tapahtumatyö", "Evenemangsarbete", "Event work"),
    "talkoot": ("Talkoot", "Talko", "Talkoot (a community work day)"),
    "course": ("Kurssi", "Kurs", "A course"),
    "coaching": ("Valmennus", "Coachning", "Coaching"),
    "job": ("Palkkatyö", "Avlönat arbete", "A paid job"),
    # requirements
    "criminal_record_check": ("rikostaustaote", "straffregisterutdrag", "criminal record check"),
    "hygiene_passport": ("hygieniapassi", "hygienpass", "hygiene passport"),
    "driving_licence": ("ajokortti", "körkort", "driving licence"),
    "first_aid": ("ensiapukortti", "första hjälpen-kort", "first aid certificate"),
    "alcohol_passport": ("anniskelupassi", "serveringspass", "alcohol passport"),
    "occupational_safety_card": ("työturvallisuuskortti", "arbetarskyddskort", "occupational safety card"),
    "security_steward_card": ("järjestyksenvalvojakortti", "ordningsvaktskort", "security steward card"),
    # support
    "no_experience_needed": ("ei vaadi kokemusta", "ingen erfarenhet krävs", "no experience needed"),
    "supervisor_present": ("ohjaaja paikalla", "handledare på plats", "a supervisor present"),
    "peer_buddy": ("vertaiskaveri", "en kompis som stöd", "a peer buddy"),
    "group": ("ryhmässä", "i grupp", "in a group"),
    "short_commitment": ("lyhyt sitoutuminen", "kort åtagande", "short commitment"),
    "wheelchair_accessible": ("esteetön", "tillgänglig med rullstol", "wheelchair accessible"),
    "at_home": ("kotoa käsin", "hemifrån", "from home"),
    "flexible_hours": ("joustavat ajat", "flexibla tider", "flexible hours"),
    "plain_language": ("selkokieli", "lättläst språk", "plain language"),
    "quiet_space": ("rauhallinen tila", "lugnt utrymme", "a quiet space"),
    # benefits
    "work_certificate": ("työtodistus", "arbetsintyg", "a work certificate"),
    "reference": ("suosittelija", "referens", "a reference"),
    "training": ("koulutus", "utbildning", "training"),
    "meal": ("ruokailu", "måltid", "a meal"),
    "travel_costs": ("matkakulut", "resekostnader", "travel costs"),
    "pay": ("palkka", "lön", "pay"),
    "equipment": ("varusteet", "utrustning", "equipment"),
}

LANGUAGE_NAMES: dict[str, tuple[str, str, str]] = {
    "fi": ("suomi", "finska", "Finnish"), "sv": ("ruotsi", "svenska", "Swedish"),
    "en": ("englanti", "engelska", "English"), "se": ("saame", "samiska", "Sámi"),
    "ru": ("venäjä", "ryska", "Russian"), "et": ("viro", "estniska", "Estonian"),
    "ar": ("arabia", "arabiska", "Arabic"), "so": ("somali", "somaliska", "Somali"),
    "fa": ("persia", "persiska", "Persian"), "uk": ("ukraina", "ukrainska", "Ukrainian"),
    "de": ("saksa", "tyska", "German"), "fr": ("ranska", "franska", "French"),
    "es": ("espanja", "spanska", "Spanish"), "sgn": ("viittomakieli", "teckenspråk", "sign language"),
}

_AND = {"fi": "ja", "sv": "och", "en": "and"}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of: fi, sv, en")
    return lang


def say(code: str, lang: str, **params: object) -> str:
    return _T[code][lang].format(**params)


def label(code: str, lang: str) -> str:
    """A vocabulary code's label in the language (the code itself if unknown)."""
    names = LABELS.get(code)
    return names[LANGS.index(lang)] if names else code


def language_name(code: str, lang: str) -> str:
    names = LANGUAGE_NAMES.get(code)
    return names[LANGS.index(lang)] if names else code


def what(component: str, lang: str) -> str:
    return _WHAT[component][LANGS.index(lang)]


def join(items: list[str], lang: str) -> str:
    """'a, b and c' in the language's own way."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_AND[lang]} {items[-1]}"
