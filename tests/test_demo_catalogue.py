"""The store's standards and the fictional demo catalogue (fixtures/).

Most tests read the committed JSON directly, without the database. The rating
test loads the file and applies the site's standard to the database, as the
admin does, so it checks the generator's ratings against the site rather than
against the generator itself; the p-value test checks the generator's
t-distribution against published table values first.
"""

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from fixtures.demo_catalogue import build, stats
from fixtures.demo_catalogue.interventions import OVERRIDES
from interventions.plain_language import is_plain, reading_ease
from ratings import rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEMO_PATH = FIXTURES / "demo-catalogue.json"
STANDARDS_PATH = FIXTURES / "standards.json"

FORM_FIELDS = {
    "continuous": {
        "intervention_mean",
        "intervention_sd",
        "comparison_mean",
        "comparison_sd",
        "intervention_n",
        "comparison_n",
    },
    "binary": {"intervention_events", "comparison_events", "intervention_n", "comparison_n"},
    "effect_size": {"reported_effect_size"},
}
STAT_FIELDS = set().union(*FORM_FIELDS.values()) | {
    "reported_se",
    "reported_ci_lower",
    "reported_ci_upper",
}

# Well-known real programmes, models, organisations, brands and journals: a fictional
# entry must not borrow their names. Matched case-insensitively on word boundaries in
# every text field of every intervention and study (see all_text below).
REAL_PROGRAMME_NAMES = [
    # parenting and early years programmes
    "incredible years",
    "triple p",
    "positive parenting program",
    "stepping stones",
    "family nurse",
    "nurse-family",
    "nurse family partnership",
    "mellow",
    "parents plus",
    "strengthening families",
    "family check-up",
    "family foundations",
    "circle of security",
    "solihull",
    "video interaction guidance",
    "video-feedback intervention",
    "parent-child interaction therapy",
    "parents as teachers",
    "parents as partners",
    "supporting father involvement",
    "family links",
    "empowering parents",
    "1-2-3 magic",
    "tuning into",
    "parenting wisely",
    "parent management training",
    "generation pmto",
    "parentcorps",
    "chicago parent",
    "familias unidas",
    "strong african american families",
    "family connects",
    "minding the baby",
    "attachment and biobehavioral",
    "child-parent psychotherapy",
    "family nurture",
    "lighthouse parenting",
    "baby steps",
    "small steps big changes",
    "henry programme",
    "peep learning together",
    "head start",
    "sure start",
    "healthy start",
    "flying start",
    "healthy child programme",
    "bookstart",
    "booktrust",
    "imagination library",
    # speech, language and reading
    "talk boost",
    "early talk",
    "talking together",
    "nuffield",
    "elklan",
    "hanen",
    "it takes two to talk",
    "more than words",
    "reading recovery",
    "reading partners",
    "every child a reader",
    "numbers count",
    "success for all",
    # schools, behaviour and mental health
    "roots of empathy",
    "good behaviour game",
    "good behavior game",
    "promoting alternative thinking",
    "paths curriculum",
    "second step",
    "lions quest",
    "lifeskills training",
    "kiva",
    "olweus",
    "zones of regulation",
    "thrive approach",
    "nurture group",
    "nurture groups",
    "positive behaviour",
    "positive behavior",
    "calm classroom",
    "classroom calm",
    "friends resilience",
    "friends for life",
    "fun friends",
    "cool kids",
    "coping cat",
    "coping power",
    "timid to tiger",
    "brave-online",
    "brave program",
    "brave steps",
    "mental health first aid",
    "communities that care",
    # relationships and domestic abuse
    "safe dates",
    "fourth r",
    "healthy relationships plus",
    "respectful relationships",
    "safe and together",
    "caring dads",
    "freedom programme",
    "drive project",
    "step up",
    # youth, families in crisis, care and the courts
    "multisystemic",
    "functional family",
    "brief strategic family therapy",
    "multidimensional family therapy",
    "homebuilders",
    "families first",
    "troubled families",
    "signs of safety",
    "treatment foster care",
    "fostering changes",
    "family drug and alcohol court",
    "mockingbird",
    "no wrong door",
    "family safeguarding",
    "reclaiming social work",
    "family group conference",
    "family group conferences",
    "family group conferencing",
    "lifelong links",
    "staying close",
    "staying put",
    "house project",
    "pause programme",
    "big brothers",
    "big sisters",
    "safecare",
    # charities, organisations and brands
    "home-start",
    "little lighthouse",
    "barnardo",
    "barnardo's",
    "nspcc",
    "action for children",
    "family action",
    "coram",
    "anna freud",
    "tavistock",
    "place2be",
    "child outcomes research",
    "cradlewise",
    # journals
    "prevention science",
    "parenting science",
    "parenting: science and practice",
    "journal of family psychology",
    "child & family social work",
    "child and family social work",
    "children and youth services review",
    "child maltreatment",
    "development and psychopathology",
    "journal of child psychology",
    "infant mental health journal",
    "the lancet",
    "bmj",
    "jama",
    "pediatrics",
]
REAL_NAME_PATTERN = re.compile(
    "|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in REAL_PROGRAMME_NAMES),
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def demo():
    return json.loads(DEMO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def standards():
    return json.loads(STANDARDS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def published(demo):
    return [i for i in demo["interventions"] if i["status"] == "published"]


def current(records, scale=None):
    return [
        r
        for r in records
        if r["superseded_at"] is None and (scale is None or r.get("scale") == scale)
    ]


def all_findings(demo):
    return [f for s in demo["studies"] for f in s["findings"]]


# --- the generator --------------------------------------------------------------------


def test_generator_reproduces_committed_files_byte_for_byte():
    standards_doc, demo_doc = build.build()
    assert build.render(standards_doc) == STANDARDS_PATH.read_text(encoding="utf-8")
    assert build.render(demo_doc) == DEMO_PATH.read_text(encoding="utf-8")


# --- standards ------------------------------------------------------------------------


def test_standards_file_holds_standards_only(standards, demo):
    assert standards["format"] == "evidence-store-catalogue"
    assert standards["demonstration"] is False
    assert standards["interventions"] == [] and standards["studies"] == []
    assert demo["demonstration"] is True
    assert demo["taxonomies"] == standards["taxonomies"]
    assert demo["rating_scales"] == standards["rating_scales"]


def test_evidence_scale_levels_rank_from_not_effective_to_strongest(standards):
    scale = next(s for s in standards["rating_scales"] if s["slug"] == "evidence-strength")
    codes = [level["code"] for level in sorted(scale["levels"], key=lambda lv: lv["rank"])]
    assert codes == ["NE", "NL2", "2", "2+", "3", "3+", "4", "4+"]
    assert scale["version"] == rules.VERSION
    assert "not an endorsement" in scale["description"]
    for level in scale["levels"]:
        assert level["plain_meaning"] and level["technical_meaning"]
        assert level["min_cost"] is None and level["max_cost"] is None


def test_cost_bands_follow_the_standard(standards):
    scale = next(s for s in standards["rating_scales"] if s["slug"] == "cost")
    bands = {lv["code"]: (lv["min_cost"], lv["max_cost"]) for lv in scale["levels"]}
    assert bands == {
        "1": (None, "100.00"),
        "2": ("100.00", "500.00"),
        "3": ("500.00", "1000.00"),
        "4": ("1000.00", "2000.01"),
        "5": ("2000.01", None),
    }


def test_taxonomy_terms_and_outcomes(standards):
    tax = standards["taxonomies"]
    assert [b["slug"] for b in tax["age_bands"]][0] == "pre-birth"
    assert tax["age_bands"][0]["min_age_months"] < 0
    assert {n["slug"] for n in tax["need_levels"]} == {
        "universal",
        "targeted-selected",
        "targeted-indicated",
        "specialist-statutory",
    }
    slugs = [o["slug"] for d in tax["outcome_domains"] for o in d["outcomes"]]
    assert len(slugs) == len(set(slugs)), "outcome slugs must be unique across domains"
    subjects = Counter(d["subject"] for d in tax["outcome_domains"])
    assert subjects == {"child": 12, "parent_family": 3}
    for domain in tax["outcome_domains"]:
        assert 3 <= len(domain["outcomes"]) <= 6, domain["slug"]


# --- the demo catalogue ---------------------------------------------------------------


def test_counts(demo, published):
    assert len(demo["interventions"]) >= 40
    assert len(published) >= 40
    assert len(demo["studies"]) >= 80
    assert len(all_findings(demo)) >= 250
    statuses = Counter(i["status"] for i in demo["interventions"])
    assert {"draft", "in_review", "archived"} <= set(statuses)


def test_published_interventions_cover_every_age_band_outcome_domain_and_need_level(
    demo, published
):
    tax = demo["taxonomies"]
    for band in tax["age_bands"]:
        assert any(
            i["min_age_months"] <= band["max_age_months"]
            and i["max_age_months"] >= band["min_age_months"]
            for i in published
        ), band["slug"]
    published_slugs = {i["slug"] for i in published}
    measured = {f["outcome"] for f in all_findings(demo) if f["intervention"] in published_slugs}
    targeted = {o for i in published for o in i["target_outcomes"]}
    for domain in tax["outcome_domains"]:
        outcomes = {o["slug"] for o in domain["outcomes"]}
        assert outcomes & targeted, f"no published intervention targets {domain['slug']}"
        assert outcomes & measured, f"no finding for a published intervention in {domain['slug']}"
    assert {n for i in published for n in i["need_levels"]} == {
        n["slug"] for n in tax["need_levels"]
    }


def test_mix_of_designs_and_countries(demo):
    designs = Counter(s["design"] for s in demo["studies"])
    assert set(designs) == {
        "rct",
        "cluster_rct",
        "qed",
        "pre_post",
        "qualitative",
        "systematic_review",
    }
    countries = Counter(s["country"] for s in demo["studies"])
    assert "GB" in countries
    assert countries["GB"] == max(countries.values())
    assert len(countries) >= 8
    assert any(len(s["interventions"]) == 2 for s in demo["studies"])


def test_references_resolve(demo):
    tax = demo["taxonomies"]
    outcomes = {o["slug"] for d in tax["outcome_domains"] for o in d["outcomes"]}
    slugs = {i["slug"] for i in demo["interventions"]}
    for key in ("need_levels", "topics", "delivery_models", "settings"):
        known = {t["slug"] for t in tax[key]}
        for i in demo["interventions"]:
            assert set(i[key]) <= known, (i["slug"], key)
    for i in demo["interventions"]:
        assert set(i["target_outcomes"]) <= outcomes
        assert i["min_age_months"] <= i["max_age_months"]
        assert i["min_age_months"] >= -9 and i["max_age_months"] <= 300
        assert len(i["summary"]) <= 600
    for s in demo["studies"]:
        assert set(s["interventions"]) <= slugs
        for f in s["findings"]:
            assert f["intervention"] in s["interventions"]
            assert f["outcome"] in outcomes


def test_every_finding_holds_exactly_its_forms_statistics(demo):
    forms = Counter()
    for f in all_findings(demo):
        form = f["statistics_form"]
        forms[form] += 1
        required = FORM_FIELDS[form]
        assert all(f[k] is not None for k in required), f
        allowed = set(required)
        if form == "effect_size":
            has_se = f["reported_se"] is not None
            has_ci = f["reported_ci_lower"] is not None and f["reported_ci_upper"] is not None
            assert has_se or has_ci, f
            if has_ci:
                assert f["reported_ci_lower"] <= f["reported_effect_size"] <= f["reported_ci_upper"]
            allowed |= {"reported_se", "reported_ci_lower", "reported_ci_upper"}
            allowed |= {"intervention_n", "comparison_n"}
        assert all(f[k] is None for k in STAT_FIELDS - allowed), f
        if form == "continuous":
            assert f["intervention_sd"] > 0 and f["comparison_sd"] > 0
        if form == "binary":
            assert 0 <= f["intervention_events"] <= f["intervention_n"]
            assert 0 <= f["comparison_events"] <= f["comparison_n"]
        assert 0 < f["p_value"] <= 1
        assert f["source_location"]
    assert min(forms.values()) >= 20, forms


def test_t_distribution_matches_published_tables():
    # Two-sided p for Student's t, from standard statistical tables.
    assert stats.t_two_sided_p(2.228, 10) == pytest.approx(0.05, abs=5e-4)
    assert stats.t_two_sided_p(2.042, 30) == pytest.approx(0.05, abs=5e-4)
    assert stats.t_two_sided_p(2.750, 30) == pytest.approx(0.01, abs=2e-4)
    assert stats.t_two_sided_p(1.0, 1000) == pytest.approx(stats.two_sided_normal_p(1.0), abs=1e-3)
    assert stats.two_sided_normal_p(1.959964) == pytest.approx(0.05, abs=1e-6)


def test_p_values_agree_with_the_reported_numbers(demo):
    for f in all_findings(demo):
        implied = stats.finding_p(f)
        if implied < 0.001:
            assert f["p_value"] <= 0.001, f
        else:
            assert f["p_value"] == pytest.approx(implied, abs=6e-4), f


def test_published_interventions_have_current_ratings_and_costs(demo, published):
    scale_versions = {s["slug"]: s["version"] for s in demo["rating_scales"]}
    for i in published:
        for scale in ("evidence-strength", "cost"):
            now = current(i["ratings"], scale)
            assert len(now) == 1, (i["slug"], scale)
            assert now[0]["standards_version"] == scale_versions[scale]
            if now[0]["basis"] == "override":
                assert now[0]["reason"]
        estimates = current(i["cost_estimates"])
        assert len(estimates) == 1, i["slug"]
        assert 2023 <= estimates[0]["price_year"] <= 2025
        assert "2023-01-01" <= i["evidence_last_reviewed"] <= "2026-12-31"


def test_cost_breakdowns_add_up_and_ratings_match_bands(demo):
    scale = next(s for s in demo["rating_scales"] if s["slug"] == "cost")
    for i in demo["interventions"]:
        for estimate in i["cost_estimates"]:
            parts = [
                Decimal(estimate[k] or "0")
                for k in ("staff_time", "training", "licence", "materials", "set_up", "other")
            ]
            assert sum(parts) == Decimal(estimate["unit_cost"]), i["slug"]
        now = current(i["cost_estimates"])
        rating = current(i["ratings"], "cost")
        if not rating:
            continue
        cost = Decimal(now[0]["unit_cost"])
        level = next(lv for lv in scale["levels"] if lv["code"] == rating[0]["level"])
        assert level["min_cost"] is None or cost >= Decimal(level["min_cost"]), i["slug"]
        assert level["max_cost"] is None or cost < Decimal(level["max_cost"]), i["slug"]


def test_rating_history_is_ordered_and_superseded_not_overwritten(demo):
    with_history = 0
    for i in demo["interventions"]:
        stamps = [r["created_at"] for r in i["ratings"]]
        assert stamps == sorted(stamps)
        for r in i["ratings"] + i["cost_estimates"]:
            assert r["superseded_at"] is None or r["superseded_at"] >= r["created_at"]
        if any(r["superseded_at"] for r in i["ratings"] if r["scale"] == "evidence-strength"):
            with_history += 1
        assert i["updated_at"] >= i["created_at"]
    assert with_history >= 3


@pytest.mark.django_db
def test_evidence_ratings_are_the_sites_suggestion_except_documented_overrides(demo):
    """Load the file, then ask the site's standard (ratings.derived, on the database's
    own computed effect sizes) what it suggests: the current rating must be that level,
    with that explanation kept as its suggestion, unless OVERRIDES gives a reason."""
    from interventions.models import Intervention
    from ratings import derived
    from ratings.models import Rating

    call_command("import_catalogue", str(DEMO_PATH))
    published = Intervention.objects.published()
    suggested = derived.suggestions(published)
    current = {
        rating.intervention.slug: rating
        for rating in Rating.objects.current()
        .filter(scale__slug="evidence-strength", intervention__in=published)
        .select_related("intervention", "level")
    }
    assert len(current) == len(suggested) == published.count()
    levels = Counter()
    for intervention in published:
        rating, assessment = current[intervention.slug], suggested[intervention.pk]
        levels[rating.level.code] += 1
        assert rating.suggestion == assessment.explanation(), intervention.slug
        if intervention.slug in OVERRIDES:
            level, reason = OVERRIDES[intervention.slug]
            assert rating.basis == Rating.Basis.OVERRIDE
            assert (rating.level.code, rating.reason) == (level, reason)
            assert level != assessment.level, intervention.slug
        else:
            assert rating.basis == Rating.Basis.CONFIRMED, intervention.slug
            assert rating.level.code == assessment.level, intervention.slug
            assert rating.reason.endswith(assessment.explanation()), intervention.slug
    assert set(OVERRIDES) <= {i.slug for i in published}
    assert set(levels) == set(rules.LEVELS), levels


@pytest.mark.django_db
def test_uk_tested_follows_the_studies_counted_after_import():
    from publishing.models import Listing
    from ratings import derived

    call_command("import_catalogue", str(DEMO_PATH))
    # What the public list says, from each published version, against the standard.
    listed = dict(Listing.objects.values_list("intervention_id", "uk_tested"))
    assessed = derived.suggestions(list(listed))
    assert listed == {pk: assessment.uk_tested for pk, assessment in assessed.items()}
    assert 5 <= sum(listed.values()) < len(listed)
    for listing in Listing.objects.filter(uk_tested=True).select_related("intervention"):
        assert listing.intervention.studies.filter(
            country="GB", design__in=rules.COMPARISON_DESIGNS
        ).exists(), listing.slug


def all_text(value):
    """Every string inside a record: names, summaries, notes, reasons, titles and so on."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_text(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_text(item)


def test_the_real_name_pattern_matches_whole_words_only():
    assert REAL_NAME_PATTERN.search("Delivered alongside the Incredible Years groups")
    assert REAL_NAME_PATTERN.search("a FAMILY LINKS course")
    assert REAL_NAME_PATTERN.search("Prevention Science, 12(3)")
    assert not REAL_NAME_PATTERN.search("sessions in the family-linked hubs")
    assert not REAL_NAME_PATTERN.search("Ridgekiva Trust")


def test_fictional_entries_do_not_borrow_real_programme_names(demo):
    for kind in ("interventions", "studies"):
        for record in demo[kind]:
            for text in all_text(record):
                match = REAL_NAME_PATTERN.search(text)
                assert match is None, (kind, record.get("slug", record.get("id")), match, text)
    for i in demo["interventions"]:
        assert i["contact"].endswith(".example.org") or "example.org" in i["contact"]


def test_study_doi_and_addresses_are_fictional(demo):
    for s in demo["studies"]:
        assert s["doi"] == "" or s["doi"].startswith("10.5555/demo.")
        assert s["url"] == "" or ".example.org/" in s["url"]


# --- the importer ---------------------------------------------------------------------


@pytest.mark.django_db
def test_import_catalogue_loads_the_demo_file(demo):
    from interventions.models import Catalogue, Intervention, Outcome
    from publishing.models import Listing
    from ratings.models import Finding, Rating, RatingLevel, Study, UnitCostEstimate

    call_command("import_catalogue", str(DEMO_PATH))
    assert Intervention.objects.count() == len(demo["interventions"])
    # Everything that was public has published versions; only the archived one is
    # off the list.
    assert Intervention.objects.published().count() == sum(
        i["status"] in ("published", "archived") for i in demo["interventions"]
    )
    assert Listing.objects.current().count() == sum(
        i["status"] == "published" for i in demo["interventions"]
    )
    assert Study.objects.count() == len(demo["studies"])
    assert Finding.objects.count() == len(all_findings(demo))
    assert Rating.objects.count() == sum(len(i["ratings"]) for i in demo["interventions"])
    assert UnitCostEstimate.objects.count() == sum(
        len(i["cost_estimates"]) for i in demo["interventions"]
    )
    assert RatingLevel.objects.count() == 13
    assert Outcome.objects.count() == sum(
        len(d["outcomes"]) for d in demo["taxonomies"]["outcome_domains"]
    )
    assert Catalogue.objects.get().is_demonstration is True


@pytest.mark.django_db
def test_import_catalogue_loads_the_standards_file():
    from interventions.models import Intervention, OutcomeDomain
    from ratings.models import RatingScale

    call_command("import_catalogue", str(STANDARDS_PATH))
    assert set(RatingScale.objects.values_list("slug", flat=True)) == {"evidence-strength", "cost"}
    assert OutcomeDomain.objects.count() == 15
    assert Intervention.objects.count() == 0


def test_every_summary_is_easy_to_read(demo):
    """Flesch reading ease of 60 or more: plain English most adults read easily."""
    scores = {i["slug"]: reading_ease(i["summary"]) for i in demo["interventions"]}
    hard = {slug: score for slug, score in scores.items() if not is_plain(score)}
    assert hard == {}
