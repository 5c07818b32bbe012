"""Sign-in abuse: counted before the hash, so parallel guesses cannot race the limit; a stranger's guesses
never lock the owner out of a browser they signed in from; sign-ups and registrations are limited per address."""
from __future__ import annotations

import threading


from tests.support.apps import with_whoami
from tests.support.clients import english, token
from tests.support.signin import PASSWORD, add_account
from webapp.auth import passwords


def _sign_in(client, password, email="anna@example.fi"):
    return client.post("/auth/signin", data={"email": email, "password": password, "csrf_token": token(client)})


def test_a_hundred_parallel_guesses_on_one_account_are_checked_at_most_the_limit(app, monkeypatch):
    add_account(app)
    checked = []
    original = passwords.matches

    def counting(password_hash, password):
        checked.append(password)
        return original(password_hash, password)

    monkeypatch.setattr(passwords, "matches", counting)
    app.config["SIGNIN_ADDRESS_MAX_FAILURES"] = 1000  # this test is about the account's limit
    clients = [english(app.test_client()) for _ in range(100)]
    tokens = [token(c) for c in clients]
    statuses = []
    start = threading.Barrier(100)

    def guess(i):
        start.wait()
        response = clients[i].post("/auth/signin", data={"email": "anna@example.fi", "password": f"väärä-{i}",
                                                          "csrf_token": tokens[i]})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 100 and set(statuses) <= {400, 429}
    assert len(checked) == statuses.count(400) <= app.config["SIGNIN_MAX_FAILURES"]


def test_a_strangers_guesses_never_lock_the_owner_out_of_their_browser(app):
    with_whoami(app)
    add_account(app)
    owner = english(app.test_client())
    assert _sign_in(owner, PASSWORD).status_code == 302  # the owner's browser: now known to the account
    owner.post("/auth/signout", data={"csrf_token": token(owner, "/auth/signout")})
    stranger = english(app.test_client())
    stranger.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    answers = [_sign_in(stranger, f"arvaus-{i}").status_code for i in range(20)]
    assert answers[:5] == [400] * 5 and set(answers[5:]) == {429}  # strangers are slowed down ...
    assert _sign_in(stranger, PASSWORD).status_code == 429  # ... even with the right password
    assert _sign_in(owner, PASSWORD).status_code == 302  # the owner is not
    assert owner.get("/whoami").text == "anna@example.fi"


def test_one_address_cannot_make_the_server_hash_passwords_at_will(app):
    app.config["SIGNIN_ADDRESS_MAX_FAILURES"] = 30
    client = english(app.test_client())
    answers = [_sign_in(client, "väärä", email=f"keksitty-{i}@example.fi").status_code for i in range(40)]
    assert answers[:30] == [400] * 30 and set(answers[30:]) == {429}
    other = english(app.test_client())
    other.environ_base["REMOTE_ADDR"] = "198.51.100.2"
    assert _sign_in(other, "väärä", email="keksitty@example.fi").status_code == 400  # another address is not slowed


def test_sign_ups_are_limited_per_address(app):
    client = english(app.test_client())
    answers = []
    for i in range(12):
        fresh = english(app.test_client())
        answers.append(fresh.post("/auth/signup", data={
            "email": f"nuori-{i}@example.fi", "age": "17", "password": PASSWORD, "confirm": PASSWORD, "consent": "y",
            "csrf_token": token(fresh, "/auth/signup")}).status_code)
    assert answers[:10] == [302] * 10 and answers[10:] == [429, 429]
    assert client.get("/auth/signup").status_code == 200


def test_association_registrations_are_limited_per_address(app):
    answers = []
    for i in range(7):
        fresh = english(app.test_client())
        answers.append(fresh.post("/association/register", data={
            "name": f"Seura {i} ry", "business_id": "", "municipality": "Oulu", "contact": "info@seura.example",
            "description": "", "person_name": "Testi Henkilö", "email": f"seura{i}@example.fi", "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf_token": token(fresh, "/association/register")}).status_code)
    assert answers[:5] == [303] * 5 and answers[5:] == [429, 429]
