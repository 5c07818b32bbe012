"""Notifications: stored as kind and parameters, worded when read in the reader's language, counted unread
in the navigation of every role, each user's own only, and told in the same transaction as their event."""
from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlmodel import select

from tests.support.applicants import add_user
from tests.support.clients import english, token
from tests.support.signin import sign_in_as
from tests.support.talk import decide, notices_of, talk_world
from webapp import db
from webapp.models import EmailChoice, Notice, User
from webapp.services import notices
from webapp.states import Role


@pytest.fixture
def talk(app):
    return talk_world(app)


def test_a_new_interest_tells_every_member_of_the_association_and_nobody_else(talk):
    [notice] = notices_of(talk.app, talk.member_id)
    assert notice.kind == "interest" and notice.params == {"opening": "Koiranulkoiluttaja", "ref": "o-dog"}
    assert notice.link == "/association/openings/o-dog/applicants" and notice.read_at is None
    assert notices_of(talk.app, talk.other_member_id) == []
    assert notices_of(talk.app, talk.anna_user_id) == []


def test_the_members_nav_counts_unread_in_words_and_the_list_shows_the_text(talk):
    member = talk.member()
    html = member.get("/association/openings").text
    assert '<a href="/notifications">Notifications (1 unread)</a>' in html
    page = member.get("/notifications").text
    assert "Someone is interested in “Koiranulkoiluttaja”." in page
    assert "New:" in page  # unread is said in words, not by colour alone
    for word in ("referral", "cohort", "coordinator", "Pidän koirista"):
        assert word not in page


def test_decisions_tell_the_youth_in_their_language(talk):
    member = talk.member()
    assert decide(member, talk.interest_id, "accept").status_code == 303
    kinds = [n.kind for n in notices_of(talk.app, talk.anna_user_id)]
    assert kinds == ["accepted"]
    html = talk.anna.get("/youth/activities").text
    assert "Notifications (1 unread)" in html
    talk.anna.get("/language?lang=fi")
    page = talk.anna.get("/notifications").text
    assert "Oulun Eläinystävät ry hyväksyi sinut tehtävään ”Koiranulkoiluttaja”." in page
    talk.anna.get("/language?lang=sv")
    assert "Oulun Eläinystävät ry har antagit dig till ”Koiranulkoiluttaja”." in talk.anna.get("/notifications").text
    assert decide(member, talk.interest_id, "drop").status_code == 303
    assert [n.kind for n in notices_of(talk.app, talk.anna_user_id)] == ["accepted", "dropped"]


@pytest.mark.parametrize("kind", sorted(notices.KINDS))
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_kind_is_worded_in_every_language(app, kind, language):
    params = {"association": "Testi ry", "opening": "Kuvaaja", "interest_id": 3, "referral_id": 4, "youth_id": 5,
              "proposal_id": 6, "ref": "o-x", "cohort": "Syksy", "cohort_id": 7}
    notice = Notice(user_id=1, kind=kind, params={k: params[k] for k in notices.KINDS[kind][1]})
    with app.test_request_context(), force_locale(language):
        worded = notices.text(notice)
        english_text = notices.email_text(notice, "en")
    assert worded and "%(" not in worded
    if language != "en":
        assert worded != english_text, f"{kind} is not translated to {language}"
    if notices.KINDS[kind][0] == Role.ASSOCIATION:  # an association never reads of youth services
        for word in ("coordinator", "referral", "cohort", "koordinaattori", "ohjaus", "kohortti", "handledare"):
            assert word not in worded.lower()


def test_notify_refuses_a_kind_or_parameters_it_does_not_know(app):
    with app.app_context():
        session = db.get_session()
        with pytest.raises(ValueError, match="unknown notice kind"):
            notices.notify(session, 1, "nonsense")
        with pytest.raises(ValueError, match="parameters"):
            notices.notify(session, 1, "accepted", opening="x")


def test_opening_a_notice_marks_it_read_and_leads_to_its_page_and_another_users_is_404(talk):
    member = talk.member()
    decide(member, talk.interest_id, "accept")
    decide(member, talk.interest_id, "drop")
    first, second = notices_of(talk.app, talk.anna_user_id)
    csrf = token(talk.anna, "/notifications")
    stranger = talk.member("other")
    assert stranger.post(f"/notifications/{first.id}/read",
                         data={"csrf_token": token(stranger, "/notifications")}).status_code == 404
    assert stranger.post("/notifications/999999/read",
                         data={"csrf_token": token(stranger, "/notifications")}).status_code == 404
    assert "Koiranulkoiluttaja" not in stranger.get("/notifications").text
    assert [n.read_at for n in notices_of(talk.app, talk.anna_user_id)] == [None, None]
    opened = talk.anna.post(f"/notifications/{first.id}/read", data={"csrf_token": csrf})
    assert opened.status_code == 303 and opened.location == f"/youth/activities/{talk.interest_id}/messages"
    assert [n.read_at is not None for n in notices_of(talk.app, talk.anna_user_id)] == [True, False]
    assert "Notifications (1 unread)" in talk.anna.get("/youth/activities").text
    assert talk.anna.post("/notifications/read", data={"csrf_token": csrf}).status_code == 303
    assert all(n.read_at is not None for n in notices_of(talk.app, talk.anna_user_id))
    html = talk.anna.get("/youth/activities").text
    assert re.search(r'<a href="/notifications">Notifications</a>', html)
    assert talk.anna.post("/notifications/read", data={}).status_code == 400  # no CSRF token


def test_the_list_is_newest_first_and_paged(app):
    user_id = add_user(app, "kaisa@example.fi", Role.YOUTH)
    with app.app_context():
        session = db.get_session()
        for n in range(notices.PER_PAGE + 3):
            notices.notify(session, user_id, "suggestion", opening=f"Tehtävä {n:02d}", proposal_id=n)
        session.commit()
    client = sign_in_as(english(app.test_client()), user_id)
    first = client.get("/notifications").text
    assert "Tehtävä 22" in first and "Tehtävä 02" not in first
    assert first.index("Tehtävä 22") < first.index("Tehtävä 21")
    assert "Page 1 of 2" in first
    second = client.get("/notifications?page=2").text
    assert "Tehtävä 00" in second and "Tehtävä 22" not in second
    assert client.get("/notifications?page=x").status_code == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_every_role_has_the_page_and_the_count(app, role):
    user_id = add_user(app, f"{role.value}@example.fi", role)
    client = sign_in_as(english(app.test_client()), user_id)
    assert client.get("/notifications").status_code == 200
    assert '<a href="/notifications" aria-current="page">Notifications</a>' in client.get("/notifications").text
    assert english(app.test_client()).get("/notifications").status_code == 302  # visitors sign in first


# ---------------------------------------------------------------- e-mail choice

def test_email_timing_follows_the_choice_and_defaults(talk):
    app = talk.app
    with app.app_context():
        session = db.get_session()
        anna = session.get(User, talk.anna_user_id)
        [notice] = [n for n in session.exec(select(Notice).where(Notice.user_id == talk.member_id))]
        assert notices.email_timing(session, notice) == notices.Timing.NOW  # associations: at once by default
        youth_notice = notices.notify(session, anna.id, "referral", referral_id=1)
        session.commit()
        assert notices.email_timing(session, youth_notice) == notices.Timing.NOW  # youths too: see DEFAULTS
        notices.choose(session, anna, EmailChoice.DIGEST, "sv")
        assert notices.email_timing(session, youth_notice) == notices.Timing.DIGEST
        notices.choose(session, anna, "none", "sv")
        assert notices.email_timing(session, youth_notice) == notices.Timing.NEVER
        notices.choose(session, anna, "now", "fi")
        anna.active = False
        session.add(anna)
        session.commit()
        assert notices.email_timing(session, youth_notice) == notices.Timing.NEVER  # a closed account: never
        stray = notices.notify(session, talk.member_id, "referral", referral_id=1)  # a youth's kind to a member
        session.commit()
        assert notices.email_timing(session, stray) == notices.Timing.NEVER
        with pytest.raises(ValueError):
            notices.choose(session, anna, "hourly", "fi")
        with pytest.raises(ValueError):
            notices.choose(session, anna, "now", "de")


def test_the_settings_page_shows_and_saves_the_choice(talk):
    anna = talk.anna
    page = anna.get("/account/notifications").text
    assert 'value="now" checked' in page or re.search(r'checked[^>]*value="now"', page)
    assert "You have not chosen yet" in page
    csrf = token(anna, "/account/notifications")
    bad = anna.post("/account/notifications", data={"csrf_token": csrf, "email": "hourly", "language": "fi"})
    assert bad.status_code == 400 and 'class="errors"' in bad.text
    assert anna.post("/account/notifications", data={"csrf_token": csrf, "email": "digest",
                                                     "language": "sv"}).status_code == 303
    page = anna.get("/account/notifications").text
    assert re.search(r'checked[^>]*value="digest"|value="digest"[^>]*checked', page)
    assert "You have not chosen yet" not in page
    with talk.app.app_context():
        session = db.get_session()
        chosen = notices.setting(session, session.get(User, talk.anna_user_id))
    assert (chosen.email, chosen.language, chosen.chosen) == (EmailChoice.DIGEST, "sv", True)
