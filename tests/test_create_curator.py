import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def type_passwords(monkeypatch, *answers: str) -> None:
    """Answer the command's password prompts as a person at the keyboard would."""
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))


def test_creates_a_staff_account_in_the_curator_group(monkeypatch):
    type_passwords(monkeypatch, "a long enough passphrase", "a long enough passphrase")
    call_command("create_curator", "casey")
    user = User.objects.get(username="casey")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["curator"]
    assert user.check_password("a long enough passphrase")


def test_mismatched_passwords_create_nothing(monkeypatch):
    type_passwords(monkeypatch, "a long enough passphrase", "a different passphrase")
    with pytest.raises(CommandError, match="different"):
        call_command("create_curator", "casey")
    assert not User.objects.filter(username="casey").exists()


def test_weak_password_is_refused_with_the_reason(monkeypatch):
    type_passwords(monkeypatch, "short", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_curator", "casey")
    assert not User.objects.filter(username="casey").exists()


def test_an_existing_username_is_left_alone(monkeypatch, django_user_model):
    django_user_model.objects.create_user("casey", password="original password 123")
    with pytest.raises(CommandError, match="already an account"):
        call_command("create_curator", "casey")
    assert User.objects.get(username="casey").check_password("original password 123")
