"""The suggested evidence rating in the admin, and UK-tested worked out from the evidence.

A curator opens an intervention, sees what the standard suggests from its studies
and why, and confirms it or overrides it with a reason. Both record a new dated
rating through the Rating admin's own checks. Bad posts change nothing and say why.
UK-tested follows the studies whichever way the evidence changes: the next published
version says what the evidence supports then, and the public sees it once published.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interventions.models import Intervention, OutcomeDomain
from publishing import snapshot
from publishing.models import Listing
from ratings import derived
from ratings.models import Rating, RatingLevel, RatingScale
from tests import factories
from tests.test_admin import (
    add_rows,
    check_deferred_rules_now,
    continuous_finding,
    page_form,
    shown_messages,
    type_in,
)

pytestmark = pytest.mark.django_db

NOT_SIGNIFICANT = {"intervention_mean": 13.3, "p_value": 0.82}


@pytest.fixture
def levels(scales):
    """The evidence scale with every level the standard can suggest."""
    evidence, _cost = scales
    for code, rank in [("2+", 25), ("3+", 35), ("4+", 45)]:
        RatingLevel.objects.get_or_create(
            scale=evidence, code=code, defaults={"label": f"Level {code}", "rank": rank}
        )
    return {level.code: level for level in RatingLevel.objects.filter(scale=evidence)}


@pytest.fixture
def intervention(levels):
    """Published, rated 3 in 2025, with one rigorous, independent UK trial that found
    an improvement: the standard suggests 3+."""
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    study = factories.make_study(intervention, authors="Okafor, A., Reid, J.", year=2021)
    factories.make_finding(study, intervention, outcome=factories.make_outcome(name="Conduct"))
    factories.rate(
        intervention,
        RatingScale.EVIDENCE,
        "3",
        reason="An earlier review.",
        rated_on=date(2025, 6, 1),
    )
    return intervention


def change_page(intervention) -> str:
    return reverse("admin:interventions_intervention_change", args=[intervention.pk])


def confirm_url(intervention) -> str:
    return reverse("admin:interventions_intervention_confirm_rating", args=[intervention.pk])


def override_url(intervention) -> str:
    return reverse("admin:interventions_intervention_override_rating", args=[intervention.pk])


def evidence_ratings(intervention):
    return Rating.objects.filter(intervention=intervention, scale__slug=RatingScale.EVIDENCE)


def current_rating(intervention) -> Rating:
    return evidence_ratings(intervention).current().select_related("level").get()


def user_with(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="a long test password 1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def curator_without_publishing() -> User:
    user = user_with("sam.editor")
    curator = Group.objects.get(name="curator")
    user.user_permissions.set(curator.permissions.exclude(codename="publish_intervention"))
    return user


# --- The panel ---


def test_the_panel_shows_the_current_rating_the_suggestion_and_why(curator_client, intervention):
    page = curator_client.get(change_page(intervention)).content.decode()
    explanation = derived.suggest(intervention).explanation()
    assert "Suggested evidence rating" in page
    assert "<strong>3</strong> (Evidence of a short-term effect), dated 1 June 2025" in page
    assert "<strong>3+</strong> (Level 3+)" in page
    assert explanation.startswith("Level 3+ because a rigorous study, Okafor (2021), found")
    assert explanation.replace("'", "&#x27;") in page
    assert "Okafor (2021) is a rigorous randomised controlled trial that found children did " in (
        page
    )
    assert "No rigorous study found a significantly worse result." in page
    assert "Yes: Okafor (2021), counted in the rating, took place in the UK." in page
    assert "Confirm suggested rating" in page and "Override with this level" in page
    # The panel's forms sit outside the main form, so they never submit its fields.
    assert page.index('id="suggested-rating"') < page.index('id="intervention_form"')


def test_a_curator_sees_the_computed_effect_and_forest_plot_without_typing_them(
    curator_client, levels
):
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    empty = curator_client.get(change_page(intervention)).content.decode()
    assert "No findings yet." in empty and 'role="img"' not in empty

    # Raw numbers only: means, standard deviations and group sizes.
    study = factories.make_study(intervention, authors="Okafor, A., Reid, J.", year=2021)
    factories.make_finding(
        study, intervention, outcome=factories.make_outcome(name="Conduct problems")
    )

    page = curator_client.get(change_page(intervention)).content.decode()
    assert "What the studies found:" in page
    assert 'role="img"' in page and "<title" in page  # the forest plot, with its title
    assert "Okafor (2021)" in page
    assert "<strong>3+</strong>" in page  # and a new suggestion


def test_the_panel_flags_harm_and_an_intervention_not_tested_in_the_uk(curator_client, levels):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention, country="FR")
    # Behaviour worsened: the difficulties score went up.
    factories.make_finding(study, intervention, intervention_mean=15.9)
    page = curator_client.get(change_page(intervention)).content.decode()
    assert "<strong>NE</strong>" in page
    assert "Flagged on the page, whatever the level." in page
    assert "No: no rigorous study counted in the rating took place in the UK." in page
    assert "None yet." in page  # no current rating


# --- Confirming ---


def test_confirming_records_a_new_dated_rating_with_the_suggestion(
    curator_client, curator, intervention, levels
):
    explanation = derived.suggest(intervention).explanation()
    response = curator_client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    assert response.status_code == 302
    assert response.url == change_page(intervention) + "#suggested-rating"
    rating = current_rating(intervention)
    assert (rating.level.code, rating.basis) == ("3+", Rating.Basis.CONFIRMED)
    assert rating.reason == rating.suggestion == explanation
    assert (rating.rated_on, rating.rated_by) == (timezone.localdate(), curator)
    earlier = evidence_ratings(intervention).exclude(pk=rating.pk).get()
    assert (earlier.level.code, earlier.superseded_at is not None) == ("3", True)
    page = curator_client.get(response.url)
    assert "Recorded evidence rating 3+ for Hearthstone Parent Group" in shown_messages(page)[0]


def test_when_the_suggestion_is_the_current_rating_confirming_again_is_a_re_review(
    curator_client, intervention, levels
):
    curator_client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    page = curator_client.get(change_page(intervention)).content.decode()
    assert "This is the current rating. Confirming it again records a re-review" in page
    assert "Confirm suggested rating" in page
    curator_client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    assert evidence_ratings(intervention).count() == 3
    assert current_rating(intervention).level.code == "3+"


def test_confirming_a_suggestion_that_changed_meanwhile_records_nothing(
    curator_client, intervention, levels
):
    # The page was opened when the standard suggested 3; the evidence has changed since.
    response = curator_client.post(
        confirm_url(intervention), {"level": levels["3"].pk}, follow=True
    )
    assert shown_messages(response) == [
        "Nothing was recorded. The standard suggests 3+ from the studies, not 3. To record 3, "
        "override the suggestion and say why."
    ]
    assert evidence_ratings(intervention).count() == 1


def test_confirming_needs_a_post(curator_client, intervention):
    assert curator_client.get(confirm_url(intervention)).status_code == 405
    assert evidence_ratings(intervention).count() == 1


def test_confirming_needs_the_csrf_token(curator, intervention, levels):
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    response = client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    assert response.status_code == 403
    assert evidence_ratings(intervention).count() == 1


# --- Overriding ---


def test_confirming_or_overriding_dates_the_evidence_as_reviewed(
    curator_client, intervention, levels
):
    intervention.evidence_last_reviewed = date(2020, 1, 1)
    intervention.save()
    curator_client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    intervention.refresh_from_db()
    assert intervention.evidence_last_reviewed == timezone.localdate()

    intervention.evidence_last_reviewed = date(2020, 1, 1)
    intervention.save()
    reason = "Two reports share one sample, so this is one rigorous study: level 3."
    curator_client.post(override_url(intervention), {"level": levels["3"].pk, "reason": reason})
    intervention.refresh_from_db()
    assert intervention.evidence_last_reviewed == timezone.localdate()


def test_overriding_records_another_level_with_the_reason_and_the_suggestion(
    curator_client, intervention, levels
):
    explanation = derived.suggest(intervention).explanation()
    reason = "Two reports share one sample, so this is one rigorous study: level 3."
    response = curator_client.post(
        override_url(intervention), {"level": levels["3"].pk, "reason": reason}
    )
    assert response.status_code == 302
    rating = current_rating(intervention)
    assert (rating.level.code, rating.basis) == ("3", Rating.Basis.OVERRIDE)
    assert (rating.reason, rating.suggestion) == (reason, explanation)
    assert evidence_ratings(intervention).count() == 2


@pytest.mark.parametrize(
    "post, message",
    [
        ({"level": "NL2", "reason": "  "}, "Say why you are overriding the suggested level."),
        ({"reason": "A reason."}, "Choose a level."),
        ({"level": "999999", "reason": "A reason."}, "Choose one of the levels of the"),
        ({"level": "abc", "reason": "A reason."}, "Choose one of the levels of the"),
        ({"level": "cost 5", "reason": "A reason."}, "5 is a level of the Cost scale"),
        ({"level": "3+", "reason": "A reason."}, "3+ is the level the standard suggests"),
    ],
    ids=["no reason", "no level", "unknown level", "not a level", "cost level", "same level"],
)
def test_a_bad_override_is_explained_and_changes_nothing(
    curator_client, intervention, levels, post, message
):
    cost_five = RatingLevel.objects.get(scale__slug=RatingScale.COST, code="5")
    codes = {code: str(level.pk) for code, level in levels.items()} | {"cost 5": cost_five.pk}
    post = {**post, "level": codes.get(post.get("level"), post.get("level", ""))}
    response = curator_client.post(override_url(intervention), post)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was recorded. Please correct the errors below." in page
    assert message in page
    assert post["reason"] in page  # what the curator typed is still there
    assert evidence_ratings(intervention).count() == 1


def test_the_override_page_shows_the_panel(curator_client, intervention):
    page = curator_client.get(override_url(intervention)).content.decode()
    assert "Override the suggested evidence rating of Hearthstone Parent Group" in page
    assert "Level 3+ because" in page
    assert 'action="' + override_url(intervention) + '"' in page


# --- Who may record ---


def test_without_permission_to_add_ratings_the_panel_explains_and_posts_change_nothing(
    client, intervention, levels
):
    client.force_login(user_with("val.viewer", "view_intervention"))
    page = client.get(change_page(intervention)).content.decode()
    assert "Level 3+ because" in page
    assert "You do not have permission to record ratings." in page
    assert "Confirm suggested rating" not in page
    for url, post in [
        (confirm_url(intervention), {"level": levels["3+"].pk}),
        (override_url(intervention), {"level": levels["3"].pk, "reason": "Because."}),
    ]:
        response = client.post(url, post, follow=True)
        assert shown_messages(response) == [
            "Nothing was recorded. You do not have permission to record ratings. Ask an "
            "administrator."
        ]
    assert evidence_ratings(intervention).count() == 1


def test_a_published_intervention_can_be_rated_without_the_permission_to_publish(
    client, intervention, levels
):
    """Rating changes the working copy; the public sees it only once someone publishes."""
    factories.publish(intervention)
    client.force_login(curator_without_publishing())
    page = client.get(change_page(intervention)).content.decode()
    assert "Confirm suggested rating" in page
    client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    assert current_rating(intervention).level.code == "3+"

    listing = Listing.objects.get(intervention=intervention)
    assert listing.evidence_code == "3"
    factories.publish(intervention, note="Rating confirmed against the standard.")
    listing.refresh_from_db()
    assert listing.evidence_code == "3+"


def test_a_draft_can_be_rated_without_the_permission_to_publish(client, intervention, levels):
    Intervention.objects.filter(pk=intervention.pk).update(status=Intervention.Status.DRAFT)
    client.force_login(curator_without_publishing())
    client.post(confirm_url(intervention), {"level": levels["3+"].pk})
    assert current_rating(intervention).level.code == "3+"


def test_an_unknown_intervention_is_a_redirect_with_a_message(curator_client):
    response = curator_client.post(
        reverse("admin:interventions_intervention_confirm_rating", args=[987654]), follow=True
    )
    assert "doesn’t exist" in shown_messages(response)[0]


# --- The Rating admin applies the same checks ---


def test_the_rating_admin_refuses_a_confirmed_rating_the_standard_did_not_suggest(
    curator_client, intervention, levels
):
    url = reverse("admin:ratings_rating_add")
    data = page_form(curator_client, url, "rating_form")
    evidence = levels["3"].scale
    type_in(
        data,
        intervention=intervention.pk,
        scale=evidence.pk,
        level=levels["4"].pk,
        basis="confirmed",
        reason="",
    )
    response = curator_client.post(url, data)
    assert "The standard suggests 3+ from the studies, not 4." in response.content.decode()
    assert evidence_ratings(intervention).count() == 1
    type_in(data, basis="override", reason="An independent replication is in press.")
    assert curator_client.post(url, data).status_code == 302
    rating = current_rating(intervention)
    assert rating.level.code == "4"
    assert rating.suggestion.startswith("Level 3+ because")


# --- UK-tested follows the evidence ---


def uk_tested(intervention) -> bool:
    """What the next published version would say: worked out from the working copy."""
    return snapshot.of(intervention)["intervention"]["uk_tested"]


def test_a_curator_adds_a_rigorous_uk_study_and_the_intervention_becomes_uk_tested(
    curator_client, levels
):
    intervention = factories.make_intervention()
    factories.publish(intervention)
    outcome = factories.make_outcome(name="Behaviour problems")
    assert not uk_tested(intervention)
    url = reverse("admin:ratings_study_add")
    data = page_form(curator_client, url, "study_form")
    type_in(
        data,
        authors="Adeyemi, T., Walsh, K.",
        year=2024,
        title="A randomised controlled trial in three English councils",
        interventions=[intervention.pk],
        design="rct",
        country="GB",
        intervention_n=130,
        comparison_n=126,
        attrition_overall="14.0",
        attrition_differential="2.5",
        independent="on",
    )
    add_rows(data, "findings", continuous_finding(intervention, outcome))
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    check_deferred_rules_now()
    assert uk_tested(intervention)
    page = curator_client.get(change_page(intervention)).content.decode()
    assert "Yes: Adeyemi (2024), counted in the rating, took place in the UK." in page

    # The public list says so once the change is published, not before.
    listing = Listing.objects.get(intervention=intervention)
    assert not listing.uk_tested
    factories.publish(intervention, note="Added a UK trial.")
    listing.refresh_from_db()
    assert listing.uk_tested
    assert intervention.versions.get(number=2).content["intervention"]["uk_tested"]


@pytest.fixture
def uk_tested_intervention(levels):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention, country="GB")
    finding = factories.make_finding(study, intervention)
    assert uk_tested(intervention)
    return intervention, study, finding


def test_uk_tested_is_worked_out_on_publishing_without_touching_the_page_date_or_history(
    levels,
):
    intervention = factories.make_intervention(status=Intervention.Status.IN_REVIEW)
    study = factories.make_study(intervention, country="GB")
    factories.make_finding(study, intervention)
    before = Intervention.objects.get(pk=intervention.pk)
    history = intervention.history.count()
    assert "uk_tested" not in {field.name for field in Intervention._meta.get_fields()}

    factories.publish(intervention)
    after = Intervention.objects.get(pk=intervention.pk)
    assert Listing.objects.get(intervention=intervention).uk_tested
    assert after.updated_at == before.updated_at
    assert intervention.history.count() == history


def test_a_published_uk_tested_stays_until_a_version_without_it_is_published(
    uk_tested_intervention,
):
    intervention, study, finding = uk_tested_intervention
    factories.publish(intervention)
    study.country = "FR"
    study.save()
    assert not uk_tested(intervention)
    listing = Listing.objects.get(intervention=intervention)
    assert listing.uk_tested
    factories.publish(intervention, note="The trial took place in France.")
    listing.refresh_from_db()
    assert not listing.uk_tested


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s, f: f.delete(), id="finding deleted"),
        pytest.param(
            lambda s, f: [setattr(f, "validated_measure", False), f.save()],
            id="finding on a measure not shown to be valid",
        ),
        pytest.param(lambda s, f: [setattr(s, "country", "FR"), s.save()], id="study abroad"),
        pytest.param(
            lambda s, f: [setattr(s, "attrition_overall", 45), s.save()], id="study not rigorous"
        ),
        pytest.param(lambda s, f: [f.delete(), s.delete()], id="study deleted"),
        pytest.param(
            lambda s, f: [
                setattr(
                    f.outcome,
                    "domain",
                    OutcomeDomain.objects.create(
                        name="Parenting", slug="parenting", subject="parent_family"
                    ),
                ),
                f.outcome.save(),
            ],
            id="its outcome moved to a parent domain",
        ),
        pytest.param(lambda s, f: [f.delete(), s.interventions.clear()], id="links cleared"),
        pytest.param(
            lambda s, f: [f.delete(), f.intervention.studies.remove(s)], id="link removed"
        ),
        pytest.param(
            lambda s, f: [
                setattr(f.outcome.domain, "subject", OutcomeDomain.Subject.PARENT_FAMILY),
                f.outcome.domain.save(),
            ],
            id="its outcome domain now a parent one",
        ),
    ],
)
def test_uk_tested_is_withdrawn_when_the_evidence_no_longer_supports_it(
    uk_tested_intervention, change
):
    intervention, study, finding = uk_tested_intervention
    change(study, finding)
    assert not uk_tested(intervention)


def test_uk_tested_follows_a_finding_moved_to_another_study(levels):
    first, second = factories.make_intervention(), factories.make_intervention()
    uk_trial = factories.make_study(first, country="GB")
    finding = factories.make_finding(uk_trial, first)
    other_uk_trial = factories.make_study(second, country="GB")
    assert (uk_tested(first), uk_tested(second)) == (True, False)
    finding.study, finding.intervention = other_uk_trial, second
    finding.save()
    assert (uk_tested(first), uk_tested(second)) == (False, True)


def test_uk_tested_follows_a_finding_moved_to_another_arm(levels):
    first, second = factories.make_intervention(), factories.make_intervention()
    study = factories.make_study(first, second, country="GB")
    finding = factories.make_finding(study, first)
    assert (uk_tested(first), uk_tested(second)) == (True, False)
    finding.intervention = second
    finding.save()
    assert (uk_tested(first), uk_tested(second)) == (False, True)


def test_linking_a_study_from_either_side_refreshes_uk_tested(levels):
    intervention = factories.make_intervention()
    study = factories.make_study(country="GB")
    factories.make_finding(study, intervention)  # its link is added next, before commit
    assert not uk_tested(intervention)
    intervention.studies.add(study)  # from the intervention's side
    assert uk_tested(intervention)
    study.interventions.remove(intervention)  # from the study's side
    assert not uk_tested(intervention)
    study.interventions.add(intervention)
    assert uk_tested(intervention)


def test_suggestions_take_a_fixed_number_of_queries(levels, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            intervention = factories.make_intervention()
            study = factories.make_study(intervention)
            factories.make_finding(study, intervention)
            factories.make_finding(study, intervention, months_after_end=12)

    add(2)
    ids = list(Intervention.objects.values_list("pk", flat=True))
    # 1: study links; 2: the studies; 3: their findings with outcome and domain.
    with django_assert_num_queries(3):
        small = derived.suggestions(ids)
    add(5)
    ids = list(Intervention.objects.values_list("pk", flat=True))
    with django_assert_num_queries(3):
        large = derived.suggestions(ids)
    assert {a.level for a in small.values()} == {a.level for a in large.values()} == {"3+"}
    assert len(large) == 7
