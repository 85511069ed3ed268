"""The emails: confirming an address, and alerts. Every alert carries a one-click
unsubscribe link and the List-Unsubscribe headers (RFC 2369 and RFC 8058), and a
link to manage all of that address's alerts without a password."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from alerts import tokens
from alerts.models import Subscription


def links(subscription: Subscription, base: str) -> dict[str, str]:
    return {
        "unsubscribe": base
        + reverse("alerts:unsubscribe", args=[tokens.make(tokens.UNSUBSCRIBE, subscription.pk)]),
        "manage": base
        + reverse("alerts:manage", args=[tokens.make(tokens.MANAGE, subscription.email)]),
    }


def _message(subscription: Subscription, subject: str, template: str, context: dict, base: str):
    urls = links(subscription, base)
    body = render_to_string(
        template, {"subscription": subscription, "base": base, **urls, **context}
    )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def confirmation(subscription: Subscription, base: str) -> EmailMessage:
    confirm = base + reverse("alerts:confirm", args=[tokens.make(tokens.CONFIRM, subscription.pk)])
    return _message(
        subscription,
        "Confirm your Evidence Store alert",
        "alerts/email_confirm.txt",
        {"confirm": confirm, "days": tokens.CONFIRM_DAYS},
        base,
    )


def alert(subscription: Subscription, versions: list, base: str) -> EmailMessage:
    count = len(versions)
    subject = (
        f"Evidence Store: {versions[0].intervention.listing.name} has changed"
        if count == 1
        else f"Evidence Store: {count} interventions you follow have changed"
    )
    entries = [
        {
            "name": v.intervention.listing.name,
            "number": v.number,
            "note": v.change_note,
            "url": base + v.get_absolute_url(),
            "changes": base
            + reverse("interventions:changes", args=[v.intervention.listing.slug])
            + f"?from={v.number - 1}&to={v.number}"
            if v.number > 1
            else "",
        }
        for v in versions
    ]
    return _message(subscription, subject, "alerts/email_alert.txt", {"entries": entries}, base)
