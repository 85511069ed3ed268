"""Export and import of the whole catalogue (docs/catalogue-format.md).

Round trip: export, import into an emptied database, export again: the same
text. Rejection: a bad file is refused with a message naming the problem and
where it is, and the database is left exactly as it was.
"""

import copy
import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from interventions.models import (
    AgeBand,
    Catalogue,
    DeliveryModel,
    Intervention,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from publishing import snapshot
from publishing.catalogue_io.errors import CatalogueError
from publishing.catalogue_io.importer import import_catalogue
from publishing.models import Listing, Version
from publishing.publish import FIRST_NOTE, archive, unpublished_changes
from ratings.finding_effects import effect_of
from ratings.models import Finding, Rating, RatingLevel, RatingScale, Study, UnitCostEstimate
from tests import factories
from tests.factories import publish

LEFT_ALONE = "The database already holds a catalogue; left it alone."


def export_text() -> str:
    out = StringIO()
    call_command("export_catalogue", stdout=out)
    return out.getvalue()


def import_file(path: Path, *options: str) -> str:
    out = StringIO()
    call_command("import_catalogue", str(path), *options, stdout=out)
    return out.getvalue()


def write_file(tmp_path: Path, document: dict[str, Any] | str) -> Path:
    path = tmp_path / "catalogue.json"
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def empty_the_database() -> None:
    """Delete the whole catalogue, children before the rows they protect.

    Published versions refuse DELETE (a database trigger), so the versions and the
    listing are emptied with TRUNCATE, which row triggers do not see. Pending deferred
    checks are run first: PostgreSQL will not truncate a table that has them."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Alert deliveries name versions, so they go with them.
        cursor.execute("TRUNCATE publishing_listing, publishing_version, alerts_delivery")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for model in [
        Finding,
        Rating,
        UnitCostEstimate,
        Study,
        Intervention,
        Outcome,
        OutcomeDomain,
        AgeBand,
        NeedLevel,
        Setting,
        DeliveryModel,
        Topic,
        RatingLevel,
        RatingScale,
        Catalogue,
    ]:
        model.objects.all().delete()


def row_counts() -> dict[str, int]:
    """Rows in every table of both apps, history and link tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ["interventions", "ratings", "publishing"]
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def history_counts() -> dict[str, int]:
    return {label: count for label, count in row_counts().items() if ".Historical" in label}


def index_of(records: list[dict[str, Any]], key: str, value: Any) -> int:
    return next(i for i, record in enumerate(records) if record[key] == value)


@pytest.fixture
def rich_catalogue(db) -> None:
    """Every statistics form, superseded and current ratings and costs, draft and
    archived entries, a study informing two interventions, non-ASCII text, pre-birth ages."""
    factories.make_scales()
    AgeBand.objects.create(
        name="Pre-birth", slug="pre-birth", min_age_months=-9, max_age_months=-1, position=0
    )
    AgeBand.objects.create(
        name="0 to 2 years", slug="0-to-2", min_age_months=0, max_age_months=35, position=1
    )
    family = OutcomeDomain.objects.create(
        name="Parents and families",
        slug="parents-and-families",
        subject=OutcomeDomain.Subject.PARENT_FAMILY,
        position=2,
    )
    behaviour = factories.make_outcome(name="Behaviour problems", slug="behaviour-problems")
    care = factories.make_outcome(name="Entry to care", slug="entry-to-care", position=1)
    harsh = factories.make_outcome(domain=family, name="Harsh parenting", slug="harsh-parenting")

    early = factories.make_intervention(
        name="Ashgill Bump Café – Café Bébé",
        slug="ashgill-bump-cafe",
        kind=Intervention.Kind.PRACTICE_MODEL,
        other_names=["Bump2Baby", "Naíonra"],
        summary="Home visits from pregnancy until the child is two. Costs about £720 a family.",
        min_age_months=-6,
        max_age_months=24,
        duration_weeks=100,
        available_in_uk=True,
    )
    early.target_outcomes.add(behaviour, harsh)
    draft = factories.make_intervention(
        name="Kelmscombe Family Course",
        slug="kelmscombe-family-course",
        status=Intervention.Status.DRAFT,
    )
    factories.make_intervention(
        name="Old Approach",
        slug="old-approach",
        status=Intervention.Status.ARCHIVED,
        evidence_last_reviewed=None,
    )

    shared = factories.make_study(
        early, draft, id=900, title="Deux programmes, un essai: ‘ça marche’", country="FR"
    )
    factories.make_finding(shared, early, outcome=behaviour)
    factories.make_finding(
        shared,
        draft,
        outcome=care,
        measure="Entered care within 12 months",
        higher_is_better=False,
        informant=Finding.Informant.RECORDS,
        months_after_end=12,
        statistics_form=Finding.StatisticsForm.BINARY,
        intervention_mean=None,
        intervention_sd=None,
        comparison_mean=None,
        comparison_sd=None,
        intervention_events=31,
        comparison_events=40,
        intervention_n=100,
        comparison_n=100,
        p_value=0.1834,
    )
    quasi = factories.make_study(
        early,
        id=3,
        design=Study.Design.QED,
        intervention_n=None,
        comparison_n=None,
        attrition_overall=None,
        attrition_differential=None,
        baseline_equivalence=True,
        follow_up_months=None,
        independent=False,
    )
    no_raw_numbers = {
        "statistics_form": Finding.StatisticsForm.EFFECT_SIZE,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "intervention_n": None,
        "comparison_n": None,
    }
    factories.make_finding(
        quasi, early, outcome=harsh, reported_effect_size=0.31, reported_se=0.12, **no_raw_numbers
    )
    factories.make_finding(
        quasi,
        early,
        outcome=behaviour,
        reported_effect_size=0.2,
        reported_ci_lower=-0.05,
        reported_ci_upper=0.45,
        p_value=None,
        **no_raw_numbers,
    )
    factories.make_finding(
        quasi,
        early,
        outcome=behaviour,
        timepoint="6 months after",
        months_after_end=6,
        statistics_form=Finding.StatisticsForm.T_STATISTIC,
        intervention_mean=None,
        intervention_sd=None,
        comparison_mean=None,
        comparison_sd=None,
        t_statistic=-2.31,
        intervention_n=44,
        comparison_n=41,
    )

    factories.rate(
        early, "evidence-strength", "2", rated_on=date(2024, 5, 1), basis=Rating.Basis.IMPORTED
    )
    factories.rate(early, "evidence-strength", "3", reason="One rigorous trial in England.")
    factories.rate(early, "cost", "3")
    factories.rate(
        draft, "evidence-strength", "NL2", basis=Rating.Basis.OVERRIDE, reason="Not significant."
    )
    earlier = factories.make_cost(early, unit_cost=Decimal("640.00"), price_year=2023)
    UnitCostEstimate.objects.filter(pk=earlier.pk).update(superseded_at=timezone.now())
    factories.make_cost(
        early,
        per=UnitCostEstimate.Per.FAMILY,
        unit_cost=Decimal("720.50"),
        staff_time=Decimal("675.00"),
        training=Decimal("45.50"),
        licence=Decimal("0.00"),
        set_up_cost_total=Decimal("12000.00"),
        assumptions="Caseload of 20 families; 2025–26 NHS pay scales.",
    )
    Catalogue.objects.create(pk=1, is_demonstration=True)

    # Published three times, the last by a named curator; the old approach published
    # and then archived, replaced by the first; the draft never published.
    publish(early, note="First published version.", when=moment(2025, 3, 1))
    early.summary += " Now in Welsh too."
    early.save()
    publish(early, change="minor", note="Added: “in Welsh too”.", when=moment(2025, 9, 1))
    early.evidence_last_reviewed = date(2026, 3, 1)
    early.save()
    publish(
        early,
        note="Evidence reviewed again in March 2026.",
        user=factories.make_curator("siân.curator"),
    )
    old = Intervention.objects.get(slug="old-approach")
    publish(old, note="Published.", when=moment(2024, 1, 1))
    archive(
        old,
        reason="The developer no longer offers it; see Café Bébé.",
        replaced_by=early,
        when=moment(2025, 1, 1, 12, 30),
    )


def moment(*args: int):
    return timezone.make_aware(timezone.datetime(*args), timezone.get_current_timezone())


@pytest.fixture
def document(rich_catalogue) -> dict[str, Any]:
    """The rich catalogue as a parsed export, with the database emptied for an import."""
    exported = json.loads(export_text())
    empty_the_database()
    return exported


# Round trip


def test_export_import_export_gives_the_same_text(rich_catalogue, tmp_path):
    first = export_text()
    empty_the_database()
    assert row_counts()["interventions.Intervention"] == 0
    history_before = history_counts()

    output = import_file(write_file(tmp_path, first))

    assert "Imported the demonstration catalogue" in output
    assert "3 interventions" in output and "5 findings" in output
    assert "4 versions" in output
    assert export_text() == first
    # The versions come back as they were: numbers, dates, notes and snapshots.
    early = Listing.objects.get(slug="ashgill-bump-cafe")
    assert (early.version_number, early.first_published_at) == (3, moment(2025, 3, 1))
    assert not early.is_archived
    old = Listing.objects.get(slug="old-approach")
    assert old.is_archived and old.replaced_by.slug == "ashgill-bump-cafe"
    assert not Listing.objects.filter(slug="kelmscombe-family-course").exists()
    for version in Version.objects.all():
        assert version.content_hash == snapshot.content_hash(version.content)
    # Each imported record's history starts with one entry naming the file.
    added = {label: count - history_before[label] for label, count in history_counts().items()}
    assert added["interventions.HistoricalIntervention"] == 3
    assert added["ratings.HistoricalFinding"] == 5
    imported = Intervention.history.filter(history_change_reason="Imported from catalogue.json")
    assert sorted(imported.values_list("slug", flat=True)) == sorted(
        intervention["slug"] for intervention in json.loads(first)["interventions"]
    )


def test_an_imported_catalogue_has_no_unpublished_changes(rich_catalogue, tmp_path):
    first = export_text()
    assert not unpublished_changes(Intervention.objects.get(slug="ashgill-bump-cafe"))
    empty_the_database()
    import_file(write_file(tmp_path, first))
    assert not unpublished_changes(Intervention.objects.get(slug="ashgill-bump-cafe"))


def test_a_catalogue_imported_twice_exports_the_same_text(rich_catalogue, tmp_path):
    """Versions made by importing and re-exporting keep the same bytes a second time."""
    first = export_text()
    for _ in range(2):
        empty_the_database()
        import_file(write_file(tmp_path, first))
        assert export_text() == first


def current_evidence(version: Version) -> str:
    (level,) = [
        rating["level"]["code"]
        for rating in version.content["ratings"]
        if rating["scale"]["slug"] == "evidence-strength" and rating["superseded_at"] is None
    ]
    return level


def version_1_file(document: dict[str, Any]) -> dict[str, Any]:
    """The document as a catalogue file from before published versions were kept."""
    old = copy.deepcopy(document)
    old["version"] = 1
    for intervention in old["interventions"]:
        del intervention["published"]
    for study in old["studies"]:
        for finding in study["findings"]:
            del finding["id"]
    return old


def test_a_version_1_file_still_imports_with_a_first_version_of_what_was_public(document, tmp_path):
    old_file = version_1_file(document)
    # Rated 2 in May 2024, then 3 (with a new unit cost) in June 2025.
    index = index_of(old_file["interventions"], "slug", "ashgill-bump-cafe")
    record = old_file["interventions"][index]
    may_2024, june_2025 = "2024-05-01T09:00:00.000000Z", "2025-06-01T09:00:00.000000Z"
    for earlier in (record["ratings"][0], record["cost_estimates"][0]):
        earlier.update(created_at=may_2024, superseded_at=june_2025)
    for later in (record["ratings"][1], record["ratings"][2], record["cost_estimates"][1]):
        later.update(created_at=june_2025)

    output = import_file(write_file(tmp_path, old_file))
    assert f"{Version.objects.count()} versions" in output

    # Rebuilt from the dated ratings and costs: first as the evidence stood before it
    # was rated again, last as it is now.
    early = Intervention.objects.get(slug="ashgill-bump-cafe")
    versions = list(early.versions.order_by("number"))
    assert [version.number for version in versions] == list(range(1, len(versions) + 1))
    assert (versions[0].change, versions[0].change_note) == ("major", FIRST_NOTE)
    assert versions[0].published_at == moment(2024, 5, 1, 10)  # 09:00 UTC is 10:00 BST
    assert [current_evidence(v) for v in (versions[0], versions[-1])] == ["2", "3"]
    assert versions[-1].published_at == early.updated_at
    assert not unpublished_changes(early)
    old = Listing.objects.get(slug="old-approach")
    assert old.is_archived and old.archive_reason
    assert Intervention.objects.get(slug="old-approach").status == Intervention.Status.ARCHIVED
    assert not Intervention.objects.get(slug="kelmscombe-family-course").versions.exists()

    # Exported again, it is a version 2 file that imports to the same text.
    second = export_text()
    assert json.loads(second)["version"] == 2
    empty_the_database()
    import_file(write_file(tmp_path, second))
    assert export_text() == second


def test_a_version_1_file_must_not_have_published_versions(document, tmp_path):
    bad = version_1_file(document)
    bad["interventions"][0]["published"] = document["interventions"][0]["published"]
    assert_rejected(tmp_path, bad, 'interventions[0]: unexpected key "published"')


def published(document: dict[str, Any], slug: str) -> tuple[int, dict[str, Any]]:
    index = index_of(document["interventions"], "slug", slug)
    return index, document["interventions"][index]["published"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p["versions"][1].update(number=3),
            "published.versions[1].number: must be 2: versions count from 1",
        ),
        (
            lambda p: p["versions"][1].update(published_at=p["versions"][0]["published_at"]),
            "published.versions[1].published_at: must be after the version before it",
        ),
        (
            lambda p: p["versions"][0].update(published_at="1 March 2025"),
            "published.versions[0].published_at: must be a UTC date-time",
        ),
        (
            lambda p: p["versions"][0].update(change="typo"),
            'published.versions[0].change: must be "major" or "minor"',
        ),
        (
            lambda p: p["versions"][0].update(change_note="  "),
            "published.versions[0].change_note: must be text that is not empty",
        ),
        (
            lambda p: p["versions"][0]["content"]["intervention"].update(slug="somewhere-else"),
            'published.versions[0].content: is a snapshot of "somewhere-else"',
        ),
        (
            lambda p: p["versions"][0]["content"].pop("studies"),
            "published.versions[0].content: is not a snapshot the pages can show",
        ),
    ],
)
def test_bad_published_versions_are_rejected(document, tmp_path, change, message):
    bad = copy.deepcopy(document)
    index, versions = published(bad, "ashgill-bump-cafe")
    change(versions)
    assert_rejected(tmp_path, bad, f"interventions[{index}].{message}")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p["archived"].update(reason=""),
            "published.archived.reason: must be text that is not empty",
        ),
        (
            lambda p: p["archived"].update(replaced_by="old-approach"),
            "published.archived.replaced_by: must be the slug of another intervention in the "
            'file, not "old-approach"',
        ),
        (
            lambda p: p["archived"].update(replaced_by="nowhere"),
            "published.archived.replaced_by: must be the slug of another intervention",
        ),
        (
            lambda p: p["archived"].pop("reason"),
            'published.archived: missing key "reason"',
        ),
        (
            lambda p: p.update(archived=None),
            "published.archived: an archived intervention with versions needs its archive record",
        ),
    ],
)
def test_a_bad_archive_record_is_rejected(document, tmp_path, change, message):
    bad = copy.deepcopy(document)
    index, archived = published(bad, "old-approach")
    change(archived)
    assert_rejected(tmp_path, bad, f"interventions[{index}].{message}")


def test_only_a_published_intervention_can_be_archived(document, tmp_path):
    bad = copy.deepcopy(document)
    _, archived = published(bad, "old-approach")
    index, draft = published(bad, "kelmscombe-family-course")
    draft["archived"] = archived["archived"]
    assert_rejected(
        tmp_path,
        bad,
        f"interventions[{index}].published.archived: only a published intervention can be archived",
    )


def test_finding_ids_must_be_unique_whole_numbers(document, tmp_path):
    bad = copy.deepcopy(document)
    findings = [f for study in bad["studies"] for f in study["findings"]]
    findings[1]["id"] = findings[0]["id"]
    assert_rejected(tmp_path, bad, "finding id")
    findings[1]["id"] = "7"
    assert_rejected(tmp_path, bad, ".id: must be a whole number from 1 to")


def test_import_keeps_study_ids_and_new_studies_get_the_next_free_id(document, tmp_path):
    import_file(write_file(tmp_path, document))

    assert list(Study.objects.order_by("id").values_list("id", flat=True)) == [3, 900]
    new_study = factories.make_study(Intervention.objects.get(slug="ashgill-bump-cafe"))
    assert new_study.id == 901


def test_export_follows_the_documented_conventions(rich_catalogue, tmp_path):
    path = tmp_path / "out.json"
    call_command("export_catalogue", "--output", str(path), stderr=StringIO())
    text = path.read_text(encoding="utf-8")
    assert text == export_text()
    assert text.endswith("}\n")
    assert "Ashgill Bump Café – Café Bébé" in text  # not \u escapes

    exported = json.loads(text)
    assert exported["format"] == "evidence-store-catalogue"
    assert exported["version"] == 2
    assert exported["demonstration"] is True
    assert [band["slug"] for band in exported["taxonomies"]["age_bands"]] == [
        "pre-birth",
        "0-to-2",
    ]
    early = exported["interventions"][0]
    assert [i["slug"] for i in exported["interventions"]] == [
        "ashgill-bump-cafe",
        "kelmscombe-family-course",
        "old-approach",
    ]
    assert early["min_age_months"] == -6
    assert early["target_outcomes"] == ["behaviour-problems", "harsh-parenting"]
    assert [(r["scale"], r["level"], r["superseded_at"] is None) for r in early["ratings"]] == [
        ("evidence-strength", "2", False),
        ("evidence-strength", "3", True),
        ("cost", "3", True),
    ]
    assert [c["unit_cost"] for c in early["cost_estimates"]] == ["640.00", "720.50"]
    assert early["cost_estimates"][1]["licence"] == "0.00"
    assert early["created_at"].endswith("Z") and len(early["created_at"]) == 27
    assert [s["id"] for s in exported["studies"]] == [3, 900]
    assert exported["studies"][1]["interventions"] == [
        "ashgill-bump-cafe",
        "kelmscombe-family-course",
    ]
    assert exported["studies"][1]["country"] == "FR"

    # What the public has seen: each version in order, with its snapshot.
    versions = early["published"]["versions"]
    assert [(v["number"], v["change"], v["publisher"]) for v in versions] == [
        (1, "major", ""),
        (2, "minor", ""),
        (3, "major", "siân.curator"),
    ]
    assert versions[0]["published_at"] == "2025-03-01T00:00:00.000000Z"
    assert versions[1]["change_note"] == "Added: “in Welsh too”."
    assert versions[1]["content"]["intervention"]["summary"].endswith("Now in Welsh too.")
    assert "Welsh" not in versions[0]["content"]["intervention"]["summary"]
    assert early["published"]["archived"] is None
    draft, old = exported["interventions"][1:]
    assert draft["published"] == {"versions": [], "archived": None}
    assert old["published"]["archived"] == {
        "archived_at": "2025-01-01T12:30:00.000000Z",
        "reason": "The developer no longer offers it; see Café Bébé.",
        "replaced_by": "ashgill-bump-cafe",
    }


# The database must be empty


def test_import_refuses_a_database_that_holds_a_catalogue(document, tmp_path):
    path = write_file(tmp_path, document)
    import_file(path)
    before = row_counts()

    with pytest.raises(CommandError, match="already holds a catalogue"):
        import_file(path)
    assert row_counts() == before


def test_if_empty_leaves_a_database_with_a_catalogue_alone(document, tmp_path):
    path = write_file(tmp_path, document)
    factories.make_intervention(name="Already Here", slug="already-here")
    before = row_counts()

    assert import_file(path, "--if-empty").strip() == LEFT_ALONE
    assert row_counts() == before


def test_if_empty_imports_into_an_empty_database(document, tmp_path):
    import_file(write_file(tmp_path, document), "--if-empty")
    assert Intervention.objects.count() == 3


# Rejected files: the message names the problem, the database is as it was


def assert_rejected(tmp_path: Path, document: dict[str, Any] | str, message: str) -> None:
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        import_file(write_file(tmp_path, document))
    assert message in str(raised.value)
    assert "Nothing was written" in str(raised.value)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "evidence-store-catalogue",\n "version": 1,,}',
            "not valid JSON: Expecting property name enclosed in double quotes at line 2 column 15",
        ),
        ('{"version": 1, "version": 2}', 'the key "version" appears twice in one object'),
        ('{"version": NaN}', "not valid JSON: NaN is not a number JSON allows"),
    ],
)
def test_malformed_json_is_rejected_with_what_is_wrong(tmp_path, db, text, message):
    assert_rejected(tmp_path, text, message)


def test_a_missing_file_is_named(tmp_path, db):
    with pytest.raises(CommandError, match=r"nowhere\.json was not imported: no such file"):
        import_file(tmp_path / "nowhere.json")


def test_a_file_in_another_format_is_rejected(document, tmp_path):
    assert_rejected(
        tmp_path,
        {**document, "format": "django-fixture"},
        'format: expected "evidence-store-catalogue", found "django-fixture"',
    )
    assert_rejected(
        tmp_path,
        {**document, "version": 3},
        "version: this store reads version 1 and 2 catalogue files, not 3",
    )


def test_an_unknown_taxonomy_slug_is_rejected(document, tmp_path):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "kelmscombe-family-course")
    bad["interventions"][index]["need_levels"].append("very-high")
    assert_rejected(
        tmp_path, bad, f'interventions[{index}].need_levels: unknown need level "very-high"'
    )


def test_a_finding_must_be_about_one_of_its_studys_interventions(document, tmp_path):
    bad = copy.deepcopy(document)
    study = index_of(bad["studies"], "id", 3)
    bad["studies"][study]["findings"][0]["intervention"] = "kelmscombe-family-course"
    assert_rejected(
        tmp_path,
        bad,
        f'studies[{study}].findings[0].intervention: "kelmscombe-family-course" is not one of '
        "the study's interventions (ashgill-bump-cafe)",
    )


def test_two_current_ratings_on_one_scale_are_rejected(document, tmp_path):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "ashgill-bump-cafe")
    bad["interventions"][index]["ratings"][0]["superseded_at"] = None
    assert_rejected(
        tmp_path,
        bad,
        f"interventions[{index}].ratings[1]: a second current rating on the scale "
        f'"evidence-strength" (the other is interventions[{index}].ratings[0])',
    )


def test_a_level_code_that_is_not_on_the_scale_is_rejected(document, tmp_path):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "kelmscombe-family-course")
    bad["interventions"][index]["ratings"][0]["level"] = "5"  # a cost level, not an evidence one
    assert_rejected(
        tmp_path,
        bad,
        f'interventions[{index}].ratings[0].level: no level "5" on the rating scale '
        '"evidence-strength"',
    )


@pytest.mark.parametrize("amount", [720.5, "720.5", "£720.50", "-720.50"])
def test_money_must_be_a_string_with_two_decimals(document, tmp_path, amount):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "ashgill-bump-cafe")
    bad["interventions"][index]["cost_estimates"][1]["unit_cost"] = amount
    assert_rejected(
        tmp_path,
        bad,
        f"interventions[{index}].cost_estimates[1].unit_cost: must be a string with 2 decimal "
        'places, like "1250.00"',
    )


def test_statistics_must_match_the_statistics_form(document, tmp_path):
    study = index_of(document["studies"], "id", 900)
    continuous_with_events = copy.deepcopy(document)
    continuous_with_events["studies"][study]["findings"][0]["intervention_events"] = 12
    assert_rejected(
        tmp_path,
        continuous_with_events,
        f"studies[{study}].findings[0].intervention_events: leave this empty: it is not "
        "part of “Means, standard deviations and numbers per group”",
    )
    binary_without_n = copy.deepcopy(document)
    binary_without_n["studies"][study]["findings"][1]["comparison_n"] = None
    assert_rejected(
        tmp_path,
        binary_without_n,
        f"studies[{study}].findings[1].comparison_n: needed for “Events and numbers per "
        "group (yes/no outcome)”",
    )


def test_an_effect_size_needs_its_standard_error_or_interval(document, tmp_path):
    bad = copy.deepcopy(document)
    study = index_of(bad["studies"], "id", 3)
    bad["studies"][study]["findings"][0]["reported_se"] = None
    assert_rejected(
        tmp_path,
        bad,
        f"studies[{study}].findings[0].reported_se: give the standard error, or both ends "
        "of the 95% confidence interval",
    )


def test_more_events_than_children_is_rejected_before_writing(document, tmp_path):
    bad = copy.deepcopy(document)
    study = index_of(bad["studies"], "id", 900)
    bad["studies"][study]["findings"][1]["intervention_events"] = 101
    assert_rejected(
        tmp_path,
        bad,
        f"studies[{study}].findings[1].intervention_events: cannot be more than the number "
        "in the group (100)",
    )


def test_model_field_rules_apply_to_imported_values(document, tmp_path):
    index = index_of(document["interventions"], "slug", "ashgill-bump-cafe")
    too_young = copy.deepcopy(document)
    too_young["interventions"][index]["min_age_months"] = -12
    assert_rejected(
        tmp_path,
        too_young,
        f"interventions[{index}].min_age_months: the youngest age can be at most 9 months "
        "before birth",
    )
    unknown_status = copy.deepcopy(document)
    unknown_status["interventions"][index]["status"] = "live"
    assert_rejected(
        tmp_path,
        unknown_status,
        f'interventions[{index}].status: unknown status "live"; expected one of draft, '
        "in_review, published, archived",
    )
    bad_date = copy.deepcopy(document)
    bad_date["interventions"][index]["evidence_last_reviewed"] = "2026-02-30"
    assert_rejected(
        tmp_path,
        bad_date,
        f'interventions[{index}].evidence_last_reviewed: must be a date "YYYY-MM-DD"',
    )
    study = index_of(document["studies"], "id", 900)
    bad_country = copy.deepcopy(document)
    bad_country["studies"][study]["country"] = "England"
    assert_rejected(tmp_path, bad_country, f'studies[{study}].country: unknown country "England"')
    misspelt_key = copy.deepcopy(document)
    misspelt_key["studies"][study]["titel"] = misspelt_key["studies"][study].pop("title")
    assert_rejected(tmp_path, misspelt_key, f'studies[{study}]: missing key "title"')


# Files that pass validation but break a database rule are rolled back whole


def test_a_database_rule_the_validator_does_not_know_rolls_back_everything(document, tmp_path):
    # Stands for any rule added to the database but not (yet) to the validator:
    # the last study inserted breaks it, after everything else has been written.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE needs no pending checks
        cursor.execute(
            "ALTER TABLE ratings_study ADD CONSTRAINT test_only_study_id_below_500 CHECK (id < 500)"
        )
    assert_rejected(
        tmp_path,
        document,
        'the database refused the catalogue: new row for relation "ratings_study" violates '
        'check constraint "test_only_study_id_below_500"',
    )
    assert not Catalogue.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Working out the effect size refuses it before the database would.
        (
            lambda study: study["findings"][1].update(intervention_events=101),
            r"studies\[1\]\.findings\[1\]: no effect size can be worked out: Events must be",
        ),
        # A deferred composite foreign key: checked before the import returns.
        (
            lambda study: study.update(interventions=["ashgill-bump-cafe"]),
            "finding_intervention_evaluated_by_study",
        ),
    ],
)
def test_the_writer_is_all_or_nothing_even_without_validation(document, change, message):
    bad = copy.deepcopy(document)
    assert index_of(bad["studies"], "id", 900) == 1
    change(bad["studies"][1])
    before = row_counts()

    with pytest.raises(CatalogueError, match=message):
        import_catalogue(bad)
    assert row_counts() == before


def test_a_cost_rating_that_contradicts_the_unit_cost_is_rejected(document, tmp_path):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "ashgill-bump-cafe")
    costs = bad["interventions"][index]["cost_estimates"]
    # Medium-high, while the current cost rating says medium; the breakdown still adds up.
    costs[-1].update(unit_cost="1500.00", staff_time="1454.50")
    assert_rejected(
        tmp_path,
        bad,
        f'interventions[{index}].ratings: the current cost rating is "3" but the current unit '
        'cost, £1500.00, is in band "4"',
    )


def test_a_rating_dated_before_the_one_it_follows_is_rejected(document, tmp_path):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "ashgill-bump-cafe")
    ratings = bad["interventions"][index]["ratings"]
    later = next(i for i, r in enumerate(ratings) if r["level"] == "3" and r["scale"] != "cost")
    ratings[later]["rated_on"] = "2020-01-01"
    assert_rejected(
        tmp_path,
        bad,
        f"interventions[{index}].ratings[{later}].rated_on: is before the date of the rating "
        "it follows on this scale (2024-05-01)",
    )


def test_a_statistic_no_real_study_could_report_is_rejected(document, tmp_path):
    bad = copy.deepcopy(document)
    study, finding = next(
        (i, j)
        for i, s in enumerate(bad["studies"])
        for j, f in enumerate(s["findings"])
        if f["statistics_form"] == "continuous"
    )
    bad["studies"][study]["findings"][finding]["intervention_mean"] = 1e308
    assert_rejected(
        tmp_path,
        bad,
        f"studies[{study}].findings[{finding}].intervention_mean: "
        "a score must be between -1,000,000 and 1,000,000.",
    )


# Effect sizes are worked out on import, never read from the file


def test_effect_sizes_are_not_in_the_file_and_are_worked_out_on_import(document, tmp_path):
    findings = [finding for study in document["studies"] for finding in study["findings"]]
    assert {finding["statistics_form"] for finding in findings} == {
        "continuous",
        "binary",
        "effect_size",
        "t_statistic",
    }
    assert not any(key.startswith("effect_") for finding in findings for key in finding)

    import_file(write_file(tmp_path, document))

    for finding in Finding.objects.all():
        effect = effect_of(finding)
        assert (finding.effect_size, finding.effect_se) == (effect.estimate, effect.se)
        assert (finding.effect_ci_lower, finding.effect_ci_upper) == (
            effect.ci_lower,
            effect.ci_upper,
        )
    from_t = Finding.objects.get(statistics_form="t_statistic")
    # t = -2.31 with 44 and 41: g = -2.31 x sqrt(1/44 + 1/41) x (1 - 3/331)
    #   = -2.31 x 0.217065 x 0.990937 = -0.496877,
    # turned round because a lower difficulties score is better.
    assert from_t.effect_size == pytest.approx(0.496877, abs=5e-6)
    assert from_t.effect_method == "hedges_g_t"


def first_finding(document: dict[str, Any], form: str) -> tuple[int, int]:
    return next(
        (i, j)
        for i, study in enumerate(document["studies"])
        for j, finding in enumerate(study["findings"])
        if finding["statistics_form"] == form
    )


@pytest.mark.parametrize(
    ("form", "change", "message"),
    [
        (
            "t_statistic",
            {"comparison_n": 1},
            "comparison_n: an effect size from a t statistic needs at least 2 children or "
            "families in each group",
        ),
        (
            "continuous",
            {"intervention_n": 1},
            "intervention_n: an effect size from means and standard deviations needs at "
            "least 2 children or families in each group",
        ),
        (
            "t_statistic",
            {"t_statistic": None},
            "t_statistic: needed for “A t statistic and numbers per group”",
        ),
        (
            "continuous",
            {"t_statistic": 2.0},
            "t_statistic: leave this empty: it is not part of “Means, standard deviations "
            "and numbers per group”",
        ),
        (
            "t_statistic",
            {"t_statistic": 1e6},
            "t_statistic: a t statistic must be between -1,000 and 1,000",
        ),
        (
            "binary",
            {"intervention_events": 0, "comparison_events": 0},
            "intervention_events: nobody in either group had this outcome (0 of 100 and 0 "
            "of 100), so the groups cannot be compared",
        ),
        (
            "binary",
            {"intervention_events": 100, "comparison_events": 100},
            "intervention_events: everybody in both groups had this outcome",
        ),
        (
            "effect_size",
            {"reported_effect_size": 0.2, "reported_ci_lower": 0.2, "reported_ci_upper": 0.2},
            "reported_ci_lower: the lower end must be below the upper end",
        ),
    ],
)
def test_statistics_that_give_no_effect_size_are_rejected_before_writing(
    document, tmp_path, form, change, message
):
    bad = copy.deepcopy(document)
    study, finding = first_finding(bad, form)
    if form == "effect_size":  # the one with an interval
        finding = next(
            j
            for j, f in enumerate(bad["studies"][study]["findings"])
            if f["reported_ci_lower"] is not None
        )
    bad["studies"][study]["findings"][finding].update(change)
    assert_rejected(tmp_path, bad, f"studies[{study}].findings[{finding}].{message}")


def test_nobody_in_one_group_and_everybody_in_the_other_is_imported(document, tmp_path):
    document = copy.deepcopy(document)
    study, finding = first_finding(document, "binary")
    document["studies"][study]["findings"][finding].update(
        intervention_events=0, comparison_events=100
    )
    import_file(write_file(tmp_path, document))
    # The largest effect there can be: finite, thanks to the 0.5 correction.
    assert Finding.objects.get(statistics_form="binary").effect_size > 3


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (
            {"staff_time": "600.00"},
            "unit_cost: the parts add up to £645.50, which is £75.00 less than the unit cost "
            "of £720.50",
        ),
        (
            {"staff_time": "700.00"},
            "unit_cost: the parts add up to £745.50, which is £25.00 more than the unit cost "
            "of £720.50",
        ),
    ],
)
def test_a_cost_breakdown_that_does_not_add_up_is_rejected(document, tmp_path, parts, message):
    bad = copy.deepcopy(document)
    index = index_of(bad["interventions"], "slug", "ashgill-bump-cafe")
    bad["interventions"][index]["cost_estimates"][1].update(parts)
    assert_rejected(tmp_path, bad, f"interventions[{index}].cost_estimates[1].{message}")


def test_a_cost_breakdown_within_a_pound_of_the_unit_cost_is_imported(document, tmp_path):
    document = copy.deepcopy(document)
    index = index_of(document["interventions"], "slug", "ashgill-bump-cafe")
    document["interventions"][index]["cost_estimates"][1]["staff_time"] = "674.01"  # 99p short
    import_file(write_file(tmp_path, document))
    assert UnitCostEstimate.objects.current().get().staff_time == Decimal("674.01")
