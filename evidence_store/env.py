"""Read settings from the environment, refusing values we cannot understand."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS - {''})}, not {value!r}."
    )


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name} is a comma-separated list with an empty item: {value!r}."
        )
    return items


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value


def email_settings(url: str) -> tuple[str, int, str, str, bool, bool]:
    """(host, port, user, password, use STARTTLS, use TLS) from EMAIL_URL, such as
    smtp://user:password@mail.example.org:587?tls=true or smtps://...:465."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:587 or smtps://host:465."
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as error:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from error
    starttls = parse_qs(parts.query).get("tls", ["false"])[0].lower() in ("true", "1", "yes")
    return (
        parts.hostname,
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        starttls and parts.scheme == "smtp",
        parts.scheme == "smtps",
    )
