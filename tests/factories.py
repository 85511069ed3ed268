"""Small factory functions that build real rows in the test database.

Each takes keyword overrides, so a test states only what it cares about.
"""

from datetime import date
from decimal import Decimal
from importlib import import_module
from itertools import count

from django.apps import apps
from django.contrib.auth.models import Group, User

from business.models import GdpDeflator
from interventions.models import (
    DeliveryModel,
    Intervention,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from ratings.models import Finding, Rating, RatingLevel, RatingScale, Study, UnitCostEstimate

_serial = count(1)

EVIDENCE_LEVELS = [
    ("NE", "Found not to be effective", -1),
    ("NL2", "Not level 2", 0),
    ("2", "Preliminary evidence", 20),
    ("3", "Evidence of a short-term effect", 30),
    ("4", "Evidence of a long-term effect", 40),
]
# The store's cost bands: a band includes its minimum and excludes its maximum.
COST_LEVELS = [
    ("1", "Low", 1, None, Decimal("100")),
    ("2", "Medium-low", 2, Decimal("100"), Decimal("500")),
    ("3", "Medium", 3, Decimal("500"), Decimal("1000")),
    ("4", "Medium-high", 4, Decimal("1000"), Decimal("2000.01")),
    ("5", "High", 5, Decimal("2000.01"), None),
]


def make_scales() -> tuple[RatingScale, RatingScale]:
    evidence, _ = RatingScale.objects.get_or_create(
        slug=RatingScale.EVIDENCE, defaults={"name": "Evidence strength", "version": "test-1"}
    )
    for code, label, rank in EVIDENCE_LEVELS:
        RatingLevel.objects.get_or_create(
            scale=evidence,
            code=code,
            defaults={"label": label, "rank": rank, "plain_meaning": f"{label}."},
        )
    cost, _ = RatingScale.objects.get_or_create(
        slug=RatingScale.COST, defaults={"name": "Cost", "version": "test-1"}
    )
    for code, label, rank, low, high in COST_LEVELS:
        RatingLevel.objects.get_or_create(
            scale=cost,
            code=code,
            defaults={
                "label": label,
                "rank": rank,
                "plain_meaning": f"{label} cost.",
                "min_cost": low,
                "max_cost": high,
            },
        )
    return evidence, cost


def level(scale_slug: str, code: str) -> RatingLevel:
    make_scales()
    return RatingLevel.objects.get(scale__slug=scale_slug, code=code)


def make_outcome(**overrides) -> Outcome:
    domain, _ = OutcomeDomain.objects.get_or_create(
        slug="behaviour", defaults={"name": "Behaviour and conduct"}
    )
    n = next(_serial)
    fields = {"domain": domain, "name": f"Outcome {n}", "slug": f"outcome-{n}"}
    fields.update(overrides)
    return Outcome.objects.create(**fields)


def make_intervention(**overrides) -> Intervention:
    n = next(_serial)
    fields = {
        "name": f"Test Programme {n}",
        "slug": f"test-programme-{n}",
        "summary": "A group programme for parents of young children.",
        "min_age_months": 36,
        "max_age_months": 96,
        "status": Intervention.Status.PUBLISHED,
        "evidence_last_reviewed": date(2026, 1, 15),
    }
    fields.update(overrides)
    intervention = Intervention.objects.create(**fields)
    need, _ = NeedLevel.objects.get_or_create(
        slug="targeted-selected", defaults={"name": "Targeted selected"}
    )
    setting, _ = Setting.objects.get_or_create(slug="community", defaults={"name": "Community"})
    model, _ = DeliveryModel.objects.get_or_create(slug="group", defaults={"name": "Group"})
    topic, _ = Topic.objects.get_or_create(slug="parenting", defaults={"name": "Parenting"})
    intervention.need_levels.add(need)
    intervention.settings.add(setting)
    intervention.delivery_models.add(model)
    intervention.topics.add(topic)
    return intervention


def make_study(*interventions: Intervention, **overrides) -> Study:
    fields = {
        "authors": "Okafor, A., Reid, J.",
        "year": 2021,
        "title": "A randomised trial of a parenting programme",
        "design": Study.Design.RCT,
        "country": "GB",
        "intervention_n": 120,
        "comparison_n": 118,
        "attrition_overall": Decimal("12.5"),
        "attrition_differential": Decimal("3.0"),
        "follow_up_months": 12,
        "independent": True,
    }
    fields.update(overrides)
    study = Study.objects.create(**fields)
    study.interventions.add(*interventions)
    return study


def make_finding(study: Study, intervention: Intervention, **overrides) -> Finding:
    return Finding.objects.create(**finding_fields(study, intervention, **overrides))


def finding_fields(study: Study, intervention: Intervention, **overrides) -> dict:
    """A finding's fields: means and SDs from a parent-reported difficulties score."""
    fields = {
        "study": study,
        "intervention": intervention,
        "outcome": overrides.pop("outcome", None) or make_outcome(),
        "measure": "Strengths and Difficulties Questionnaire, total difficulties",
        "higher_is_better": False,
        "informant": Finding.Informant.PARENT,
        "timepoint": "End of programme",
        "statistics_form": Finding.StatisticsForm.CONTINUOUS,
        "intervention_mean": 11.2,
        "intervention_sd": 5.1,
        "intervention_n": 110,
        "comparison_mean": 13.4,
        "comparison_sd": 5.4,
        "comparison_n": 105,
        "p_value": 0.003,
        "source_location": "Table 2",
    }
    fields.update(overrides)
    return fields


def rate(intervention: Intervention, scale_slug: str, code: str, **fields) -> Rating:
    return Rating.record(intervention=intervention, level=level(scale_slug, code), **fields)


def make_cost(intervention: Intervention, **overrides) -> UnitCostEstimate:
    fields = {"unit_cost": Decimal("850.00"), "price_year": 2025}
    fields.update(overrides)
    if not set(overrides) & set(UnitCostEstimate.BREAKDOWN_FIELDS):
        # The parts must add up to the unit cost: here it is all staff time.
        fields["staff_time"] = fields["unit_cost"]
    return UnitCostEstimate.objects.create(intervention=intervention, **fields)


def publish(intervention: Intervention, note: str = "Published for a test.", **fields):
    """Publish the intervention's working copy as its next version, as a curator would.
    The public pages show only published versions: call this after building the evidence."""
    from publishing.publish import publish as publish_version

    fields.setdefault("change", "major")
    return publish_version(intervention, user=fields.pop("user", None), note=note, **fields)


def make_curator(username: str = "casey.curator") -> User:
    """A curator: staff, in the curator group created by migration, nothing more."""
    user = User.objects.create_user(username, password="a long test password 1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="curator"))
    return user


def shipped_price_indexes() -> None:
    """The price indexes the migrations ship. A transactional test's flush empties every
    table, so browser tests put them back to see the pages as a new site shows them."""
    release = import_module("business.migrations.0005_march_2026_release")
    GdpDeflator.objects.all().delete()
    release.replace_illustrative(apps, None)
