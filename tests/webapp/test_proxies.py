"""Behind reverse proxies (`POLKU_PROXIES`): each visitor's forwarded address has its own sign-in budget; without
the setting the forwarded header is ignored, and a bad setting stops the app from starting."""
from __future__ import annotations

import secrets

import pytest

from tests.support.apps import make_app
from tests.support.clients import english, token
from webapp import create_app, db, migrate
from webapp.proxies import ProxySettingError

MOST = 3  # failed sign-ins per address in the window, for these tests


@pytest.fixture
def proxied_app(database_url, monkeypatch, request):
    """An app whose `POLKU_PROXIES` environment variable is the test's parameter (None: not set)."""
    monkeypatch.delenv("POLKU_PROXIES", raising=False)
    if request.param is not None:
        monkeypatch.setenv("POLKU_PROXIES", request.param)
    app = make_app(database_url, SIGNIN_ADDRESS_MAX_FAILURES=MOST)
    migrate.upgrade(app)
    yield app
    db.dispose(app)


def _visitor(app, forwarded_for):
    client = english(app.test_client())
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy: every request comes from it
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def _failed_sign_ins(client, count, start=0):
    """`count` sign-ins with a wrong password for made-up addresses (no account's own limit plays a part)."""
    return [client.post("/auth/signin", data={"email": f"keksitty-{start + i}@example.fi", "password": "väärä",
                                              "csrf_token": token(client)}).status_code for i in range(count)]


@pytest.mark.parametrize("proxied_app", ["1"], indirect=True)
def test_behind_one_proxy_each_forwarded_address_has_its_own_budget(proxied_app):
    first, second = _visitor(proxied_app, "203.0.113.1"), _visitor(proxied_app, "203.0.113.2")
    assert _failed_sign_ins(first, MOST + 1) == [400] * MOST + [429]
    assert _failed_sign_ins(second, MOST, start=100) == [400] * MOST  # not slowed down by the first visitor
    assert _failed_sign_ins(second, 1, start=200) == [429]


@pytest.mark.parametrize("proxied_app", ["1"], indirect=True)
def test_a_client_cannot_choose_its_address_by_sending_the_header_itself(proxied_app):
    assert _failed_sign_ins(_visitor(proxied_app, "203.0.113.1"), MOST) == [400] * MOST
    # the client wrote "198.51.100.9" itself; the one proxy appended the address it saw, which alone counts
    spoofing = _visitor(proxied_app, "198.51.100.9, 203.0.113.1")
    assert _failed_sign_ins(spoofing, 1, start=100) == [429]


@pytest.mark.parametrize("proxied_app", [None, "0"], indirect=True)
def test_without_the_setting_the_forwarded_header_is_ignored(proxied_app):
    assert _failed_sign_ins(_visitor(proxied_app, "203.0.113.1"), MOST) == [400] * MOST
    # another forwarded address, the same connection: one budget, the connection's
    assert _failed_sign_ins(_visitor(proxied_app, "203.0.113.2"), 1, start=100) == [429]
    # while another connection has its own
    other = english(proxied_app.test_client())
    other.environ_base["REMOTE_ADDR"] = "10.0.0.3"
    assert _failed_sign_ins(other, 1, start=200) == [400]


@pytest.mark.parametrize("value", ["-1", "1.5", "two", "1,2", " ", "true"])
def test_a_bad_setting_refuses_to_start_and_says_why(monkeypatch, value):
    monkeypatch.setenv("POLKU_PROXIES", value)
    with pytest.raises(ProxySettingError, match=r"POLKU_PROXIES must be a whole number of 0 or more") as refused:
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": secrets.token_urlsafe(48)})
    assert repr(value) in str(refused.value)


@pytest.mark.parametrize("value", [-1, 1.5, True, None])
def test_a_bad_setting_in_the_config_refuses_to_start_too(value):
    with pytest.raises(ProxySettingError):
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "POLKU_PROXIES": value})
