"""Curation in the Django admin, done the way a curator does it.

The curator is a staff account in the `curator` group made by migration, not a
superuser, so these tests exercise the group's real permissions. Forms are
posted as a browser would post them: the page is fetched, every field keeps
its value, and only what the curator types is changed.
"""

import math
import re
from datetime import date
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from scipy.stats import norm
from simple_history.admin import SimpleHistoryAdmin
from statsmodels.stats.meta_analysis import effectsize_smd

from interventions.admin_plain_language import PlainLanguageAdmin
from interventions.models import DeliveryModel, Intervention, NeedLevel, Setting, Topic
from publishing.models import Listing, Version
from publishing.publish import archive
from ratings.models import Finding, Rating, Study, UnitCostEstimate
from tests import factories

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = (
    Intervention.Status.DRAFT,
    Intervention.Status.IN_REVIEW,
    Intervention.Status.PUBLISHED,
    Intervention.Status.ARCHIVED,
)


# --- Posting forms as a browser does ---


class BrowserForm(HTMLParser):
    """Collects what a browser would submit from one form on a page, before any typing."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None
        self.textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], ""]
        elif tag == "select" and attrs.get("name"):
            self.select = {
                "name": attrs["name"],
                "multiple": "multiple" in attrs,
                "options": [],
                "selected": [],
            }
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select["selected"].append(attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline that Django puts straight after <textarea>.
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["selected"]
            if not chosen and not self.select["multiple"]:
                chosen = self.select["options"][:1]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


def page_form(client, url: str, form_id: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} gave {response.status_code}"
    parser = BrowserForm(form_id)
    parser.feed(response.content.decode())
    assert parser.fields, f"no form #{form_id} on {url}"
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def type_in(data: dict, **fields) -> dict:
    """Set fields as a curator would; lists for multiple choices."""
    for name, value in fields.items():
        data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return data


def add_rows(data: dict, prefix: str, *rows: dict) -> dict:
    """Click "Add another" in an inline once per row, then fill the new row in."""
    start = int(data[f"{prefix}-TOTAL_FORMS"][0])
    for index, row in enumerate(rows, start=start):
        type_in(data, **{f"{prefix}-{index}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = [str(start + len(rows))]
    return data


def check_deferred_rules_now():
    """Each test runs inside one transaction, so deferred foreign keys are never checked
    at a commit. Check them now, as the commit at the end of an admin request would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def move_url(intervention, target: str) -> str:
    return reverse("admin:interventions_intervention_move", args=[intervention.pk, target])


def publish_url(intervention) -> str:
    return reverse("admin:interventions_intervention_publish", args=[intervention.pk])


def archive_url(intervention) -> str:
    return reverse("admin:interventions_intervention_archive", args=[intervention.pk])


def continuous_finding(intervention, outcome, **overrides) -> dict:
    row = {
        "intervention": intervention.pk,
        "outcome": outcome.pk,
        "measure": "Eyberg Child Behaviour Inventory, intensity",
        "validated_measure": "on",
        "higher_is_better": "False",
        "informant": "parent",
        "timepoint": "End of programme",
        "months_after_end": 0,
        "statistics_form": "continuous",
        "intervention_mean": "118.2",
        "intervention_sd": "24.1",
        "intervention_n": 58,
        "comparison_mean": "131.5",
        "comparison_sd": "26.3",
        "comparison_n": 55,
        "p_value": "0.006",
        "source_location": "Table 3",
    }
    row.update(overrides)
    return row


def binary_finding(intervention, outcome, **overrides) -> dict:
    row = {
        "intervention": intervention.pk,
        "outcome": outcome.pk,
        "measure": "Entered care within 12 months (local authority records)",
        "validated_measure": "on",
        "higher_is_better": "False",
        "informant": "records",
        "timepoint": "12 months after",
        "months_after_end": 12,
        "statistics_form": "binary",
        "intervention_events": 9,
        "intervention_n": 60,
        "comparison_events": 17,
        "comparison_n": 58,
        "source_location": "Table 5, page 31",
    }
    row.update(overrides)
    return row


# --- The whole journey ---


def test_a_curator_adds_an_intervention_with_evidence_and_publishes_it(client):
    factories.make_curator()
    need = NeedLevel.objects.create(name="Targeted indicated", slug="targeted-indicated")
    setting = Setting.objects.create(name="Home", slug="home")
    model = DeliveryModel.objects.create(name="Family", slug="family")
    topic = Topic.objects.create(name="Edge of care", slug="edge-of-care")
    outcome = factories.make_outcome(name="Behaviour problems")

    # Signs in through the admin login page.
    response = client.post(
        reverse("admin:login"),
        {"username": "casey.curator", "password": "a long test password 1", "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == "/admin/"

    # Adds the intervention.
    data = page_form(client, reverse("admin:interventions_intervention_add"), "intervention_form")
    type_in(
        data,
        name="Riverside Family Steps",
        slug="riverside-family-steps",
        other_names="RFS, Family Steps",
        summary="Weekly home visits that help parents of young children manage behaviour.",
        min_age_months=24,
        max_age_months=72,
        need_levels=[need.pk],
        settings=[setting.pk],
        delivery_models=[model.pk],
        topics=[topic.pk],
        target_outcomes=[outcome.pk],
        available_in_uk="on",
    )
    response = client.post(reverse("admin:interventions_intervention_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    intervention = Intervention.objects.get(slug="riverside-family-steps")
    assert intervention.status == DRAFT
    assert intervention.other_names == ["RFS", "Family Steps"]
    assert list(intervention.topics.all()) == [topic]

    # Adds a study with two findings inline.
    add_study = reverse("admin:ratings_study_add")
    data = page_form(client, add_study, "study_form")
    type_in(
        data,
        authors="Adeyemi, T., Walsh, C.",
        year=2022,
        title="A randomised trial of Riverside Family Steps",
        design="rct",
        country="GB",
        interventions=[intervention.pk],
        intervention_n=60,
        comparison_n=58,
        independent="on",
    )
    add_rows(
        data,
        "findings",
        continuous_finding(intervention, outcome),
        binary_finding(intervention, outcome),
    )
    response = client.post(add_study, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    study = Study.objects.get(title="A randomised trial of Riverside Family Steps")
    assert list(study.interventions.all()) == [intervention]
    assert sorted(study.findings.values_list("statistics_form", flat=True)) == [
        "binary",
        "continuous",
    ]
    check_deferred_rules_now()

    # A draft is not public.
    assert "Riverside Family Steps" not in client.get("/interventions/").content.decode()
    assert client.get(intervention.get_absolute_url()).status_code == 404

    # Sends it for review with the button on its page, then reviews and publishes it.
    response = client.post(move_url(intervention, IN_REVIEW), follow=True)
    assert "Now in review: Riverside Family Steps." in shown_messages(response)
    page = client.get(change_url(intervention)).content.decode()
    assert f'href="{publish_url(intervention)}"' in page
    assert "Review and publish a version" in page
    page = client.get(publish_url(intervention)).content.decode()
    assert "It has never been published. Publishing makes version 1" in page
    response = client.post(
        publish_url(intervention),
        {"change": "major", "change_note": "First published entry."},
        follow=True,
    )
    assert any(
        message.startswith("Published version 1 of Riverside Family Steps.")
        for message in shown_messages(response)
    )
    intervention.refresh_from_db()
    assert intervention.status == PUBLISHED
    version = intervention.versions.get()
    assert (version.number, version.change_note) == (1, "First published entry.")
    assert version.published_by.username == "casey.curator"

    # Now the public finds it.
    client.logout()
    assert "Riverside Family Steps" in client.get("/interventions/").content.decode()
    assert client.get(intervention.get_absolute_url()).status_code == 200


# --- History ---


def test_history_records_who_changed_what(curator_client, curator):
    intervention = factories.make_intervention(name="Quayside Parents", status=DRAFT)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, summary="Group sessions for parents, with a crèche for younger children.")
    response = curator_client.post(change_url(intervention), data)
    assert response.status_code == 302
    curator_client.post(move_url(intervention, IN_REVIEW))

    *_, edit, move = intervention.history.order_by("history_date")
    assert edit.history_user == curator
    assert edit.summary == "Group sessions for parents, with a crèche for younger children."
    assert (move.history_user, move.status) == (curator, IN_REVIEW)
    assert move.history_change_reason == "Moved from draft to in review"

    page = curator_client.get(
        reverse("admin:interventions_intervention_history", args=[intervention.pk])
    ).content.decode()
    assert "casey.curator" in page
    assert "with a crèche for younger children" in page  # the diff shows the new text
    assert "Moved from draft to in review" in page


def test_history_can_be_read_but_not_used_to_revert(curator_client):
    intervention = factories.make_intervention(status=DRAFT)
    intervention.summary = "A newer summary."
    intervention.save()
    first = intervention.history.earliest("history_date")
    url = reverse(
        "admin:interventions_intervention_simple_history",
        args=[intervention.pk, first.history_id],
    )
    assert curator_client.get(url).status_code == 200
    assert curator_client.post(url, {"summary": "An old summary"}).status_code == 403
    intervention.refresh_from_db()
    assert intervention.summary == "A newer summary."


# --- Publication permissions and rules ---


@pytest.fixture
def reviewer_client(client):
    """A curator without the publish permission: everything else the curator group has."""
    user = User.objects.create_user("robin.reviewer", password="a long test password 2")
    user.is_staff = True
    user.save()
    curator_permissions = Group.objects.get(name="curator").permissions.all()
    user.user_permissions.set(curator_permissions.exclude(codename="publish_intervention"))
    client.force_login(user)
    return client


def test_a_curator_without_the_publish_permission_cannot_publish(reviewer_client):
    intervention = factories.make_intervention(name="Northgate Mentoring", status=IN_REVIEW)
    history_before = intervention.history.count()

    page = reviewer_client.get(change_url(intervention)).content.decode()
    assert "Move back to draft" in page
    assert "Review and publish a version" not in page and publish_url(intervention) not in page

    # Neither the review page nor posting to it publishes anything.
    assert reviewer_client.get(publish_url(intervention)).status_code == 403
    response = reviewer_client.post(
        publish_url(intervention), {"change": "major", "change_note": "Sneaking it out."}
    )
    assert response.status_code == 403
    assert reviewer_client.get(archive_url(intervention)).status_code == 403

    # Nor does the old move button or a list action.
    response = reviewer_client.post(move_url(intervention, PUBLISHED), follow=True)
    assert response.status_code == 200
    assert any("was not moved" in message for message in shown_messages(response))
    changelist = reverse("admin:interventions_intervention_changelist")
    reviewer_client.post(changelist, {"action": "publish", "_selected_action": [intervention.pk]})

    intervention.refresh_from_db()
    assert intervention.status == IN_REVIEW
    assert intervention.history.count() == history_before
    assert not intervention.versions.exists()
    assert reviewer_client.get(intervention.get_absolute_url()).status_code == 404


def test_a_curator_without_the_publish_permission_can_send_for_review(reviewer_client):
    intervention = factories.make_intervention(status=DRAFT)
    reviewer_client.post(move_url(intervention, IN_REVIEW))
    intervention.refresh_from_db()
    assert intervention.status == IN_REVIEW


def test_an_illegal_move_is_explained_and_changes_nothing(curator_client):
    intervention = factories.make_intervention(name="Harbour Steps", status=ARCHIVED)

    response = curator_client.post(move_url(intervention, IN_REVIEW), follow=True)
    assert response.status_code == 200
    assert (
        "Harbour Steps was not moved. It cannot go from archived to in review: from archived "
        "it can only move to draft." in shown_messages(response)
    )
    response = curator_client.post(move_url(intervention, "deleted"), follow=True)
    assert any("not a publication status" in message for message in shown_messages(response))
    assert curator_client.get(move_url(intervention, DRAFT)).status_code == 405

    intervention.refresh_from_db()
    assert intervention.status == ARCHIVED


def test_a_draft_cannot_be_published_before_it_is_reviewed(curator_client):
    intervention = factories.make_intervention(name="Harbour Steps", status=DRAFT)
    page = curator_client.get(change_url(intervention)).content.decode()
    assert "Send for review" in page and "Review and publish a version" not in page

    response = curator_client.get(publish_url(intervention), follow=True)
    assert "Harbour Steps is a draft. Send it for review before publishing it." in shown_messages(
        response
    )
    response = curator_client.post(
        publish_url(intervention), {"change": "major", "change_note": "Too early."}
    )
    assert response.status_code == 302
    assert not intervention.versions.exists()
    assert Intervention.objects.get(pk=intervention.pk).status == DRAFT


def test_publishing_or_archiving_by_the_old_move_button_is_refused_with_a_message(
    curator_client,
):
    intervention = factories.make_intervention(name="Harbour Steps", status=IN_REVIEW)
    for target, button in ((PUBLISHED, "Publish a version"), (ARCHIVED, "Archive")):
        response = curator_client.post(move_url(intervention, target), follow=True)
        assert (
            f"Harbour Steps was not moved. Use its “{button}” button: it asks for a change "
            "note or a reason first." in shown_messages(response)
        )
    intervention.refresh_from_db()
    assert intervention.status == IN_REVIEW
    assert not intervention.versions.exists()


def test_the_list_action_moves_what_it_can_and_names_what_it_cannot(curator_client):
    ready = factories.make_intervention(name="Ready One", status=DRAFT)
    archived = factories.make_intervention(name="Old One", status=ARCHIVED)
    changelist = reverse("admin:interventions_intervention_changelist")
    response = curator_client.post(
        changelist,
        {"action": "send_for_review", "_selected_action": [ready.pk, archived.pk]},
        follow=True,
    )
    messages = shown_messages(response)
    assert "Now in review: Ready One." in messages
    assert any(message.startswith("Old One was not moved.") for message in messages)
    assert Intervention.objects.get(pk=ready.pk).status == IN_REVIEW
    assert Intervention.objects.get(pk=archived.pk).status == ARCHIVED


def test_the_list_offers_no_action_that_publishes_or_archives(curator_client):
    in_review = factories.make_intervention(name="Ready One", status=IN_REVIEW)
    changelist = reverse("admin:interventions_intervention_changelist")
    page = curator_client.get(changelist).content.decode()
    assert 'value="send_for_review"' in page and 'value="move_to_draft"' in page
    assert 'value="publish"' not in page and 'value="archive"' not in page

    for action in ("publish", "archive"):
        curator_client.post(changelist, {"action": action, "_selected_action": [in_review.pk]})
    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW
    assert not in_review.versions.exists()


def test_a_published_address_cannot_change(curator_client):
    intervention = factories.make_intervention(slug="hillside-families", status=IN_REVIEW)
    factories.publish(intervention)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, slug="hillside-families-2")
    response = curator_client.post(change_url(intervention), data)
    assert response.status_code == 200
    assert "so its address cannot change" in response.content.decode()
    intervention.refresh_from_db()
    assert intervention.slug == "hillside-families"


def test_an_address_stays_fixed_after_publishing_when_it_goes_back_for_review(
    curator_client,
):
    intervention = factories.make_intervention(slug="riverside-steps", status=IN_REVIEW)
    factories.publish(intervention)
    curator_client.post(move_url(intervention, IN_REVIEW))
    assert Intervention.objects.get(pk=intervention.pk).status == IN_REVIEW
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, slug="riverside-steps-2")
    response = curator_client.post(change_url(intervention), data)
    assert "so its address cannot change" in response.content.decode()
    assert Intervention.objects.get(pk=intervention.pk).slug == "riverside-steps"


def test_an_archived_or_withdrawn_address_cannot_change_either(curator_client):
    intervention = factories.make_intervention(slug="old-address", status=IN_REVIEW)
    factories.publish(intervention)
    archive(intervention, reason="The developer no longer offers it.")
    curator_client.post(move_url(intervention, DRAFT))
    assert Intervention.objects.get(pk=intervention.pk).status == DRAFT
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, slug="new-address")
    response = curator_client.post(change_url(intervention), data)
    assert "so its address cannot change" in response.content.decode()
    assert Intervention.objects.get(pk=intervention.pk).slug == "old-address"


def test_a_never_published_draft_can_change_its_address(curator_client):
    intervention = factories.make_intervention(slug="first-try", status=DRAFT)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, slug="second-try")
    assert curator_client.post(change_url(intervention), data).status_code == 302
    assert Intervention.objects.get(pk=intervention.pk).slug == "second-try"


def test_ages_the_wrong_way_round_are_explained(curator_client):
    intervention = factories.make_intervention(status=DRAFT, min_age_months=36)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, min_age_months=60, max_age_months=24)
    response = curator_client.post(change_url(intervention), data)
    assert "The oldest age must not be below the youngest." in response.content.decode()
    assert Intervention.objects.get(pk=intervention.pk).min_age_months == 36


# --- Publishing versions and archiving ---


def edit_intervention(client, intervention, **fields):
    data = page_form(client, change_url(intervention), "intervention_form")
    type_in(data, **fields)
    response = client.post(change_url(intervention), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_the_publish_page_shows_what_would_change_and_needs_a_change_note(curator_client):
    intervention = factories.make_intervention(name="Harbour Steps", status=IN_REVIEW)
    factories.publish(intervention)
    edit_intervention(
        curator_client,
        intervention,
        summary="A group programme for parents and carers of young children.",
        min_age_months=24,
    )
    study = factories.make_study(intervention, authors="Okafor, A.", title="A Leeds trial")
    factories.make_finding(study, intervention)

    page = curator_client.get(publish_url(intervention)).content.decode()
    assert "Compared with version 1, published" in page
    assert "Study added: Okafor (2021), “A Leeds trial”, with 1 finding." in page
    assert "Youngest age changed from 36 to 24." in page
    assert re.search(r"<ins>[^<]*and carers[^<]*</ins>", page)
    assert 'value="Publish version 2"' in page

    for data, error in (
        ({"change": "major", "change_note": ""}, "Write a change note: say what changed and why."),
        ({"change": "major", "change_note": "   "}, "Write a change note"),
        ({"change_note": "Added a trial."}, "Say whether this is a major or a minor change."),
    ):
        response = curator_client.post(publish_url(intervention), data)
        assert response.status_code == 200
        assert error in response.content.decode()
    assert intervention.versions.count() == 1


def test_a_publish_page_with_nothing_changed_says_so_and_publishes_nothing(curator_client):
    intervention = factories.make_intervention(status=IN_REVIEW)
    factories.publish(intervention)
    page = curator_client.get(publish_url(intervention)).content.decode()
    assert "Nothing has changed since version 1" in page
    response = curator_client.post(
        publish_url(intervention), {"change": "minor", "change_note": "Again."}
    )
    assert response.status_code == 200
    assert "Nothing has changed since version 1, so there is nothing to publish." in (
        unescape(response.content.decode())
    )
    assert intervention.versions.count() == 1


def test_publishing_makes_the_next_version_and_keeps_the_old_one(curator_client, curator):
    intervention = factories.make_intervention(name="Harbour Steps", status=IN_REVIEW)
    first = factories.publish(intervention, note="First published version.")
    edit_intervention(curator_client, intervention, summary="A clearer summary for parents.")

    page = curator_client.get(change_url(intervention)).content.decode()
    assert "The public sees" in page and "version 1</a>" in page
    assert "This working copy has changes that are not published yet." in page

    response = curator_client.post(
        publish_url(intervention),
        {"change": "minor", "change_note": "Clearer wording in the summary."},
        follow=True,
    )
    assert any(
        message.startswith("Published version 2 of Harbour Steps.")
        for message in shown_messages(response)
    )
    second = intervention.versions.get(number=2)
    assert (second.change, second.change_note) == ("minor", "Clearer wording in the summary.")
    assert (second.published_by, second.publisher_name) == (curator, "casey.curator")
    assert second.content["intervention"]["summary"] == "A clearer summary for parents."
    first.refresh_from_db()
    assert first.content["intervention"]["summary"] != "A clearer summary for parents."
    assert Listing.objects.get(intervention=intervention).version_number == 2
    assert Intervention.objects.get(pk=intervention.pk).status == PUBLISHED

    assert "A clearer summary for parents." in public_page(intervention.get_absolute_url())
    old = public_page(first.get_absolute_url())
    assert "A group programme for parents of young children." in old
    assert "This working copy is the same as that version." in (
        curator_client.get(change_url(intervention)).content.decode()
    )


def test_with_a_second_curator_required_the_last_editor_cannot_publish(curator_client, curator):
    intervention = factories.make_intervention(name="Harbour Steps", status=IN_REVIEW)
    edit_intervention(curator_client, intervention, summary="A clearer summary for parents.")

    with override_settings(PUBLISH_REQUIRES_SECOND_CURATOR=True):
        page = curator_client.get(publish_url(intervention)).content.decode()
        assert "You made the last change to this intervention" in page
        assert 'value="Publish version 1"' not in page
        response = curator_client.post(
            publish_url(intervention), {"change": "major", "change_note": "My own edit."}
        )
        assert response.status_code == 200
        assert "a second curator must check it" in response.content.decode()
        assert not intervention.versions.exists()

        second = factories.make_curator("sam.second")
        publish_as(second, intervention, "Checked and published.")
        version = intervention.versions.get()
        assert version.published_by == second

    # Without the setting, whoever made the change may publish it.
    edit_intervention(curator_client, intervention, summary="An even clearer summary.")
    with override_settings(PUBLISH_REQUIRES_SECOND_CURATOR=False):
        publish_as(curator, intervention, "Clearer again.")
    assert intervention.versions.get(number=2).published_by == curator


def public_version_column(client) -> dict[str, str]:
    """Each intervention's "Public version" cell in the admin list, by name."""
    page = client.get(reverse("admin:interventions_intervention_changelist")).content.decode()
    assert "Public version" in page
    cells = {}
    for row in page.split("<tr")[1:]:
        name = re.search(r'<th class="field-name"><a [^>]*>([^<]*)</a>', row)
        cell = re.search(r'<td class="field-public_version">([^<]*)</td>', row)
        if name and cell:
            cells[unescape(name.group(1))] = unescape(cell.group(1))
    return cells


def test_the_list_shows_each_interventions_public_version(curator_client):
    factories.make_intervention(name="Never Shown", status=IN_REVIEW)
    same = factories.make_intervention(name="Still The Same", status=IN_REVIEW)
    factories.publish(same)
    edited = factories.make_intervention(name="Edited Since", status=IN_REVIEW)
    factories.publish(edited)
    edited.summary = "A newer summary."
    edited.save()
    new_evidence = factories.make_intervention(name="New Evidence", status=IN_REVIEW)
    factories.publish(new_evidence)
    factories.make_finding(factories.make_study(new_evidence), new_evidence)
    twice = factories.make_intervention(name="Published Twice", status=IN_REVIEW)
    factories.publish(twice)
    twice.summary = "A newer summary."
    twice.save()
    factories.publish(twice)
    archived = factories.make_intervention(name="Taken Down", status=IN_REVIEW)
    factories.publish(archived)
    archive(archived, reason="The developer no longer offers it.")

    assert public_version_column(curator_client) == {
        "Never Shown": "Never published",
        "Still The Same": "Version 1",
        "Edited Since": "Version 1: unpublished changes",
        "New Evidence": "Version 1: unpublished changes",
        "Published Twice": "Version 2",
        "Taken Down": "Version 1, archived",
    }


def test_sending_a_published_one_for_review_is_not_a_change(curator_client):
    intervention = factories.make_intervention(name="Under Review Again")
    factories.publish(intervention)
    move = reverse("admin:interventions_intervention_move", args=[intervention.pk, IN_REVIEW])
    curator_client.post(move)
    intervention.refresh_from_db()
    assert intervention.status == IN_REVIEW
    assert public_version_column(curator_client) == {"Under Review Again": "Version 1"}


def test_an_archived_one_goes_back_to_draft_and_review_before_it_is_published(curator_client):
    intervention = factories.make_intervention(name="Back From The Archive")
    factories.publish(intervention)
    archive(intervention, reason="Paused.")
    page = curator_client.get(
        reverse("admin:interventions_intervention_publish", args=[intervention.pk]), follow=True
    )
    assert "Back From The Archive is archived. Send it for review before publishing it." in (
        page.content.decode()
    )
    assert intervention.versions.count() == 1


def test_archiving_needs_a_reason_and_keeps_the_page_with_a_notice(curator_client):
    intervention = factories.make_intervention(name="Harbour Steps", status=IN_REVIEW)
    factories.publish(intervention)
    successor = factories.make_intervention(name="Harbour Steps Two", status=IN_REVIEW)
    factories.publish(successor)

    page = curator_client.get(change_url(intervention)).content.decode()
    assert f'href="{archive_url(intervention)}"' in page
    page = curator_client.get(archive_url(intervention)).content.decode()
    assert f'<option value="{successor.pk}">' in page
    assert f'<option value="{intervention.pk}">' not in page  # it cannot replace itself

    for reason in ("", "   "):
        response = curator_client.post(archive_url(intervention), {"reason": reason})
        assert response.status_code == 200
        assert "Say why it is archived: readers see the reason." in response.content.decode()
    assert Listing.objects.get(intervention=intervention).archived_at is None
    assert Intervention.objects.get(pk=intervention.pk).status == PUBLISHED

    response = curator_client.post(
        archive_url(intervention),
        {"reason": "The developer no longer offers it.", "replaced_by": successor.pk},
        follow=True,
    )
    assert (
        "Archived Harbour Steps. Its pages stay at their addresses with a notice."
        in shown_messages(response)
    )
    listing = Listing.objects.get(intervention=intervention)
    assert listing.archived_at is not None
    assert (listing.archive_reason, listing.replaced_by) == (
        "The developer no longer offers it.",
        successor,
    )
    assert Intervention.objects.get(pk=intervention.pk).status == ARCHIVED
    assert "The developer no longer offers it." in public_page(intervention.get_absolute_url())


def test_a_never_published_intervention_cannot_be_archived(curator_client):
    intervention = factories.make_intervention(status=IN_REVIEW)
    response = curator_client.post(archive_url(intervention), {"reason": "Not needed."})
    assert response.status_code == 200
    assert "It has never been published, so there is nothing to archive." in (
        response.content.decode()
    )
    assert not Listing.objects.exists()


# --- Studies and findings ---


@pytest.fixture
def study_with_finding(published_intervention):
    study = factories.make_study(published_intervention)
    finding = factories.make_finding(study, published_intervention)
    return study, finding


def post_study(client, study, **changes):
    """Open the study's page, let `changes(data)` edit the form, and save."""
    data = page_form(client, change_url(study), "study_form")
    for edit in changes.values():
        edit(data)
    return client.post(change_url(study), data)


FINDING_FIELDS = [field.attname for field in Finding._meta.concrete_fields]


def snapshot(finding: Finding) -> dict:
    return Finding.objects.filter(pk=finding.pk).values(*FINDING_FIELDS).get()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"statistics_form": "binary"}, "Leave this empty: it is not part of"),
        ({"statistics_form": "effect_size"}, "Leave this empty: it is not part of"),
        ({"intervention_sd": "0"}, "A standard deviation must be more than 0."),
        ({"comparison_sd": "-2.5"}, "A standard deviation must be more than 0."),
        ({"intervention_mean": ""}, "Needed for “Means, standard deviations"),
        (
            {"comparison_n": "1"},
            "An effect size from means and standard deviations needs at least 2 children or "
            "families in each group.",
        ),
        ({"intervention_events": "3"}, "Leave this empty"),
        # Numbers no real study reports: a slip of the keyboard.
        ({"intervention_mean": "1e308"}, "A score must be between -1,000,000 and 1,000,000."),
        ({"comparison_sd": "1e-308"}, "A standard deviation must be more than 0."),
        ({"comparison_n": "2147483647"}, "A count must be at most 10,000,000."),
    ],
)
def test_bad_statistics_on_a_finding_are_explained_and_change_nothing(
    curator_client, study_with_finding, edit, message
):
    study, finding = study_with_finding
    before = snapshot(finding)
    response = post_study(
        curator_client,
        study,
        edit=lambda data: type_in(data, **{f"findings-0-{k}": v for k, v in edit.items()}),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(finding) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"intervention_events": 70}, "Cannot be more than the number in the group (60)."),
        ({"comparison_events": 59}, "Cannot be more than the number in the group (58)."),
        ({"comparison_n": ""}, "Needed for “Events and numbers per group"),
        ({"intervention_mean": "3.1"}, "Leave this empty"),
        ({"comparison_n": "0"}, "A group must have at least 1 child or family."),
        (
            {"intervention_events": 0, "comparison_events": 0},
            "Nobody in either group had this outcome (0 of 60 and 0 of 58), so the groups "
            "cannot be compared and no effect size can be worked out.",
        ),
        (
            {"intervention_events": 60, "comparison_events": 58},
            "Everybody in both groups had this outcome (60 of 60 and 58 of 58)",
        ),
    ],
)
def test_a_bad_new_binary_finding_is_explained_and_not_saved(
    curator_client, study_with_finding, row, message
):
    study, finding = study_with_finding
    outcome = factories.make_outcome()
    response = post_study(
        curator_client,
        study,
        add=lambda data: add_rows(
            data, "findings", binary_finding(finding.intervention, outcome, **row)
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert study.findings.count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"reported_ci_lower": "0.6", "reported_ci_upper": "0.9"},
            "The effect size must lie inside its confidence interval (0.6 to 0.9).",
        ),
        ({"reported_ci_lower": "0.1"}, "Give both ends of the confidence interval, or neither."),
        ({}, "Give the standard error, or both ends of the 95% confidence interval."),
        ({"reported_se": "0"}, "A standard error must be more than 0."),
        (
            {"reported_ci_lower": "0.9", "reported_ci_upper": "0.1"},
            "The lower end must be below the upper end.",
        ),
        (
            {"reported_ci_lower": "0.5", "reported_ci_upper": "0.5"},
            "The lower end must be below the upper end.",
        ),
    ],
)
def test_a_bad_reported_effect_size_is_explained_and_not_saved(
    curator_client, study_with_finding, row, message
):
    study, finding = study_with_finding
    effect_size = {
        "statistics_form": "effect_size",
        "reported_effect_size": "0.5",
        "intervention_events": "",
        "intervention_n": "",
        "comparison_events": "",
        "comparison_n": "",
        **row,
    }
    response = post_study(
        curator_client,
        study,
        add=lambda data: add_rows(
            data,
            "findings",
            binary_finding(finding.intervention, factories.make_outcome(), **effect_size),
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert study.findings.count() == 1


def test_a_good_reported_effect_size_is_saved(curator_client, study_with_finding):
    study, finding = study_with_finding
    effect_size = {
        "statistics_form": "effect_size",
        "reported_effect_size": "0.42",
        "reported_ci_lower": "0.12",
        "reported_ci_upper": "0.72",
        "intervention_events": "",
        "comparison_events": "",
    }
    response = post_study(
        curator_client,
        study,
        add=lambda data: add_rows(
            data,
            "findings",
            binary_finding(finding.intervention, factories.make_outcome(), **effect_size),
        ),
    )
    assert response.status_code == 302
    assert study.findings.filter(reported_effect_size=0.42).exists()


def t_statistic_finding(intervention, outcome, **overrides) -> dict:
    row = {
        "intervention": intervention.pk,
        "outcome": outcome.pk,
        "measure": "Strengths and Difficulties Questionnaire, total difficulties",
        "validated_measure": "on",
        "higher_is_better": "False",
        "informant": "teacher",
        "timepoint": "6 months after",
        "months_after_end": 6,
        "statistics_form": "t_statistic",
        "t_statistic": "-2.31",
        "intervention_n": 44,
        "comparison_n": 41,
        "source_location": "Table 4",
    }
    row.update(overrides)
    return row


def shown_effect(response) -> list[str]:
    """The read-only effect sizes on an admin page, as the curator reads them."""
    html = response.content.decode()
    blocks = html.split('<div class="readonly">')[1:]
    return [unescape(block.split("</div>", 1)[0]) for block in blocks if " = " in block]


def test_a_curator_enters_raw_numbers_and_sees_the_effect_size(curator_client, study_with_finding):
    study, finding = study_with_finding
    intervention, outcome = finding.intervention, factories.make_outcome()

    page = curator_client.get(change_url(study)).content.decode()
    assert "Worked out from the statistics when you save." in page  # the empty new row

    response = post_study(
        curator_client,
        study,
        add=lambda data: add_rows(
            data,
            "findings",
            continuous_finding(intervention, outcome),
            binary_finding(intervention, outcome),
            t_statistic_finding(intervention, outcome),
        ),
    )
    assert response.status_code == 302, response.context and response.context["errors"]

    # An independent computation: statsmodels' Hedges' g, turned round because a lower
    # behaviour-problem score is better, with a normal 95% interval.
    g, variance = effectsize_smd(118.2, 24.1, 58, 131.5, 26.3, 55)
    g, se = -float(g), math.sqrt(variance)
    improvement = round(100 * (norm.cdf(g) - 0.5))
    independent = (
        f"g = {g:.2f} (95% CI {g - 1.959964 * se:.2f} to {g + 1.959964 * se:.2f}), "
        f"improvement index +{improvement}, significant (p = 0.006)."
    )
    assert (
        independent
        == "g = 0.52 (95% CI 0.15 to 0.90), improvement index +20, significant (p = 0.006)."
    )

    shown = shown_effect(curator_client.get(change_url(study)))
    assert len(shown) == 4  # the finding already there and the three new ones
    (means,) = [effect for effect in shown if effect.startswith(independent)]
    (events,) = [effect for effect in shown if "Cox index" in effect]
    (t,) = [effect for effect in shown if "from a t statistic" in effect]
    assert means == (
        f"{independent} On this measure lower is better, so the sign is turned: a positive "
        "value means better for the child. Method: Hedges' g from means, standard deviations "
        "and group sizes."
    )
    # 9 of 60 and 17 of 58 entered care: ln((9 x 41) / (51 x 17)) / 1.65 = -0.52, turned round.
    assert events.startswith(
        "Cox index = 0.52 (95% CI -0.03 to 1.07), improvement index +20, not significant "
        "(no p-value reported; the 95% CI includes 0). 15% of the intervention group and 29% "
        "of the comparison group had this outcome."
    )
    assert events.endswith("Method: Cox index from events and group sizes.")
    # t = -2.31 with 44 and 41: g = -2.31 x sqrt(1/44 + 1/41) x (1 - 3/331) = -0.50, turned.
    # SE = sqrt(85 / (44 x 41) + 0.497^2 / (2 x (85 - 3.94))) = 0.2205: 0.497 -/+ 0.432.
    assert t.startswith("g = 0.50 (95% CI 0.06 to 0.93), improvement index +19, significant")
    assert t.endswith("Method: Hedges' g from a t statistic and group sizes.")

    # The finding's own page shows the same, and the list shows the numbers.
    saved = study.findings.get(measure__startswith="Eyberg")
    assert shown_effect(curator_client.get(change_url(saved))) == [means]
    listing = curator_client.get(reverse("admin:ratings_finding_changelist")).content.decode()
    assert "0.52 (0.15 to 0.90)" in listing


def test_the_t_statistic_has_its_own_block_in_the_form(curator_client, study_with_finding):
    study, finding = study_with_finding
    page = curator_client.get(change_url(finding)).content.decode()
    block = page[page.index("t statistic (or F with one numerator degree of freedom)") :]
    assert 'name="t_statistic"' in block[: block.index("Events (yes/no outcomes)")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"intervention_n": 1},
            "An effect size from a t statistic needs at least 2 children or families in "
            "each group.",
        ),
        ({"t_statistic": ""}, "Needed for “A t statistic and numbers per group”."),
        ({"comparison_mean": "3.1"}, "Leave this empty: it is not part of “A t statistic"),
        ({"t_statistic": "5000"}, "A t statistic must be between -1,000 and 1,000."),
    ],
)
def test_a_bad_new_t_statistic_finding_is_explained_and_not_saved(
    curator_client, study_with_finding, row, message
):
    study, finding = study_with_finding
    response = post_study(
        curator_client,
        study,
        add=lambda data: add_rows(
            data,
            "findings",
            t_statistic_finding(finding.intervention, factories.make_outcome(), **row),
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert study.findings.count() == 1


def test_a_stored_effect_size_is_not_shown_beside_statistics_that_were_not_saved(
    curator_client, study_with_finding
):
    study, finding = study_with_finding
    before = snapshot(finding)
    response = post_study(
        curator_client,
        study,
        edit=lambda data: type_in(
            data, **{"findings-0-comparison_mean": "20.5", "findings-0-intervention_sd": "0"}
        ),
    )
    assert response.status_code == 200
    assert "A standard deviation must be more than 0." in response.content.decode()
    assert shown_effect(response) == []
    assert "Worked out from the statistics when you save." in response.content.decode()
    assert snapshot(finding) == before


def test_removing_an_intervention_that_still_has_findings_is_explained(curator_client):
    kept = factories.make_intervention(name="Kept Programme")
    removed = factories.make_intervention(name="Removed Programme")
    study = factories.make_study(kept, removed)
    factories.make_finding(study, removed)

    response = post_study(
        curator_client, study, unlink=lambda data: type_in(data, interventions=[kept.pk])
    )
    assert response.status_code == 200
    assert (
        "Removed Programme was removed from this study&#x27;s interventions, but 1 finding "
        "below still refers to it." in response.content.decode()
    )
    assert set(study.interventions.all()) == {kept, removed}
    assert study.findings.get().intervention == removed


def test_removing_an_intervention_with_its_findings_works(curator_client):
    kept = factories.make_intervention(name="Kept Programme")
    removed = factories.make_intervention(name="Removed Programme")
    study = factories.make_study(kept, removed)
    factories.make_finding(study, removed)

    def unlink_and_delete(data):
        type_in(data, interventions=[kept.pk])
        data["findings-0-DELETE"] = ["on"]

    response = post_study(curator_client, study, edit=unlink_and_delete)
    assert response.status_code == 302
    assert list(study.interventions.all()) == [kept]
    assert not study.findings.exists()
    check_deferred_rules_now()


def test_a_finding_for_a_new_intervention_links_it_to_the_study(curator_client, study_with_finding):
    study, finding = study_with_finding
    other_arm = factories.make_intervention(name="Second Arm Programme")
    response = post_study(
        curator_client,
        study,
        add=lambda data: add_rows(
            data, "findings", binary_finding(other_arm, factories.make_outcome())
        ),
    )
    assert response.status_code == 302
    assert set(study.interventions.all()) == {finding.intervention, other_arm}
    check_deferred_rules_now()


def test_a_finding_on_its_own_page_must_belong_to_the_studys_interventions(
    curator_client, study_with_finding
):
    study, finding = study_with_finding
    stranger = factories.make_intervention(name="Unrelated Programme")
    data = page_form(curator_client, change_url(finding), "finding_form")
    type_in(data, intervention=stranger.pk)
    response = curator_client.post(change_url(finding), data)
    assert response.status_code == 200
    assert "is not linked to Unrelated Programme" in response.content.decode()
    assert Finding.objects.get(pk=finding.pk).intervention == finding.intervention


def test_a_curator_can_delete_a_finding_but_not_a_study(curator_client, study_with_finding):
    study, finding = study_with_finding
    delete_study = reverse("admin:ratings_study_delete", args=[study.pk])
    assert curator_client.post(delete_study, {"post": "yes"}).status_code == 403
    delete_finding = reverse("admin:ratings_finding_delete", args=[finding.pk])
    assert curator_client.post(delete_finding, {"post": "yes"}).status_code == 302
    assert Study.objects.filter(pk=study.pk).exists()
    assert not Finding.objects.filter(pk=finding.pk).exists()


# --- Ratings and costs: added, never overwritten ---


def add_rating(client, intervention, level, **fields):
    url = reverse("admin:ratings_rating_add")
    data = page_form(client, url, "rating_form")
    type_in(
        data,
        intervention=intervention.pk,
        scale=fields.pop("scale", level.scale).pk,
        level=level.pk,
        **fields,
    )
    return client.post(url, data)


def test_a_new_rating_supersedes_the_current_one_and_both_are_kept(
    curator_client, curator, published_intervention
):
    first = factories.rate(published_intervention, "evidence-strength", "2")
    three = factories.level("evidence-strength", "3")

    response = add_rating(
        curator_client,
        published_intervention,
        three,
        basis="override",
        reason="The trial report is in press; the curators have read it.",
    )
    assert response.status_code == 302

    first.refresh_from_db()
    assert first.level.code == "2" and first.superseded_at is not None
    current = Rating.objects.current().get(intervention=published_intervention)
    assert current.level == three
    assert current.rated_by == curator
    assert current.standards_version == "test-1"
    assert Rating.objects.filter(intervention=published_intervention).count() == 2


def test_ratings_cannot_be_edited_or_deleted(curator_client, published_intervention):
    rating = factories.rate(published_intervention, "evidence-strength", "3")
    page = curator_client.get(change_url(rating))
    assert page.status_code == 200  # viewable
    assert 'name="level"' not in page.content.decode()  # but read-only
    assert curator_client.post(change_url(rating), {"level": rating.level_id}).status_code == 403
    delete = reverse("admin:ratings_rating_delete", args=[rating.pk])
    assert curator_client.post(delete, {"post": "yes"}).status_code == 403
    assert Rating.objects.get(pk=rating.pk).superseded_at is None


def test_an_override_needs_a_reason(curator_client, published_intervention):
    first = factories.rate(published_intervention, "evidence-strength", "2")
    response = add_rating(
        curator_client,
        published_intervention,
        factories.level("evidence-strength", "4"),
        basis="override",
        reason="   ",
    )
    assert response.status_code == 200
    assert "Say why you are overriding the suggested level." in response.content.decode()
    assert list(Rating.objects.all()) == [first]
    assert Rating.objects.get(pk=first.pk).superseded_at is None


def test_a_level_must_be_on_the_chosen_scale(curator_client, published_intervention, scales):
    evidence, _ = scales
    response = add_rating(
        curator_client,
        published_intervention,
        factories.level("cost", "3"),
        scale=evidence,
    )
    assert response.status_code == 200
    assert "3 is a level of the Cost scale, not of Evidence strength." in (
        response.content.decode()
    )
    assert not Rating.objects.exists()


def test_ratings_and_costs_added_on_the_intervention_page_supersede(
    curator_client, curator, published_intervention, scales
):
    evidence, _ = scales
    old_rating = factories.rate(
        published_intervention, "evidence-strength", "2", rated_on=date(2026, 1, 10)
    )
    old_cost = factories.make_cost(published_intervention, unit_cost=Decimal("850.00"))
    four = factories.level("evidence-strength", "4")

    data = page_form(curator_client, change_url(published_intervention), "intervention_form")
    add_rows(
        data,
        "ratings",
        {
            "scale": evidence.pk,
            "level": four.pk,
            "basis": "override",
            "reason": "A second independent trial with 18-month follow-up has been published.",
            "rated_on": "2026-03-02",
        },
    )
    add_rows(
        data,
        "cost_estimates",
        {
            "per": "family",
            "unit_cost": "1240.00",
            "price_year": 2025,
            "staff_time": "900.00",
            "other": "340.00",
            "estimated_on": "2026-03-02",
        },
    )
    response = curator_client.post(change_url(published_intervention), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    old_rating.refresh_from_db()
    old_cost.refresh_from_db()
    assert old_rating.superseded_at is not None and old_rating.level.code == "2"
    assert old_cost.superseded_at is not None and old_cost.unit_cost == Decimal("850.00")
    new_rating = Rating.objects.current().get(intervention=published_intervention, scale=evidence)
    assert (new_rating.level, new_rating.rated_by) == (four, curator)
    assert new_rating.rated_on == date(2026, 3, 2)
    new_cost = UnitCostEstimate.objects.current().get(intervention=published_intervention)
    assert new_cost.unit_cost == Decimal("1240.00")
    # The cost rating follows from the new unit cost: £1,240 is medium-high.
    cost_rating = Rating.objects.current().get(
        intervention=published_intervention, scale__slug="cost"
    )
    assert (cost_rating.level.code, cost_rating.basis) == ("4", Rating.Basis.DERIVED)
    assert "medium-high cost band" in cost_rating.reason


def test_an_override_without_a_reason_on_the_intervention_page_changes_nothing(
    curator_client, published_intervention, scales
):
    evidence, _ = scales
    old_rating = factories.rate(published_intervention, "evidence-strength", "2")
    data = page_form(curator_client, change_url(published_intervention), "intervention_form")
    add_rows(
        data,
        "ratings",
        {"scale": evidence.pk, "level": factories.level("evidence-strength", "4").pk},
    )
    type_in(data, **{"ratings-1-basis": "override", "ratings-1-reason": ""})
    response = curator_client.post(change_url(published_intervention), data)
    assert response.status_code == 200
    assert "Say why you are overriding the suggested level." in response.content.decode()
    assert list(Rating.objects.all()) == [old_rating]
    assert Rating.objects.get(pk=old_rating.pk).superseded_at is None


def test_a_negative_cost_is_explained_and_not_saved(curator_client, published_intervention):
    url = reverse("admin:ratings_unitcostestimate_add")
    data = page_form(curator_client, url, "unitcostestimate_form")
    type_in(
        data,
        intervention=published_intervention.pk,
        unit_cost="400",
        price_year=2025,
        licence="-50",
    )
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "An amount cannot be negative." in response.content.decode()
    assert not UnitCostEstimate.objects.exists()


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"staff_time": "300.00", "training": "150.00"},
            "The parts add up to £450.00, which is £50.00 less than the unit cost of £500.00. "
            "Add the missing part under Other, or correct the unit cost.",
        ),
        (
            {"staff_time": "450.00", "licence": "75.50"},
            "The parts add up to £525.50, which is £25.50 more than the unit cost of £500.00. "
            "Correct the parts, or the unit cost.",
        ),
    ],
)
def test_a_breakdown_that_does_not_add_up_is_explained_and_not_saved(
    curator_client, published_intervention, scales, parts, message
):
    url = reverse("admin:ratings_unitcostestimate_add")
    data = page_form(curator_client, url, "unitcostestimate_form")
    type_in(data, intervention=published_intervention.pk, unit_cost="500.00", price_year=2025)
    type_in(data, **parts)
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not UnitCostEstimate.objects.exists()
    assert not Rating.objects.exists()


def test_a_breakdown_within_a_pound_of_the_unit_cost_is_saved(
    curator_client, published_intervention, scales
):
    url = reverse("admin:ratings_unitcostestimate_add")
    data = page_form(curator_client, url, "unitcostestimate_form")
    type_in(
        data,
        intervention=published_intervention.pk,
        unit_cost="500.00",
        price_year=2025,
        staff_time="333.33",
        materials="166.33",  # 34p short of £500: rounding
    )
    assert curator_client.post(url, data).status_code == 302
    assert UnitCostEstimate.objects.current().get().materials == Decimal("166.33")


def test_a_breakdown_that_does_not_add_up_on_the_intervention_page_changes_nothing(
    curator_client, published_intervention, scales
):
    old_cost = factories.make_cost(published_intervention, unit_cost=Decimal("850.00"))
    data = page_form(curator_client, change_url(published_intervention), "intervention_form")
    add_rows(
        data,
        "cost_estimates",
        {"per": "child", "unit_cost": "1240.00", "price_year": 2025, "staff_time": "900.00"},
    )
    response = curator_client.post(change_url(published_intervention), data)
    assert response.status_code == 200
    assert (
        "The parts add up to £900.00, which is £340.00 less than the unit cost of £1,240.00."
        in unescape(response.content.decode())
    )
    assert list(UnitCostEstimate.objects.all()) == [old_cost]
    assert UnitCostEstimate.objects.get().superseded_at is None


# --- Permissions ---


CURATOR_PERMISSIONS = {
    "interventions.view_intervention",
    "interventions.add_intervention",
    "interventions.change_intervention",
    "interventions.publish_intervention",
    *(
        f"interventions.{action}_{taxonomy}"
        for taxonomy in (
            "ageband",
            "outcomedomain",
            "outcome",
            "needlevel",
            "setting",
            "deliverymodel",
            "topic",
        )
        for action in ("view", "add", "change")
    ),
    "ratings.view_study",
    "ratings.add_study",
    "ratings.change_study",
    "ratings.view_finding",
    "ratings.add_finding",
    "ratings.change_finding",
    "ratings.delete_finding",
    "ratings.view_rating",
    "ratings.add_rating",
    "ratings.view_unitcostestimate",
    "ratings.add_unitcostestimate",
    "ratings.view_ratingscale",
    "ratings.view_ratinglevel",
    # The glossary the public pages link abbreviations to, with its history.
    "interventions.view_glossaryterm",
    "interventions.add_glossaryterm",
    "interventions.change_glossaryterm",
    "interventions.view_historicalglossaryterm",
    # The synonym groups that widen public searches.
    "publishing.view_searchsynonym",
    "publishing.add_searchsynonym",
    "publishing.change_searchsynonym",
    "interventions.view_historicalintervention",
    "interventions.view_historicalintervention_need_levels",
    "interventions.view_historicalintervention_topics",
    "interventions.view_historicalintervention_target_outcomes",
    "interventions.view_historicalintervention_delivery_models",
    "interventions.view_historicalintervention_settings",
    "ratings.view_historicalstudy",
    "ratings.view_historicalstudy_interventions",
    "ratings.view_historicalfinding",
    "ratings.view_historicalrating",
    "ratings.view_historicalunitcostestimate",
    "ratings.view_historicalratingscale",
    "ratings.view_historicalratinglevel",
    # The price indexes the local cost calculator uses (business/models.py).
    "business.view_gdpdeflator",
    "business.add_gdpdeflator",
    "business.change_gdpdeflator",
    *(
        f"interventions.view_historical{taxonomy}"
        for taxonomy in (
            "ageband",
            "outcomedomain",
            "outcome",
            "needlevel",
            "setting",
            "deliverymodel",
            "topic",
        )
    ),
}


def test_the_curator_group_has_exactly_the_permissions_curating_needs():
    group = Group.objects.get(name="curator")
    granted = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert granted == CURATOR_PERMISSIONS


def test_a_curator_is_not_a_superuser_and_has_only_the_group_permissions(curator):
    assert curator.is_staff and not curator.is_superuser
    assert not curator.user_permissions.exists()
    assert curator.get_all_permissions() == CURATOR_PERMISSIONS
    assert Permission.objects.filter(codename="publish_intervention").count() == 1


def test_a_curator_can_open_every_list_and_add_what_they_curate(curator_client):
    view_only = {"ratingscale"}
    for model in admin.site._registry:
        if model._meta.app_label not in ("interventions", "ratings"):
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert curator_client.get(reverse(f"{info}_changelist")).status_code == 200, model
        expected = 403 if model._meta.model_name in view_only else 200
        assert curator_client.get(reverse(f"{info}_add")).status_code == expected, model


def our_admin_pages() -> list[str]:
    """Every admin page for our models, with a made-up id (login comes before any lookup)."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("interventions", "ratings"):
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        pages += [reverse(f"{info}_{page}", args=[1]) for page in ("change", "delete", "history")]
        if isinstance(model_admin, SimpleHistoryAdmin):
            pages.append(reverse(f"{info}_simple_history", args=[1, 1]))
        if isinstance(model_admin, PlainLanguageAdmin):
            pages.append(reverse(f"{info}_plain_language"))
    pages.append(reverse("admin:interventions_intervention_move", args=[1, PUBLISHED]))
    return pages


def test_anonymous_visitors_are_sent_to_sign_in_for_every_admin_page(client):
    pages = our_admin_pages()
    assert len(pages) > 50
    for page in pages:
        for method in (client.get, client.post):
            response = method(page)
            assert response.status_code == 302, page
            assert response.url.startswith(f"{reverse('admin:login')}?next="), page


# --- Editing changes the working copy; only publishing changes the public site ---


def public_page(url: str) -> str:
    """The page as a member of the public sees it."""
    response = Client().get(url)
    assert response.status_code == 200, f"GET {url} gave {response.status_code}"
    return unescape(response.content.decode())


def publish_as(user, intervention, note: str) -> None:
    """A curator with the publish permission reviews and publishes the next version."""
    client = Client()
    client.force_login(user)
    response = client.post(publish_url(intervention), {"change": "major", "change_note": note})
    assert response.status_code == 302, response.context and response.context["form"].errors


def test_without_the_publish_permission_a_published_page_can_be_edited_but_not_published(
    reviewer_client, curator, published_intervention
):
    factories.publish(published_intervention)
    url = change_url(published_intervention)
    page = public_page(published_intervention.get_absolute_url())
    assert "A group programme for parents of young children." in page

    data = page_form(reviewer_client, url, "intervention_form")
    type_in(data, summary="Rewritten for parents of toddlers.")
    assert reviewer_client.post(url, data).status_code == 302
    published_intervention.refresh_from_db()
    assert published_intervention.summary == "Rewritten for parents of toddlers."

    # The public still sees version 1 until someone who may publish publishes the edit.
    page = public_page(published_intervention.get_absolute_url())
    assert "Rewritten for parents of toddlers." not in page
    assert "A group programme for parents of young children." in page
    assert "This working copy has changes that are not published yet." in (
        reviewer_client.get(url).content.decode()
    )

    publish_as(curator, published_intervention, "Clearer summary.")
    page = public_page(published_intervention.get_absolute_url())
    assert "Rewritten for parents of toddlers." in page
    assert published_intervention.versions.count() == 2


def test_without_the_publish_permission_a_draft_can_still_be_edited(reviewer_client):
    draft = factories.make_intervention(status=Intervention.Status.DRAFT)
    data = page_form(reviewer_client, change_url(draft), "intervention_form")
    type_in(data, summary="A clearer summary for parents.")
    assert reviewer_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "A clearer summary for parents."


def test_without_the_publish_permission_a_rating_added_to_a_published_page_waits_to_be_published(
    reviewer_client, curator, published_intervention, scales
):
    factories.publish(published_intervention)
    three = factories.level("evidence-strength", "3")
    response = add_rating(
        reviewer_client,
        published_intervention,
        three,
        basis="override",
        reason="The trial report is in press; the curators have read it.",
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Rating.objects.current().get(intervention=published_intervention).level == three

    listing = Listing.objects.get(intervention=published_intervention)
    assert listing.evidence_code == ""
    page = public_page(published_intervention.get_absolute_url())
    assert "Evidence of a short-term effect" not in page

    publish_as(curator, published_intervention, "Rated on the evidence.")
    listing.refresh_from_db()
    assert (listing.evidence_code, listing.version_number) == ("3", 2)
    assert "Evidence of a short-term effect" in public_page(
        published_intervention.get_absolute_url()
    )


def test_without_the_publish_permission_evidence_on_a_published_page_can_be_edited_privately(
    reviewer_client, curator, study_with_finding
):
    study, finding = study_with_finding
    intervention = finding.intervention
    factories.publish(intervention)
    title = study.title

    response = post_study(
        reviewer_client, study, edit=lambda data: type_in(data, title="A rewritten title")
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    data = page_form(reviewer_client, change_url(finding), "finding_form")
    type_in(data, measure="A rewritten measure")
    assert reviewer_client.post(change_url(finding), data).status_code == 302
    assert snapshot(finding)["measure"] == "A rewritten measure"

    # The public pages show the published version, not the edits.
    for url in (intervention.get_absolute_url(), study.get_absolute_url()):
        page = public_page(url)
        assert title in page
        assert "A rewritten title" not in page and "A rewritten measure" not in page

    # Deleting a finding changes the working copy too, and nothing public.
    delete_url = reverse("admin:ratings_finding_delete", args=[finding.pk])
    assert reviewer_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert Version.objects.get(intervention=intervention).content["studies"][0]["findings"]

    publish_as(curator, intervention, "Corrected the study's title; removed a finding.")
    page = public_page(study.get_absolute_url())
    assert "A rewritten title" in page and title not in page


# --- Cost ratings follow from the unit cost; ratings keep their order ---


def test_a_cost_rating_cannot_be_typed_in(curator_client, published_intervention, scales):
    response = add_rating(curator_client, published_intervention, factories.level("cost", "1"))
    assert response.status_code == 200
    assert "Cost ratings follow the unit cost." in response.content.decode()
    assert not Rating.objects.exists()


def test_a_unit_cost_estimate_brings_its_cost_rating(
    curator_client, published_intervention, scales
):
    url = reverse("admin:ratings_unitcostestimate_add")
    data = page_form(curator_client, url, "unitcostestimate_form")
    type_in(
        data,
        intervention=published_intervention.pk,
        per="child",
        unit_cost="480.00",
        price_year="2025",
        staff_time="480.00",
        estimated_on="2026-02-01",
    )
    assert curator_client.post(url, data).status_code == 302
    rating = Rating.objects.current().get(intervention=published_intervention)
    assert (rating.scale.slug, rating.level.code) == ("cost", "2")
    assert rating.basis == Rating.Basis.DERIVED
    assert rating.rated_on == date(2026, 2, 1)
    assert "medium-low cost band" in rating.reason


@pytest.mark.parametrize(
    ("rated_on", "message"),
    [
        ("2099-01-01", "A rating cannot be dated in the future."),
        ("2025-12-31", "The current rating is dated 10 January 2026."),
    ],
)
def test_a_rating_dated_in_the_future_or_before_the_current_one_is_refused(
    curator_client, published_intervention, rated_on, message
):
    current = factories.rate(
        published_intervention, "evidence-strength", "2", rated_on=date(2026, 1, 10)
    )
    three = factories.level("evidence-strength", "3")
    response = add_rating(
        curator_client, published_intervention, three, basis="confirmed", rated_on=rated_on
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Rating.objects.all()) == [current]


def test_changing_the_evidence_dates_the_page_as_changed(curator_client, study_with_finding):
    study, finding = study_with_finding
    intervention = finding.intervention
    Intervention.objects.filter(pk=intervention.pk).update(
        updated_at=timezone.make_aware(timezone.datetime(2020, 1, 1))
    )
    data = page_form(curator_client, change_url(finding), "finding_form")
    type_in(data, source_location="Table 4, page 9")
    assert curator_client.post(change_url(finding), data).status_code == 302
    intervention.refresh_from_db()
    assert intervention.updated_at.date() == timezone.localdate()


def test_taxonomy_changes_are_recorded_with_who_made_them(curator_client, curator):
    need = NeedLevel.objects.create(name="Targeted indicated", slug="targeted-indicated")
    data = page_form(curator_client, change_url(need), "needlevel_form")
    type_in(data, description="Children who already show early signs of difficulty.")
    assert curator_client.post(change_url(need), data).status_code == 302
    latest = need.history.latest()
    assert (latest.history_user, latest.description) == (
        curator,
        "Children who already show early signs of difficulty.",
    )
    history_page = curator_client.get(
        reverse("admin:interventions_needlevel_history", args=[need.pk])
    )
    assert "casey.curator" in history_page.content.decode()


def test_a_nul_character_in_an_admin_search_is_refused_not_a_crash(curator_client):
    url = reverse("admin:autocomplete")
    response = curator_client.get(
        url,
        {
            "app_label": "interventions",
            "model_name": "intervention",
            "field_name": "need_levels",
            "term": "\x00",
        },
    )
    assert response.status_code == 400
    assert "Sorry, we could not read that request" in response.content.decode()


def test_view_on_site_is_offered_only_for_public_pages(curator_client, study_with_finding):
    study, finding = study_with_finding
    published = finding.intervention
    factories.publish(published)
    never_published = factories.make_intervention(status=Intervention.Status.IN_REVIEW)
    draft = factories.make_intervention(status=Intervention.Status.DRAFT)
    draft_study = factories.make_study(draft)
    page = curator_client.get(change_url(published)).content.decode()
    assert "View on site" in page and published.get_absolute_url() in page
    for intervention in (never_published, draft):
        assert "View on site" not in curator_client.get(change_url(intervention)).content.decode()
    # A study's admin page is its working copy; its public page shows what was published,
    # reached from the intervention's public page.
    assert "View on site" not in curator_client.get(change_url(study)).content.decode()
    assert "View on site" not in curator_client.get(change_url(draft_study)).content.decode()


def test_taxonomy_autocomplete_matches_names_not_descriptions(curator_client):
    Topic.objects.create(name="Kinship care", slug="kinship-care", description="Grandparents.")
    Topic.objects.create(name="Parental conflict", slug="parental-conflict")
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "interventions",
            "model_name": "intervention",
            "field_name": "topics",
            "term": "par",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Parental conflict"]


def test_taxonomy_lists_filter_terms_by_whether_an_intervention_uses_them(curator_client):
    used = Topic.objects.create(name="Kinship care", slug="kinship-care")
    Topic.objects.create(name="Care leavers", slug="care-leavers")
    factories.make_intervention().topics.add(used)
    url = reverse("admin:interventions_topic_changelist")

    def names(in_use: str) -> set[str]:
        response = curator_client.get(url, {"in_use": in_use})
        return {topic.name for topic in response.context["cl"].result_list}

    assert "Kinship care" in names("yes") and "Care leavers" not in names("yes")
    assert "Care leavers" in names("no") and "Kinship care" not in names("no")
