"""`flask --app webapp invite-admin EMAIL`: the first administrator of an install, without demo accounts. The
command makes an administrator account with no password that works and prints a one-time link; the person
follows it, chooses a password and is in the administration. An address that has an account is refused."""
from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD, add_account
from webapp import db
from webapp.models import AuditEntry, Invitation, User
from webapp.services.accounts import UNUSABLE_PASSWORD
from webapp.states import Role

NEW = "kettu juoksee sumussa"
LINK = re.compile(r"^(https?://\S+)/auth/invitation/([\w-]+)$", re.M)


def invite(runner, *args):
    return runner.invoke(args=["invite-admin", *args])


def _rows(app, model):
    with app.app_context():
        return db.get_session().exec(select(func.count()).select_from(model)).one()


def _user(app, email):
    with app.app_context():
        return db.get_session().exec(select(User).where(User.email == email)).first()


def test_the_printed_link_lets_the_new_administrator_choose_a_password_and_in(app, runner):
    result = invite(runner, " Ria.Root@Example.fi ", "--name", "Ria Root")
    assert result.exit_code == 0, result.output
    base, link_token = LINK.search(result.output).groups()
    assert base == "http://127.0.0.1:5000"
    user = _user(app, "ria.root@example.fi")
    assert (user.role, user.name, user.password_hash, user.active) == (Role.ADMIN, "Ria Root", UNUSABLE_PASSWORD,
                                                                       True)
    with app.app_context():
        entry = db.get_session().exec(select(AuditEntry)).one()
        stored = db.get_session().exec(select(Invitation)).one()
    assert (entry.action, entry.user_id, entry.subject) == ("account.invite_admin", None, f"user:{user.id}")
    assert link_token not in stored.token_hash  # only its hash is kept

    client = english(app.test_client())
    for password in [UNUSABLE_PASSWORD, "", PASSWORD]:  # before the link is used no password signs in
        assert client.post("/auth/signin", data={"email": "ria.root@example.fi", "password": password,
                                                 "csrf_token": token(client)}).status_code in (400, 401)
    page = client.get(f"/auth/invitation/{link_token}")
    assert page.status_code == 200 and "ria.root@example.fi" in page.text
    easy = client.post(f"/auth/invitation/{link_token}", data={"password": "123456789012", "confirm": "123456789012",
                                                               "csrf_token": token(client)})
    assert easy.status_code == 400 and "too easy to guess" in field_errors(easy, "password")
    response = client.post(f"/auth/invitation/{link_token}", data={"password": NEW, "confirm": NEW,
                                                                   "csrf_token": token(client)})
    assert response.status_code == 302 and response.location.endswith("/admin/")
    home = client.get("/admin/")
    assert home.status_code == 200 and "invited an administrator from the command line" in home.text

    used = english(app.test_client())
    assert used.get(f"/auth/invitation/{link_token}").status_code == 404  # the link worked once
    assert used.post("/auth/signin", data={"email": "ria.root@example.fi", "password": NEW,
                                           "csrf_token": token(used)}).status_code == 302
    assert used.get("/admin/coordinators").status_code == 200


def test_the_link_starts_with_the_base_url(runner):
    result = invite(runner, "ria@example.fi", "--base-url", "https://polku.example.fi/app/")
    assert result.exit_code == 0, result.output
    assert LINK.search(result.output).group(1) == "https://polku.example.fi/app"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.YOUTH, Role.COORDINATOR])
def test_an_address_with_an_account_is_refused_and_nothing_changes(app, runner, role):
    add_account(app, "ria@example.fi", role)
    before = _user(app, "ria@example.fi")
    result = invite(runner, "RIA@example.fi", "--name", "Ria Root")
    assert result.exit_code == 2
    assert "EMAIL: An account with this e-mail address exists already. Nothing was made." in result.output
    after = _user(app, "ria@example.fi")
    assert (after.role, after.password_hash, after.name) == (before.role, before.password_hash, before.name)
    assert _rows(app, Invitation) == 0 and _rows(app, AuditEntry) == 0


def test_inviting_again_an_administrator_who_never_came_gives_a_new_link_and_kills_the_old(app, runner):
    """The link works for 7 days; one lost or expired is replaced by running the command again."""
    first = LINK.search(invite(runner, "ria@example.fi").output).group(2)
    again = invite(runner, "ria@example.fi")
    assert again.exit_code == 0, again.output
    assert "invited again (the earlier link no longer works)" in again.output
    second = LINK.search(again.output).group(2)
    assert second != first and _rows(app, User) == 1 and _rows(app, Invitation) == 2
    client = english(app.test_client())
    assert client.get(f"/auth/invitation/{first}").status_code == 404
    assert client.post(f"/auth/invitation/{second}", data={"password": NEW, "confirm": NEW,
                                                           "csrf_token": token(client)}).status_code == 302
    with app.app_context():
        actions = [e.action for e in db.get_session().exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[:2] == ["account.invite_admin", "account.reinvite"]
    # once the password is chosen the account is someone's: the command refuses, and no link is printed
    refused = invite(runner, "ria@example.fi")
    assert refused.exit_code == 2 and "exists already" in refused.output and LINK.search(refused.output) is None


@pytest.mark.parametrize("args, message", [
    (["not-an-address"], "EMAIL: Enter an e-mail address like name@example.fi."),
    (["ria@example"], "EMAIL: Enter an e-mail address like name@example.fi."),
    (["ria@example.fi", "--name", "x" * 201], "--name: Write at most 200 characters."),
    (["ria@example.fi", "--base-url", "polku.example.fi"], "--base-url: expected an http:// or https:// address"),
    (["ria@example.fi", "--base-url", "javascript:alert(1)//"], "--base-url: expected an http:// or https://"),
])
def test_bad_input_is_refused_with_exit_code_2_and_makes_nothing(app, runner, args, message):
    result = invite(runner, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert _rows(app, User) == 0 and _rows(app, Invitation) == 0
