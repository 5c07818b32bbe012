"""The printable work certificate of a completed activity, and who may see it."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path

import pytest
from flask_babel import format_date
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.catalogue import add_youth_catalogue
from tests.support.clients import english, token
from tests.support.signin import PASSWORD
from tests.support.youths import act, profile_of, save_profile, youth_client
from webapp import db
from webapp.models import Association, Interest, Opening, User
from webapp.states import InterestState, Role

ACCEPTED = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc)
FINISHED = dt.datetime(2026, 5, 29, 12, 0, tzinfo=dt.timezone.utc)
REFERENCE = "Anna oli luotettava ja iloinen.\n\nSuosittelemme lämpimästi."


@pytest.fixture
def catalogue(app):
    add_youth_catalogue(app)
    with app.app_context():
        session = db.get_session()
        animals = session.exec(select(Association).where(Association.name == "Oulun Eläinystävät ry")).one()
        animals.business_id = "0112038-9"
        session.commit()


@pytest.fixture
def anna(app, catalogue):
    client = youth_client(app)
    save_profile(client, name="Anna Virtanen")
    return client


def finish(app, ref, state=InterestState.COMPLETED, email="anna@example.fi", **fields) -> int:
    """Set the youth's interest in `ref` as the association's side would; its id."""
    with app.app_context():
        session = db.get_session()
        interest = session.exec(select(Interest).join(Opening).where(
            Opening.ref == ref, Interest.youth_id == profile_of(app, email).id)).one()
        interest.state = state
        for name, value in {"accepted_at": ACCEPTED, "finished_at": FINISHED, "reference": REFERENCE,
                            **fields}.items():
            setattr(interest, name, value)
        session.commit()
        return interest.id


def completed(app, client, ref="o-dog", **fields) -> int:
    assert act(client, ref).status_code == 303
    return finish(app, ref, **fields)


def dates(app, lang, *values):
    with app.test_request_context(headers={"Accept-Language": lang}):
        return [format_date(value) for value in values]


# ---------------------------------------------------------------- what it says

def test_the_certificate_says_who_did_what_where_and_when(app, anna):
    number = completed(app, anna)
    response = anna.get(f"/youth/activities/{number}/certificate")
    assert response.status_code == 200
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", response.text))
    text = " ".join(text.split())
    start, end, today = dates(app, "en", ACCEPTED, FINISHED, dt.datetime.now(dt.timezone.utc))
    assert response.text.count("<h1>") == 1 and "<h1>Work certificate</h1>" in response.text
    assert (f"Oulun Eläinystävät ry certifies that Anna Virtanen has worked as a volunteer in the role "
            f"“Koiranulkoiluttaja” in the period {start} to {end}.") in text
    for expected in ["Name Oulun Eläinystävät ry", "Business ID (Y-tunnus) 0112038-9", "Municipality Oulu",
                     "Title Koiranulkoiluttaja", "Kind of activity Volunteering",
                     f"Period {start} to {end}", "Anna oli luotettava ja iloinen.", "Suosittelemme lämpimästi.",
                     f"Issued on {today} through Polku.", "use your browser’s Print command"]:
        assert expected in text, expected
    assert "Lenkki koiran kanssa metsässä." not in text  # the advertisement is not the certificate
    assert start != end


def test_the_certificate_is_in_the_readers_language(app, anna):
    number = completed(app, anna)
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    html = anna.get(f"/youth/activities/{number}/certificate").text
    start, end = dates(app, "fi", ACCEPTED, FINISHED)
    assert '<html lang="fi">' in html and "<h1>Työtodistus</h1>" in html
    assert f"Oulun Eläinystävät ry todistaa, että Anna Virtanen on toiminut vapaaehtoisena tehtävässä " \
           f"”Koiranulkoiluttaja” ajalla {start} – {end}." in htmllib.unescape(html)
    assert "osallistui yhdistyksen" not in html  # the name is never bent into a genitive
    assert "Vapaaehtoistyö" in html and "Y-tunnus" in html
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    html = anna.get(f"/youth/activities/{number}/certificate").text
    start, end = dates(app, "sv", ACCEPTED, FINISHED)
    assert "<h1>Arbetsintyg</h1>" in html and "Uleåborg" in html  # Oulu in Swedish
    assert f"Oulun Eläinystävät ry intygar att Anna Virtanen har arbetat som frivillig i uppgiften " \
           f"”Koiranulkoiluttaja” under perioden {start} – {end}." in htmllib.unescape(html)


def test_missing_dates_fall_back_to_the_records_own(app, anna):
    number = completed(app, anna, accepted_at=None, finished_at=None, reference="")
    with app.app_context():
        interest = db.get_session().get(Interest, number)
        created, updated = interest.created_at, interest.updated_at
    start, end = dates(app, "en", created, updated)
    html = anna.get(f"/youth/activities/{number}/certificate").text
    assert f"Period</dt><dd>{start if start == end else f'{start} to {end}'}</dd>" in html
    assert 'class="reference"' not in html and "The association’s reference" not in html  # none written


def test_without_a_name_the_email_stands_in_and_the_youth_is_told(app, catalogue):
    bob = youth_client(app, "bob@example.fi")
    save_profile(bob)
    assert act(bob, "o-dog").status_code == 303
    number = finish(app, "o-dog", email="bob@example.fi")
    html = bob.get(f"/youth/activities/{number}/certificate").text
    assert "certifies that bob@example.fi has worked as a volunteer" in html
    assert "Your name is missing: add it to your profile" in html


def set_opening(app, ref="o-dog", **fields):
    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        for name, value in fields.items():
            setattr(opening, name, value)
        session.commit()


def period_of(anna, number) -> str:
    return re.search(r"Period</dt><dd>([^<]*)</dd>", anna.get(f"/youth/activities/{number}/certificate").text).group(1)


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("start, end, accepted, finished, first, last", [
    # the trial: accepted and completed on one December day, the trial runs 1.2.-30.4.2027
    (dt.date(2027, 2, 1), dt.date(2027, 4, 30), utc(2026, 12, 7, 9), utc(2027, 5, 3, 9),
     dt.date(2027, 2, 1), dt.date(2027, 4, 30)),
    # joined a month in, left ten days before the end: the youth's own days
    (dt.date(2027, 2, 1), dt.date(2027, 4, 30), utc(2027, 3, 1, 9), utc(2027, 4, 20, 9),
     dt.date(2027, 3, 1), dt.date(2027, 4, 20)),
    # only a start date: from it to the completion
    (dt.date(2027, 2, 1), None, utc(2026, 12, 7, 9), utc(2027, 3, 15, 9), dt.date(2027, 2, 1), dt.date(2027, 3, 15)),
    # no dates: the acceptance and the completion, as Finnish calendar days (22.30 UTC is 0.30 the next day)
    (None, None, utc(2027, 1, 31, 22, 30), utc(2027, 4, 29, 22, 30), dt.date(2027, 2, 1), dt.date(2027, 4, 30)),
])
def test_the_period_is_the_activitys_dates_clipped_to_the_youths_part(app, anna, start, end, accepted, finished,
                                                                        first, last):
    set_opening(app, start_date=start, end_date=end)
    number = completed(app, anna, accepted_at=accepted, finished_at=finished)
    first_text, last_text = dates(app, "en", first, last)
    assert period_of(anna, number) == f"{first_text} to {last_text}"


def test_a_one_day_activity_has_one_date(app, anna):
    set_opening(app, kind="event", start_date=dt.date(2027, 6, 12), end_date=dt.date(2027, 6, 12))
    number = completed(app, anna, accepted_at=utc(2027, 5, 2, 9), finished_at=utc(2027, 6, 20, 9))
    day, = dates(app, "en", dt.date(2027, 6, 12))
    assert period_of(anna, number) == day
    text = htmllib.unescape(anna.get(f"/youth/activities/{number}/certificate").text)
    assert f"Anna Virtanen has worked at the event “Koiranulkoiluttaja” in the period {day}." in text


ADVERT = "Ulkoilutat koiria ja opit paljon. Saat työtodistuksen."


@pytest.mark.parametrize("lang, sentence", [
    ("fi", "Oulun Eläinystävät ry todistaa, että Anna Virtanen on ollut työkokeilussa tehtävässä ”Koiranulkoiluttaja”"),
    ("sv", "Oulun Eläinystävät ry intygar att Anna Virtanen har varit på arbetsprövning i uppgiften "
           "”Koiranulkoiluttaja”"),
    ("en", "Oulun Eläinystävät ry certifies that Anna Virtanen has been on a work trial in the role "
           "“Koiranulkoiluttaja”"),
])
def test_the_body_speaks_of_the_youth_in_the_third_person_not_the_advertisement(app, anna, lang, sentence):
    set_opening(app, kind="work_trial", description=ADVERT)
    number = completed(app, anna)
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = htmllib.unescape(anna.get(f"/youth/activities/{number}/certificate").text)
    assert f'<html lang="{lang}">' in html
    assert sentence in html
    assert "Saat työtodistuksen" not in html and "Ulkoilutat" not in html  # the advert speaks to "you"
    assert "Anna oli luotettava ja iloinen." in html  # the association's reference, as written


def test_every_kind_has_its_own_wording_in_every_language(app):
    from webapp.engine.fields import KINDS
    from webapp.models import Association
    from webapp.services.certificate import Certificate, statement
    seen: dict[str, set[str]] = {}
    for lang in ("fi", "sv", "en"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            for kind in (*KINDS, None):
                day = dt.date(2027, 2, 1)
                made = Certificate(youth_name="Anna", youth_email="", association=Association(name="X ry"),
                                   opening=Opening(title="T", kind=kind, association_id=1), started=day,
                                   finished=day, reference="", issued=utc(2027, 3, 1), interest_id=1)
                text = statement(made)
                assert text.startswith("X ry ") and "Anna" in text and "T" in text and "%(" not in text
                seen.setdefault(lang, set()).add(text)
        assert len(seen[lang]) == len(KINDS) + 1, lang  # one sentence per kind, and one for none


# ---------------------------------------------------------------- where it is linked, and print

def test_my_activities_links_the_certificate_of_completed_ones_only(app, anna):
    save_profile(anna, name="Anna Virtanen", max_travel_km="")  # Tornio too
    number = completed(app, anna)
    assert act(anna, "o-photo").status_code == 303
    html = anna.get("/youth/activities").text
    links = re.findall(r'href="(/youth/activities/\d+/certificate)">Work certificate for “([^”]+)”', html)
    assert links == [(f"/youth/activities/{number}/certificate", "Koiranulkoiluttaja")]


def test_print_leaves_out_the_menus_and_the_language_switcher(app, anna):
    number = completed(app, anna)
    html = anna.get(f"/youth/activities/{number}/certificate").text
    header = re.search(r'<header class="site-header">(.*?)</header>', html, re.S).group(1)
    assert 'class="language-switcher"' in header and '<nav aria-label="Main">' in header
    assert '<p class="no-print"><a href="/youth/activities">' in html
    css = (Path(app.static_folder) / "polku.css").read_text()
    rule = re.search(r"@media print \{(.*)\}\s*$", css, re.S).group(1)
    hidden = re.search(r"([^{}]+)\{ display: none !important; \}", rule).group(1)
    assert {".site-header", ".site-footer", ".skip-link", ".no-print"} <= {s.strip() for s in hidden.split(",")}
    assert re.search(r"@page \{ size: A4;", css)  # one A4 page: tests/browser/test_certificate_print.py prints it


# ---------------------------------------------------------------- who may see it

@pytest.mark.parametrize("state", [InterestState.INTERESTED, InterestState.ACCEPTED, InterestState.DROPPED,
                                   InterestState.DECLINED, InterestState.WITHDRAWN])
def test_only_a_completed_activity_has_a_certificate(app, anna, state):
    number = completed(app, anna, state=state)
    assert anna.get(f"/youth/activities/{number}/certificate").status_code == 404


def test_another_youth_gets_404(app, anna):
    number = completed(app, anna)
    bob = youth_client(app, "bob@example.fi")
    save_profile(bob)
    response = bob.get(f"/youth/activities/{number}/certificate")
    assert response.status_code == 404 and "Anna" not in response.text and "Koiranulkoiluttaja" not in response.text
    assert anna.get(f"/youth/activities/{number + 1000}/certificate").status_code == 404


def test_visitors_are_sent_to_sign_in_and_other_roles_refused(app, anna):
    number = completed(app, anna)
    url = f"/youth/activities/{number}/certificate"
    visitor = english(app.test_client())
    response = visitor.get(url)
    assert response.status_code == 302 and response.location.startswith("/auth/signin")
    with app.app_context():
        session = db.get_session()
        animals = session.exec(select(Association).where(Association.name == "Oulun Eläinystävät ry")).one()
        session.add(User(email="ry@example.fi", role=Role.ASSOCIATION, association_id=animals.id,
                         password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")))
        session.commit()
    member = english(app.test_client())
    member.post("/auth/signin", data={"email": "ry@example.fi", "password": PASSWORD, "csrf_token": token(member)})
    assert member.get(url).status_code == 403  # even the association: the youth's own page
