"""Logging in is throttled (django-axes), through the real admin login form.

Five failed attempts lock out that user name, and separately that address, for
15 minutes. While locked, a try is refused before any password is checked: a
counting password hasher shows that the hasher is never called.
"""

import re
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.test_csp import directives
from tests.test_settings import ROOT, UNUSED_DATABASE

PASSWORD = "a long test password 1"  # factories.make_curator's
WRONG = "not the password at all"
ATTACKER = "203.0.113.66"
ELSEWHERE = "198.51.100.7"


class CountingHasher(MD5PasswordHasher):
    """A fast hasher that counts the hashes it computes: checking a password computes one,
    and so does Django's check for a user name that does not exist (to take as long)."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher():
    with override_settings(PASSWORD_HASHERS=["tests.test_login_throttling.CountingHasher"]):
        CountingHasher.calls = 0
        yield CountingHasher


def log_in(client, username: str, password: str, address: str = ATTACKER, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response.url == "/admin/"


def refused_as_wrong(response) -> bool:
    """The login page again, saying the user name or password is wrong."""
    return response.status_code == 200 and "Please enter the correct username" in (
        response.content.decode()
    )


def locked(response) -> bool:
    return response.status_code == 429 and "Logging in is locked" in response.content.decode()


def fail(client, times: int, username: str = "casey.curator", address: str = ATTACKER):
    for attempt in range(1, times + 1):
        response = log_in(client, username, WRONG, address)
        # The attempt that reaches the limit is the first to show the lockout page.
        assert refused_as_wrong(response) or (locked(response) and attempt >= 5), attempt


def test_four_failures_are_allowed_and_the_fifth_locks(client, db):
    factories.make_curator()
    fail(client, 4)
    assert logged_in(log_in(client, "casey.curator", PASSWORD))
    client.logout()
    fail(client, 4)  # eight in all, but a success cleared the first four
    assert logged_in(log_in(client, "casey.curator", PASSWORD))
    client.logout()

    fail(client, 4)
    # The fifth failure since the last success locks: even the right password is refused.
    assert locked(log_in(client, "casey.curator", WRONG))
    assert locked(log_in(client, "casey.curator", PASSWORD))
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_what_happened_in_the_admins_look(client, db):
    factories.make_curator()
    fail(client, 5)
    response = log_in(client, "casey.curator", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Too many failed attempts to log in." in text
    assert (
        "After 5 wrong passwords for one user name, or from one address, logging in is "
        "locked for 15 minutes." in text
    )
    assert "Wait 15 minutes, then try again." in text
    assert "Evidence Store curation" in text  # the admin's header
    assert 'href="/admin/login/"' in page
    # Strict CSP: scripts only from files; the admin's inline-style allowance only.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert directives(response)["script-src"] == ["'self'"]


def test_a_locked_user_name_is_refused_without_checking_the_password(client, db, counting_hasher):
    factories.make_curator()
    counting_hasher.calls = 0
    fail(client, 5)
    assert counting_hasher.calls == 5  # each failure up to the limit checked the password

    for _ in range(45):
        assert locked(log_in(client, "casey.curator", WRONG))
    assert locked(log_in(client, "casey.curator", PASSWORD))  # the 51st, right, still refused
    assert counting_hasher.calls == 5

    # Every try is recorded against the user name and address.
    attempt = AccessAttempt.objects.get(username="casey.curator", ip_address=ATTACKER)
    assert attempt.failures_since_start == 51
    assert "a long test password" not in attempt.post_data


def test_one_address_is_locked_whatever_user_names_it_tries(client, db, counting_hasher):
    factories.make_curator()
    for number in range(5):
        assert refused_as_wrong(log_in(client, f"guess{number}", WRONG)) or number == 4
    calls = counting_hasher.calls

    # From the same address even the real curator is refused, unchecked...
    assert locked(log_in(client, "casey.curator", PASSWORD))
    assert locked(log_in(client, "someone.new", WRONG))
    assert counting_hasher.calls == calls
    # ...and from another address the curator logs in.
    assert logged_in(log_in(client, "casey.curator", PASSWORD, address=ELSEWHERE))


def test_one_user_name_is_locked_from_every_address(client, db):
    factories.make_curator()
    for number in range(5):
        log_in(client, "casey.curator", WRONG, address=f"192.0.2.{number + 1}")
    assert locked(log_in(client, "casey.curator", PASSWORD, address=ELSEWHERE))
    factories.make_curator("robin.reviewer")
    assert logged_in(log_in(client, "robin.reviewer", PASSWORD, address=ELSEWHERE))


def test_the_lock_is_released_fifteen_minutes_after_the_last_try(client, db):
    factories.make_curator()
    fail(client, 5)

    def last_try(minutes_ago: int) -> None:
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes_ago))

    last_try(14)
    assert locked(log_in(client, "casey.curator", PASSWORD))  # and this try starts it again
    last_try(16)
    assert logged_in(log_in(client, "casey.curator", PASSWORD))


def test_a_forged_forwarded_address_does_not_escape_the_lock_without_a_proxy(client, db):
    factories.make_curator()
    for number in range(5):
        log_in(client, f"guess{number}", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}")
    assert locked(log_in(client, "casey.curator", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200"))


def client_address(*, behind_proxy: bool, forwarded_for: str, remote_addr: str) -> str:
    """The address django-axes sees under the real settings, in a fresh process."""
    code = (
        "from django.test import RequestFactory; "
        "from axes.helpers import get_client_ip_address; "
        "request = RequestFactory().post('/admin/login/', "
        f"HTTP_X_FORWARDED_FOR={forwarded_for!r}, REMOTE_ADDR={remote_addr!r}); "
        "print(get_client_ip_address(request))"
    )
    env = {
        "DEBUG": "true",
        "DATABASE_URL": UNUSED_DATABASE,
        "BEHIND_TLS_PROXY": "true" if behind_proxy else "false",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # A client's own entries come first; the proxy adds the real address last.
        ("192.0.2.1, 203.0.113.9", "203.0.113.9"),
        ("not an address, 192.0.2.1, 203.0.113.9", "203.0.113.9"),
    ],
)
def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_added(forwarded_for, client):
    address = client_address(behind_proxy=True, forwarded_for=forwarded_for, remote_addr="10.0.0.2")
    assert address == client


def test_without_the_proxy_forwarded_for_is_ignored():
    address = client_address(
        behind_proxy=False, forwarded_for="203.0.113.9", remote_addr="198.51.100.20"
    )
    assert address == "198.51.100.20"
