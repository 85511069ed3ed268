"""Email alerts through a real SMTP server: double opt-in, one email per major version
per subscriber and never for a minor one, one-click unsubscribe without logging in,
and a page to manage alerts reached from any email."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from alerts import sending
from alerts.models import Delivery, Subscription
from evidence_store.env import email_settings
from interventions.models import Outcome, Topic
from tests import catalogues, factories
from tests.page_text import text_of
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db
SEARCH = "domain=mental-health&age=3-4"


class Inbox:
    """A real SMTP server on a free local port, keeping what it receives."""

    def __init__(self) -> None:
        self.messages = []
        self.port = free_port()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    inbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "http://testserver"
    yield inbox
    inbox.stop()


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, path: str) -> str:
    return re.search(rf"http://testserver(/alerts/{path}/[^/\s]+/)", body(message)).group(1)


@pytest.fixture
def catalogue(scales):
    catalogues.make_terms()
    behaviour = Outcome.objects.get(slug="behaviour-problems")
    young = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone", min_age_months=36, max_age_months=59
    )
    young.target_outcomes.add(behaviour)
    # Found to improve behaviour: the list's outcome filters (and so a search alert) ask that.
    factories.make_finding(factories.make_study(young), young, outcome=behaviour)
    factories.publish(young, note="First published.")
    older = factories.make_intervention(
        name="Riverside Mentoring", slug="riverside", min_age_months=144, max_age_months=200
    )
    older.target_outcomes.add(behaviour)
    factories.make_finding(factories.make_study(older), older, outcome=behaviour)
    factories.publish(older, note="First published.")
    return young, older


def subscribe(client, smtp, query: str, email="casey@example.org", frequency="immediately"):
    form = client.get(f"/alerts/subscribe/?{query}")
    assert form.status_code == 200
    target = re.search(r'name="target" value="([^"]*)"', form.content.decode()).group(1)
    kind = re.search(r'name="kind" value="([^"]*)"', form.content.decode()).group(1)
    response = client.post(
        "/alerts/subscribe/",
        {
            "kind": kind,
            "target": target.replace("&amp;", "&"),
            "email": email,
            "frequency": frequency,
        },
    )
    assert response.status_code == 200, text_of(response)
    assert "Check your email" in text_of(response)
    return smtp.messages[-1]


def send_alerts() -> None:
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_commissioner_confirms_and_gets_one_email_per_major_version(client, smtp, catalogue):
    young, older = catalogue
    confirmation = subscribe(client, smtp, f"kind=search&{SEARCH}")
    assert confirmation["To"] == "casey@example.org"
    assert "Mental health and wellbeing" in body(confirmation)
    assert "3 to 4 years" in body(confirmation)
    # Nothing is sent before confirming, even when something changes.
    factories.rate(young, "evidence-strength", "3", reason="A new trial.")
    factories.publish(young, note="Rated 3 after a new trial.")
    send_alerts()
    assert len(smtp.messages) == 1
    confirmed = client.get(link(confirmation, "confirm"))
    assert "You are subscribed" in text_of(confirmed)
    send_alerts()
    assert len(smtp.messages) == 1  # changes before confirming are not sent
    # A major version of an intervention in the search: one email.
    factories.rate(young, "evidence-strength", "4", reason="A long-term follow-up.")
    factories.publish(young, note="Rated 4 after a follow-up.")
    send_alerts()
    assert len(smtp.messages) == 2
    alert = smtp.messages[-1]
    assert alert["Subject"] == "Evidence Store: Hearthstone Parent Group has changed"
    text = body(alert)
    assert "Rated 4 after a follow-up." in text
    assert "http://testserver/interventions/hearthstone/versions/3/" in text
    assert "http://testserver/interventions/hearthstone/changes/?from=2&to=3" in text
    assert alert["List-Unsubscribe"].strip() == f"<http://testserver{link(alert, 'unsubscribe')}>"
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(alert, "manage")
    # Run again (cron): nothing new is sent.
    send_alerts()
    send_alerts()
    assert len(smtp.messages) == 2
    # A minor version alerts no one; nor does a major one outside the search.
    young.summary = "Reworded."
    young.save()
    factories.publish(young, note="Wording.", change="minor")
    factories.rate(older, "evidence-strength", "3", reason="A trial.")
    factories.publish(older, note="Rated 3.")
    send_alerts()
    assert len(smtp.messages) == 2


def test_each_subscriber_gets_each_major_version_once(client, smtp, catalogue):
    young, _ = catalogue
    for email in ["a@example.org", "b@example.org"]:
        client.get(
            link(subscribe(client, smtp, "kind=intervention&target=hearthstone", email), "confirm")
        )
    factories.rate(young, "evidence-strength", "3", reason="A new trial.")
    factories.publish(young, note="Rated 3.")
    send_alerts()
    send_alerts()
    alerts = smtp.messages[2:]
    assert sorted(m["To"] for m in alerts) == ["a@example.org", "b@example.org"]
    assert Delivery.objects.count() == 2


def test_an_interrupted_run_sends_nothing_twice_and_misses_nothing(client, smtp, catalogue):
    young, _ = catalogue
    client.get(link(subscribe(client, smtp, "kind=topic&target=neglect"), "confirm"))
    young.topics.add(Topic.objects.get(slug="neglect"))
    factories.publish(young, note="Now also about neglect.")
    smtp.stop()  # the mail server is down: the run fails, recording nothing
    with pytest.raises(CommandError):
        send_alerts()
    assert Delivery.objects.count() == 0
    smtp.start()
    send_alerts()
    send_alerts()
    assert [m["Subject"] for m in smtp.messages[1:]] == [
        "Evidence Store: Hearthstone Parent Group has changed"
    ]


def test_a_daily_digest_waits_a_day_and_gathers_the_changes(client, smtp, catalogue):
    young, older = catalogue
    client.get(
        link(
            subscribe(client, smtp, "kind=area&target=mental-health", frequency="daily"), "confirm"
        )
    )
    factories.rate(young, "evidence-strength", "3", reason="A trial.")
    factories.publish(young, note="Rated 3.")
    now = timezone.now()
    assert sending.send_due("http://testserver", now=now)[0] == 1
    factories.rate(older, "evidence-strength", "3", reason="A trial.")
    factories.publish(older, note="Rated 3 too.")
    factories.rate(young, "evidence-strength", "4", reason="A follow-up.")
    factories.publish(young, note="Rated 4.")
    assert sending.send_due("http://testserver", now=now + timedelta(hours=3))[0] == 0
    assert sending.send_due("http://testserver", now=now + timedelta(days=1, minutes=1))[:2] == (
        1,
        2,
    )
    assert smtp.messages[-1]["Subject"] == "Evidence Store: 2 interventions you follow have changed"


def test_one_click_unsubscribe_works_without_logging_in_and_deletes_the_address(
    client, smtp, catalogue
):
    confirmation = subscribe(client, smtp, "kind=intervention&target=hearthstone")
    client.get(link(confirmation, "confirm"))
    unsubscribe = link(confirmation, "unsubscribe")
    assert "Unsubscribe" in text_of(client.get(unsubscribe))
    # What a mail program sends for one-click unsubscribe (RFC 8058), with no cookie.
    response = Client(enforce_csrf_checks=True).post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="casey@example.org").exists()
    # Again, or with a link that has been tampered with: a plain answer, never an error.
    assert Client().post(unsubscribe).status_code == 200
    assert Client().get("/alerts/unsubscribe/not-a-token/").status_code == 200


def test_the_manage_page_changes_how_often_and_deletes_everything(client, smtp, catalogue):
    first = subscribe(client, smtp, "kind=intervention&target=hearthstone")
    client.get(link(first, "confirm"))
    client.get(link(subscribe(client, smtp, "kind=topic&target=neglect"), "confirm"))
    manage = link(first, "manage")
    page = text_of(client.get(manage))
    assert "Hearthstone Parent Group" in page and "Topic: Neglect" in page
    mine = Subscription.objects.get(target="hearthstone")
    client.post(manage, {"subscription": mine.pk, "action": "frequency", "frequency": "weekly"})
    mine.refresh_from_db()
    assert mine.frequency == "weekly"
    assert client.post(manage, {"subscription": "x", "action": "frequency"}).status_code == 404
    assert client.post(manage, {"subscription": "999999", "action": "x"}).status_code == 404
    client.post(manage, {"action": "delete-all"})
    assert not Subscription.objects.filter(email="casey@example.org").exists()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=intervention&target=no-such-thing",
        "kind=area&target=",
        "kind=planet&target=mars",
        "kind=search&evidence=9",
        "kind=topic&target=" + "x" * 2000,
        "kind=topic&target=a%00b",
        "kind=intervention&target=%FF%FE",
    ],
)
def test_subscribing_to_something_that_does_not_exist_is_a_400(client, catalogue, query):
    response = client.get(f"/alerts/subscribe/?{query}")
    assert response.status_code == 400
    assert "We could not find what you want alerts about" in text_of(response)


@pytest.mark.parametrize(
    ("email", "frequency", "message"),
    [
        ("", "daily", "Enter your email address."),
        ("not an email", "daily", "Enter an email address in the right form"),
        ("a@example.org", "hourly", "Choose how often you want emails."),
    ],
)
def test_a_bad_form_says_what_to_fix(client, smtp, catalogue, email, frequency, message):
    response = client.post(
        "/alerts/subscribe/",
        {"kind": "intervention", "target": "hearthstone", "email": email, "frequency": frequency},
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert smtp.messages == []


def test_the_form_will_not_flood_an_inbox(client, smtp, catalogue):
    for target in [
        "kind=intervention&target=hearthstone",
        "kind=intervention&target=riverside",
        "kind=topic&target=neglect",
    ]:
        subscribe(client, smtp, target)
    response = client.post(
        "/alerts/subscribe/",
        {
            "kind": "area",
            "target": "mental-health",
            "email": "casey@example.org",
            "frequency": "daily",
        },
    )
    assert response.status_code == 400
    assert "Confirm one of those first" in text_of(response)
    assert len(smtp.messages) == 3


def test_bad_links_get_a_plain_not_found(client, db):
    assert client.get("/alerts/confirm/nonsense/").status_code == 404
    assert client.get("/alerts/manage/nonsense/").status_code == 404


def test_the_list_and_intervention_pages_offer_alerts(client, catalogue):
    listing = client.get("/interventions/?domain=mental-health").content.decode()
    assert "/alerts/subscribe/?domain=mental-health&amp;kind=search" in listing
    page = client.get("/interventions/hearthstone/").content.decode()
    assert "/alerts/subscribe/?kind=intervention&amp;target=hearthstone" in page


def test_alert_pages_run_a_fixed_number_of_queries(client, smtp, catalogue):
    confirmation = subscribe(client, smtp, "kind=intervention&target=hearthstone")
    client.get(link(subscribe(client, smtp, "kind=topic&target=neglect"), "confirm"))
    # The listing's name, and the demo notice's catalogue row.
    with assert_queries(2):
        client.get("/alerts/subscribe/?kind=intervention&target=hearthstone")
    # The filter options in one query, and the demo notice.
    with assert_queries(2):
        client.get(f"/alerts/subscribe/?kind=search&{SEARCH}")
    # The subscription, marking it confirmed, and the demo notice.
    with assert_queries(3):
        client.get(link(confirmation, "confirm"))
    # The address's subscriptions, and the demo notice.
    with assert_queries(2):
        client.get(link(confirmation, "manage"))
    # The subscription, and the demo notice.
    with assert_queries(2):
        client.get(link(confirmation, "unsubscribe"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://alerts:p%40ss@mail.example.org:587?tls=true",
            ("mail.example.org", 587, "alerts", "p@ss", True, False),
        ),
        ("smtps://mail.example.org", ("mail.example.org", 465, "", "", False, True)),
        ("smtp://localhost", ("localhost", 25, "", "", False, False)),
    ],
)
def test_the_mail_server_comes_from_email_url(url, expected):
    assert email_settings(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://host:port"])
def test_a_bad_email_url_stops_the_start_with_a_message(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)
