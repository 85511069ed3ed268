"""Signed links, so an email's links work without a password or an account.

Confirming expires after a week; managing and unsubscribing never expire (they
only ever let someone stop or change their own alerts).
"""

from django.core import signing

CONFIRM_DAYS = 7
CONFIRM, MANAGE, UNSUBSCRIBE = "alerts.confirm", "alerts.manage", "alerts.unsubscribe"


def make(salt: str, value) -> str:
    return signing.dumps(value, salt=salt)


def read(salt: str, token: str, max_age=None):
    """The signed value, or None when the token is not one of ours (or has expired)."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def read_confirm(token: str):
    return read(CONFIRM, token, max_age=CONFIRM_DAYS * 24 * 3600)
