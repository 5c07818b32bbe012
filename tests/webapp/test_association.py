from __future__ import annotations

import re

import pytest
from sqlmodel import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tests.support import signin
from tests.support.catalogue import add_catalogue
from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD
from webapp.services import associations as association_service
from webapp import db, ytunnus
from webapp.engine.matcher import get_matcher
from webapp.models import Association, Interest, Opening, User, YouthProfile
from webapp.states import InterestState, OpeningStatus, Role
from webapp.engine.versions import catalogue_version

OPEN, DRAFT, CLOSED = OpeningStatus.OPEN, OpeningStatus.DRAFT, OpeningStatus.CLOSED

REGISTRATION = {"name": "Kemin Nuorisoseura ry", "business_id": "0737546-2", "municipality": "kemi",
                "contact": "info@nuoriso.example", "description": "Nuorten toimintaa Kemissä.",
                "person_name": "Maija Mehiläinen", "email": "Maija@Nuoriso.example", "password": PASSWORD,
                "confirm": PASSWORD}

OPENING = {"title": "Kirjaston satutuokio", "description": "Luet satuja lapsille.\n\nKahvia tarjolla.",
           "kind": "volunteer", "themes": ["children", "culture"], "municipality": "Oulu", "lat": "65,0121",
           "lon": "25.4651", "remote": "y", "schedule": "ke 16-19\nla 10-12", "start_date": "2026-06-01",
           "end_date": "2026-08-31", "capacity": "4", "min_age": "15", "max_age": "29", "languages": ["fi", "sv"],
           "requirements": ["criminal_record_check"], "support": ["peer_buddy", "group"],
           "benefits": ["work_certificate", "meal"]}


# ---------------------------------------------------------------- helpers

def register(client, **changes):
    data = {**REGISTRATION, **changes, "csrf_token": token(client, "/association/register")}
    return client.post("/association/register", data={k: v for k, v in data.items() if v is not None})


def counts(app) -> tuple[int, int]:
    with app.app_context():
        session = db.get_session()
        return (session.exec(select(func.count()).select_from(Association)).one(),
                session.exec(select(func.count()).select_from(User)).one())


def add_user(app, email, role, association_id=None):
    with app.app_context():
        session = db.get_session()
        user = User(email=email, role=role, association_id=association_id, name=email.split("@")[0],
                    password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        session.add(user)
        if role == Role.YOUTH:
            session.add(YouthProfile(user=user))
        session.commit()
        return user.id


def signed_in(app, email, role, association_id=None):
    """A browser (in English) of a new user signed in through the sign-in page."""
    add_user(app, email, role, association_id)
    return signin.signed_in(app, email)


@pytest.fixture
def ids(app):
    return add_catalogue(app)


@pytest.fixture
def animals(app, ids):
    """A member of Oulun Eläinystävät (owner of o-dog, o-remote, o-draft, o-closed)."""
    return signed_in(app, "jasen@elaimet.example", Role.ASSOCIATION, ids["animals"])


@pytest.fixture
def culture(app, ids):
    """A member of Tornion Kulttuuriseura (owner of o-photo)."""
    return signed_in(app, "jasen@kulttuuri.example", Role.ASSOCIATION, ids["culture"])


def opening(app, ref) -> Opening:
    with app.app_context():
        return db.get_session().exec(select(Opening).where(Opening.ref == ref)).one()


def version(app) -> int:
    with app.app_context():
        return catalogue_version(db.get_session())


def opening_count(app) -> int:
    with app.app_context():
        return db.get_session().exec(select(func.count()).select_from(Opening)).one()


def in_engine(app, ref) -> bool:
    with app.test_request_context():
        return ref in get_matcher().index


def post_opening(client, url="/association/openings/new", action="save", **changes):
    data = {**OPENING, **changes, "action": action, "csrf_token": token(client, url.replace("/preview", "/edit")
                                                                         if "/o-" in url else
                                                                         "/association/openings/new")}
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def new_ref(response) -> str:
    return re.fullmatch(r"/association/openings/([\w-]+)/edit", response.location).group(1)


def status_action(client, ref, action):
    return client.post(f"/association/openings/{ref}/{action}", data={"csrf_token": token(client,
                                                                                           "/association/openings")})


# ---------------------------------------------------------------- registering

def test_registering_creates_the_association_and_its_member_and_signs_in(app, client):
    english(client)
    response = register(client)
    assert response.status_code == 303 and response.location == "/association/openings/new"
    with app.app_context():
        session = db.get_session()
        association = session.exec(select(Association)).one()
        user = session.exec(select(User)).one()
        assert (association.name, association.business_id, association.municipality, association.contact) == \
            ("Kemin Nuorisoseura ry", "0737546-2", "Kemi", "info@nuoriso.example")
        assert (user.email, user.role, user.association_id, user.name) == \
            ("maija@nuoriso.example", Role.ASSOCIATION, association.id, "Maija Mehiläinen")
        assert user.password_hash != PASSWORD and check_password_hash(user.password_hash, PASSWORD)
        assert user.password_hash.startswith("pbkdf2:sha256:1000")  # the app's PASSWORD_HASH_METHOD, as auth.py
    assert client.get("/association/openings").status_code == 200  # signed in, as a member
    assert "Our openings" in client.get("/association/openings").text


def test_the_new_member_can_sign_in_again(app, client):
    register(english(client))
    client.post("/auth/signout", data={"csrf_token": token(client, "/auth/signout")})
    assert client.get("/association/openings").status_code == 302
    response = client.post("/auth/signin", data={"email": "maija@nuoriso.example", "password": PASSWORD,
                                                 "csrf_token": token(client)})
    assert response.status_code == 302
    assert client.get("/association/openings").status_code == 200


def test_the_hints_own_business_id_example_is_accepted(app, client):
    example = re.search(r"for example (\d{7}-\d)\.", english(client).get("/association/register").text)
    assert example and ytunnus.is_valid(example.group(1))
    assert register(client, business_id=example.group(1)).status_code == 303


def test_the_business_id_is_optional(app, client):
    assert register(client, business_id="").status_code == 303
    with app.app_context():
        assert db.get_session().exec(select(Association.business_id)).one() is None


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the association's name."),
    ("name", "x" * 201, "Write at most 200 characters."),
    ("business_id", "0737546", "A Y-tunnus looks like 1234567-1"),
    ("business_id", "07375462", "A Y-tunnus looks like 1234567-1"),
    ("business_id", "0737546-3", "its check digit does not match"),
    ("business_id", "0000001-0", "its check digit does not match"),  # remainder 1: no valid ID has these digits
    ("municipality", "Atlantis", "is not a Finnish municipality"),
    ("municipality", "", "Enter the municipality"),
    ("contact", "  ", "Enter how young people and coordinators can reach you."),
    ("person_name", "", "Enter your name."),
    ("email", "maija.example", "Enter an e-mail address like name@example.fi."),
    ("email", "", "Enter your e-mail address."),
    ("password", "short", "Choose a password of 12 to 128 characters."),
    ("confirm", "something-else-1", "The passwords differ"),
])
def test_bad_registrations_say_what_is_wrong_and_save_nothing(app, client, field, value, message):
    english(client)
    response = register(client, **{field: value})
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error"[^>]*aria-invalid="true"', response.text)
    assert counts(app) == (0, 0)
    assert client.get("/association/openings").status_code == 302  # not signed in


@pytest.mark.parametrize("field, changes, message", [
    ("name", {"name": "oulun eläinystävät ry", "email": "uusi@example.fi"},
     "An association with this name is registered already."),
    ("business_id", {"name": "Toinen ry", "business_id": "1572860-0", "email": "uusi@example.fi"},
     "An association with this Y-tunnus is registered already."),
    ("email", {"name": "Toinen ry", "business_id": "", "email": "Anna@Example.fi"},
     "An account with this e-mail address exists already."),
])
def test_taken_names_ids_and_addresses_leave_nothing_half_saved(app, client, ids, field, changes, message):
    with app.app_context():
        session = db.get_session()
        session.get(Association, ids["animals"]).business_id = "1572860-0"
        session.commit()
    add_user(app, "anna@example.fi", Role.YOUTH)
    before = counts(app)
    response = register(english(client), **changes)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert counts(app) == before


def test_a_registration_racing_another_is_refused_whole_by_the_database(app, client, monkeypatch):
    """If another request takes the address between our check and our commit, nothing of ours is kept."""
    add_user(app, "maija@nuoriso.example", Role.YOUTH)
    before = counts(app)
    monkeypatch.setattr(association_service, "taken", lambda *args, **kwargs: {})
    response = register(english(client))
    assert response.status_code == 400
    assert counts(app) == before  # the association was not kept without its member


def test_a_signed_in_user_is_sent_away_from_registering(app, animals):
    response = animals.get("/association/register")
    assert response.status_code == 302 and response.location == "/"


# ---------------------------------------------------------------- the association's page

def test_a_member_edits_the_public_page(app, animals, ids):
    page = animals.get("/association/page")
    assert page.status_code == 200 and 'value="Oulun Eläinystävät ry"' in page.text
    before = version(app)
    data = {"name": "Oulun Eläinystävät ry", "municipality": "uleåborg", "contact": "puh. 040 123 4567",
            "description": "Uusi kuvaus.", "csrf_token": token(animals, "/association/page")}
    response = animals.post("/association/page", data=data)
    assert response.status_code == 303
    public = animals.get(f"/associations/{ids['animals']}").text
    assert "Uusi kuvaus." in public and "puh. 040 123 4567" in public
    assert version(app) == before  # the engine's records did not change
    data.update(name="Oulun Eläinystävät ja Kissat ry")
    assert animals.post("/association/page", data=data).status_code == 303
    assert version(app) > before  # the openings' association name did: the engine refreshes


def test_page_edits_are_checked(app, animals):
    data = {"name": "Tornion Kulttuuriseura ry", "municipality": "Narnia", "contact": "x",
            "csrf_token": token(animals, "/association/page")}
    response = animals.post("/association/page", data=data)
    assert response.status_code == 400
    assert "is not a Finnish municipality" in field_errors(response, "municipality")
    data["municipality"] = "Oulu"
    response = animals.post("/association/page", data=data)
    assert response.status_code == 400
    assert "An association with this name is registered already." in field_errors(response, "name")
    with app.app_context():
        names = db.get_session().exec(select(Association.name).order_by(Association.name)).all()
    assert names == ["Oulun Eläinystävät ry", "Tornion Kulttuuriseura ry"]


# ---------------------------------------------------------------- our openings

def test_our_openings_lists_every_status_with_interest_counts_and_only_our_own(app, animals, ids):
    with app.app_context():
        session = db.get_session()
        dog = session.exec(select(Opening).where(Opening.ref == "o-dog")).one()
        photo = session.exec(select(Opening).where(Opening.ref == "o-photo")).one()
        states = [InterestState.INTERESTED, InterestState.INTERESTED, InterestState.ACCEPTED,
                  InterestState.WITHDRAWN]
        for n, state in enumerate(states):
            user = User(email=f"nuori{n}@example.fi", role=Role.YOUTH, password_hash="x")
            profile = YouthProfile(user=user)
            session.add_all([user, profile])
            session.flush()
            session.add(Interest(youth_id=profile.id, opening_id=dog.id, state=state))
            session.add(Interest(youth_id=profile.id, opening_id=photo.id))
        session.commit()
    html = animals.get("/association/openings").text
    for title in ("Koiranulkoiluttaja", "Somepäivittäjä", "Koiratarhan siivooja", "Koiranäyttelyn järjestäjä"):
        assert title in html
    assert "Valokuvaaja" not in html  # another association's
    row = re.search(r'<tr>\s*<th scope="row"><a href="/association/openings/o-dog/edit">.*?</tr>', html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)  # each cell labelled by its column (data-label), for phones
    # interested (the withdrawn one not counted), and accepted of the capacity
    assert "open" in cells[0] and cells[1:] == ["2", "1 / 3"]
    assert "nuori0@example.fi" not in html  # counts only, nobody's identity
    draft = re.search(r'o-draft/edit">.*?</tr>', html, re.S).group(0)
    assert "draft" in draft and "/association/openings/o-draft/publish" in draft
    closed = re.search(r'o-closed/edit">.*?</tr>', html, re.S).group(0)
    assert "closed" in closed and "/association/openings/o-closed/reopen" in closed


# ---------------------------------------------------------------- posting and editing

def test_posting_an_opening_saves_every_field_as_a_draft(app, animals):
    before = opening_count(app)
    response = post_opening(animals)
    assert response.status_code == 303
    ref = new_ref(response)
    row = opening(app, ref)
    assert opening_count(app) == before + 1
    assert row.status == DRAFT
    assert (row.title, row.description, row.kind, row.themes, row.municipality, row.lat, row.lon, row.remote) == \
        ("Kirjaston satutuokio", OPENING["description"], "volunteer", ["children", "culture"], "Oulu", 65.0121,
         25.4651, True)
    assert (row.schedule, str(row.start_date), str(row.end_date), row.capacity, row.min_age, row.max_age) == \
        (["ke 16-19", "la 10-12"], "2026-06-01", "2026-08-31", 4, 15, 29)
    assert (row.languages, row.requirements, row.support, row.benefits) == \
        (["fi", "sv"], ["criminal_record_check"], ["peer_buddy", "group"], ["work_certificate", "meal"])
    assert animals.get(f"/openings/{ref}").status_code == 404  # a draft is not public
    assert not in_engine(app, ref)


def test_the_edit_page_shows_the_saved_values(app, animals):
    ref = new_ref(post_opening(animals))
    html = animals.get(f"/association/openings/{ref}/edit").text
    assert 'value="Kirjaston satutuokio"' in html and 'value="65.0121"' in html and 'value="2026-06-01"' in html
    assert "\nke 16-19\nla 10-12</textarea>" in html
    assert re.search(r'<input checked id="requirements-0" name="requirements" type="checkbox" '
                     r'value="criminal_record_check">', html)
    assert re.search(r'<option selected value="volunteer">', html)


def test_a_published_opening_is_public_and_in_the_engine_and_closing_removes_it(app, animals):
    before = version(app)
    response = post_opening(animals, action="publish")
    ref = new_ref(response)
    assert opening(app, ref).status == OPEN and version(app) > before
    assert animals.get(f"/openings/{ref}").status_code == 200
    assert in_engine(app, ref)
    assert status_action(animals, ref, "close").status_code == 303
    assert opening(app, ref).status == CLOSED
    assert animals.get(f"/openings/{ref}").status_code == 404
    assert not in_engine(app, ref)
    assert status_action(animals, ref, "reopen").status_code == 303
    assert opening(app, ref).status == OPEN and in_engine(app, ref)


def test_a_draft_is_published_from_the_list(app, animals):
    assert not in_engine(app, "o-draft")
    assert status_action(animals, "o-draft", "publish").status_code == 303
    assert opening(app, "o-draft").status == OPEN and in_engine(app, "o-draft")


@pytest.mark.parametrize("ref, action", [("o-dog", "publish"), ("o-dog", "reopen"), ("o-draft", "close"),
                                         ("o-closed", "publish"), ("o-closed", "close")])
def test_a_status_change_from_the_wrong_status_changes_nothing(app, animals, ref, action):
    status = opening(app, ref).status
    before = version(app)
    response = status_action(animals, ref, action)
    assert response.status_code == 303
    assert "cannot be done to an opening" in animals.get(response.location).text
    assert opening(app, ref).status == status and version(app) == before


def test_an_unknown_action_is_not_found(app, animals):
    assert status_action(animals, "o-dog", "delete").status_code in (404, 405)
    assert opening(app, "o-dog").status == OPEN


def test_editing_an_open_opening_keeps_it_open_and_refreshes_the_engine(app, animals):
    before = version(app)
    response = post_opening(animals, url="/association/openings/o-dog/edit", title="Koirakaveri",
                            capacity="5", action="save")
    assert response.status_code == 303
    row = opening(app, "o-dog")
    assert (row.title, row.status, row.capacity, row.filled) == ("Koirakaveri", OPEN, 5, 1)
    assert version(app) > before
    with app.test_request_context():
        index = get_matcher().index
        assert index.opening(index.row_of("o-dog")).title == "Koirakaveri"


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "Give the opening a title."),
    ("kind", "picnic", "Choose only from the options shown."),
    ("themes", ["animals", "dragons"], "Choose only from the options shown."),
    ("requirements", ["wizard_licence"], "Choose only from the options shown."),
    ("languages", ["xx"], "Choose only from the options shown."),
    ("municipality", "Gotham", "is not a Finnish municipality"),
    ("lat", "north", "Write a decimal number from -90 to 90"),
    ("lat", "91", "Write a decimal number from -90 to 90"),
    ("lon", "", "Give both the latitude and the longitude, or neither."),
    ("schedule", "maanantaina aamulla kuuhun", "We could not read “kuuhun”. Write it for example like this"),
    ("start_date", "1.6.2026", "Write a date like 2026-06-01"),
    ("end_date", "2026-05-01", "The end date is before the start date."),
    ("capacity", "0", "Write a whole number from 1 to 1000000."),
    ("capacity", "many", "Write a whole number from 1 to 1000000."),
    ("min_age", "-1", "Write a whole number from 0 to 120."),
    ("max_age", "12", "The oldest age is below the youngest age."),
])
def test_bad_openings_say_what_is_wrong_next_to_the_field_and_save_nothing(app, animals, field, value, message):
    before, version_before = opening_count(app), version(app)
    response = post_opening(animals, action="publish", **{field: value})
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert opening_count(app) == before and version(app) == version_before


def test_the_engine_has_the_last_word_on_what_is_valid(app, ids):
    """A value the engine cannot read is refused by the table itself, naming the field; a row written past
    the table (or before it refused such values) is refused when saved or published, naming the field."""
    from matching.io import FieldError
    from webapp.services.openings import OpeningRefused, check
    with pytest.raises(FieldError) as refused:
        Opening(ref="o-x", title="Testi", kind="picnic", association_id=ids["animals"])
    assert refused.value.field == "kind" and "picnic" in refused.value.message
    with app.test_request_context(headers={"Accept-Language": "en"}):
        session = db.get_session()
        write_past_the_table(session, "o-draft", schedule=["kuutamolla"])
        row = session.exec(select(Opening).where(Opening.ref == "o-draft")).one()
        with pytest.raises(OpeningRefused) as refused_row:
            check(row, "Oulun Eläinystävät ry")
    assert "The matching engine cannot read this value" in refused_row.value.errors["schedule"]
    assert "kuutamolla" in refused_row.value.errors["schedule"]


def write_past_the_table(session, ref, **values):
    """An opening's columns written with plain SQL, as an old row or another program might have them."""
    table = Opening.__table__
    session.connection().execute(table.update().where(table.c.ref == ref).values(**values))
    session.commit()


def test_a_draft_the_engine_cannot_read_is_not_published(app, animals):
    with app.app_context():
        session = db.get_session()
        write_past_the_table(session, "o-draft", schedule=["kuutamolla"])
    before = version(app)
    response = status_action(animals, "o-draft", "publish")
    assert response.status_code == 303
    assert "The matching engine cannot read this value" in animals.get(response.location).text
    assert opening(app, "o-draft").status == DRAFT and version(app) == before


def test_the_schedule_error_says_what_could_not_be_read(app, animals):
    response = post_opening(animals, schedule="ke 16-19\nkuutamolla")
    assert response.status_code == 400
    assert "kuutamolla" in field_errors(response, "schedule")


def test_the_capacity_cannot_go_below_the_places_taken(app, ids):
    with app.app_context():
        session = db.get_session()
        dog = session.exec(select(Opening).where(Opening.ref == "o-dog")).one()
        dog.filled = 2
        session.commit()
    client = signed_in(app, "jasen@elaimet.example", Role.ASSOCIATION, ids["animals"])
    response = post_opening(client, url="/association/openings/o-dog/edit", capacity="1")
    assert response.status_code == 400
    assert "2 places are taken already, so the opening needs at least 2 places." in field_errors(response, "capacity")
    assert opening(app, "o-dog").capacity == 3
    assert post_opening(client, url="/association/openings/o-dog/edit", capacity="2").status_code == 303
    assert opening(app, "o-dog").capacity == 2


def test_a_capacity_race_lost_to_the_database_saves_nothing(app, animals, monkeypatch):
    """If places are taken between our check and our commit, the database refuses the change whole."""
    from webapp.services import openings as openings_service
    with app.app_context():
        session = db.get_session()
        session.exec(select(Opening).where(Opening.ref == "o-dog")).one().filled = 2
        session.commit()
    monkeypatch.setattr(openings_service, "check", lambda row, name: None)  # the check saw filled = 0
    before = version(app)
    response = post_opening(animals, url="/association/openings/o-dog/edit", capacity="1", title="Muutettu")
    assert response.status_code == 400
    assert "More places were taken meanwhile" in field_errors(response, "capacity")
    row = opening(app, "o-dog")
    assert (row.title, row.capacity, row.filled) == ("Koiranulkoiluttaja", 3, 2) and version(app) == before


def test_the_edit_page_previews_the_saved_opening(app, animals):
    html = animals.get("/association/openings/o-dog/edit").text
    panel = re.search(r'<div id="preview-panel" aria-live="polite">(.*?)</div>\s*</section>', html, re.S).group(1)
    assert "<h3>Koiranulkoiluttaja</h3>" in panel and "<dd>Wed 16:00–19:00</dd>" in panel
    assert "3 places, 2 left" in panel


# ---------------------------------------------------------------- preview

def test_the_preview_shows_the_opening_as_the_public_sees_it_and_saves_nothing(app, animals):
    before, version_before = opening_count(app), version(app)
    response = post_opening(animals, action="preview")
    assert response.status_code == 200
    panel = re.search(r'<div id="preview-panel" aria-live="polite">(.*?)</div>\s*</section>', response.text,
                      re.S).group(1)
    assert "<h3>Kirjaston satutuokio</h3>" in panel and "Oulun Eläinystävät ry" in panel
    assert "<dd>Wed 16:00–19:00, Sat 10:00–12:00</dd>" in panel  # the engine's reading (matching.week_text)
    assert "Oulu (65.0121, 25.4651)" in panel and "Remote: can be done from anywhere" in panel
    assert "4 places, 4 left" in panel and "15 to 29 years" in panel
    assert 'value="Kirjaston satutuokio"' in response.text  # the form keeps what was typed
    assert opening_count(app) == before and version(app) == version_before


def test_the_preview_of_an_existing_opening_changes_nothing(app, animals):
    before = version(app)
    response = post_opening(animals, url="/association/openings/o-dog/edit", action="preview", title="Uusi otsikko")
    assert response.status_code == 200 and "<h3>Uusi otsikko</h3>" in response.text
    assert "4 places, 3 left" in response.text  # capacity 4 typed, 1 taken already
    assert opening(app, "o-dog").title == "Koiranulkoiluttaja" and version(app) == before


def test_the_preview_is_in_the_readers_language(app, ids):
    client = signed_in(app, "jasen@elaimet.example", Role.ASSOCIATION, ids["animals"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    assert "ke klo 16–19" in post_opening(client, action="preview").text
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    assert "ons kl. 16–19" in post_opening(client, action="preview").text


def test_a_bad_preview_shows_the_errors_and_saves_nothing(app, animals):
    before = opening_count(app)
    response = post_opening(animals, action="preview", schedule="kuutamolla")
    assert response.status_code == 400
    assert "We could not read “" in field_errors(response, "schedule")
    assert opening_count(app) == before


def test_the_live_preview_endpoint_answers_the_panel_only_and_saves_nothing(app, animals):
    before, version_before = opening_count(app), version(app)
    response = post_opening(animals, url="/association/openings/preview", action="preview")
    assert response.status_code == 200 and response.headers["X-Preview-Panel"] == "1"
    assert "<html" not in response.text and "<h3>Kirjaston satutuokio</h3>" in response.text
    response = post_opening(animals, url="/association/openings/o-dog/preview", title="Toinen")
    assert response.status_code == 200 and "<h3>Toinen</h3>" in response.text
    bad = post_opening(animals, url="/association/openings/preview", min_age="99", max_age="20")
    assert bad.status_code == 400 and "The oldest age is below the youngest age." in bad.text
    assert opening_count(app) == before and version(app) == version_before
    assert opening(app, "o-dog").title == "Koiranulkoiluttaja"


def test_the_live_preview_needs_the_csrf_token(app, animals):
    response = animals.post("/association/openings/preview", data={**OPENING})
    assert response.status_code == 400 and "X-Preview-Panel" not in response.headers  # the script leaves it out


def test_the_form_page_loads_the_preview_script_without_inline_code(app, animals):
    html = animals.get("/association/openings/new").text
    assert '<script src="/static/preview.js" defer></script>' in html
    assert 'data-preview-url="/association/openings/preview"' in html
    assert "<script>" not in html and "style=" not in html and " onclick=" not in html
    script = animals.get("/static/preview.js")
    assert script.status_code == 200 and "data-preview-url" in script.text
    script.close()


# ---------------------------------------------------------------- who may

MEMBER_PAGES = ["/association/", "/association/page", "/association/openings", "/association/openings/new",
                "/association/openings/o-dog/edit"]
MEMBER_POSTS = ["/association/page", "/association/openings/new", "/association/openings/o-dog/edit",
                "/association/openings/o-dog/close", "/association/openings/preview",
                "/association/openings/o-dog/preview"]


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_visitors_are_sent_to_sign_in(app, client, ids, url):
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/auth/signin")


@pytest.mark.parametrize("url", MEMBER_POSTS)
def test_visitors_cannot_post(app, client, ids, url):
    data = {**OPENING, "csrf_token": token(client)}
    response = client.post(url, data=data)
    assert response.status_code == 302 and response.location.startswith("/auth/signin")
    assert opening(app, "o-dog").status == OPEN and opening_count(app) == 5


@pytest.mark.parametrize("role", [Role.YOUTH, Role.COORDINATOR])
def test_youths_and_coordinators_are_refused(app, ids, role):
    client = signed_in(app, f"{role.value}@example.fi", role)
    for url in MEMBER_PAGES:
        assert client.get(url).status_code == 403, url
    csrf = token(client)
    for url in MEMBER_POSTS:
        assert client.post(url, data={**OPENING, "csrf_token": csrf}).status_code == 403, url
    assert opening(app, "o-dog").status == OPEN and opening_count(app) == 5


def test_an_association_account_without_an_association_is_refused(app, ids):
    client = signed_in(app, "orpo@example.fi", Role.ASSOCIATION)
    assert client.get("/association/openings").status_code == 403
    assert client.get("/association/page").status_code == 403


@pytest.mark.parametrize("url", ["/association/openings/o-photo/edit", "/association/openings/o-nonexistent/edit"])
def test_another_associations_opening_is_not_found_like_a_missing_one(app, animals, url):
    response = animals.get(url)
    assert response.status_code == 404
    assert "Your association has no opening with this address." in response.text
    assert "Valokuvaaja" not in response.text


@pytest.mark.parametrize("ref", ["o-photo", "o-nonexistent"])
def test_another_associations_opening_cannot_be_changed_or_previewed(app, animals, ref):
    csrf = token(animals, "/association/openings")
    for url in (f"/association/openings/{ref}/edit", f"/association/openings/{ref}/close",
                f"/association/openings/{ref}/preview"):
        response = animals.post(url, data={**OPENING, "action": "save", "csrf_token": csrf})
        assert response.status_code == 404, url
        assert "Valokuvaaja" not in response.text
    photo = opening(app, "o-photo")
    assert (photo.title, photo.status) == ("Valokuvaaja festivaaleille", OPEN)


def test_the_owner_of_the_other_opening_can_edit_it(app, culture):
    assert culture.get("/association/openings/o-photo/edit").status_code == 200
    assert culture.get("/association/openings/o-dog/edit").status_code == 404
    assert "Koiranulkoiluttaja" not in culture.get("/association/openings").text


# ---------------------------------------------------------------- languages

@pytest.mark.parametrize("lang, heading, nav", [("fi", "Omat tehtävämme", "Uusi tehtävä"),
                                                ("sv", "Våra uppdrag", "Nytt uppdrag")])
def test_the_pages_are_translated(app, animals, lang, heading, nav):
    animals.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    html = animals.get("/association/openings").text
    assert f"<h1>{heading}</h1>" in html and nav in html
    form = animals.get("/association/openings/new").text
    assert "Post a new opening" not in form and "Preview" not in form
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    assert "Register an association" not in anonymous.get("/association/register").text
