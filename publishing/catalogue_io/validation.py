"""Check a whole catalogue document before anything is written.

Stops at the first problem with its path in the file, e.g.
`interventions[3].need_levels: unknown need level "very-high"`. Each value is
held to its model field's rules (see `fields`); this module adds the shape of
the document and references between records. The rules that span a record's
fields are the models' own (their problems() methods, age_range_problems), asked here
so that a bad file is named precisely instead of failing on insert.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models

from interventions.models import (
    AgeBand,
    Intervention,
    Outcome,
    OutcomeDomain,
    Topic,
    age_range_problems,
)
from publishing.catalogue_io import FORMAT, READABLE_VERSIONS, VERSION, layout
from publishing.catalogue_io.errors import CatalogueError, quoted
from publishing.catalogue_io.fields import _sentence, check_field
from publishing.catalogue_io.values import parse_datetime
from publishing.checks import snapshot_problem
from publishing.models import Version
from ratings.costs import CostBand, band_for
from ratings.models import (
    Finding,
    Rating,
    RatingLevel,
    RatingScale,
    Study,
    UnitCostEstimate,
)

TOP_LEVEL = "(top level)"
BIGGEST_ID = 2**63 - 1  # PostgreSQL's bigint


def validate_catalogue(document: Any) -> None:
    """Raise CatalogueError naming the first problem, or return if the whole document is sound."""
    _Validation().check(document)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _item(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _object(
    value: Any, path: str, keys: list[str], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogueError(path, "must be an object")
    for key in keys:
        if key not in value:
            raise CatalogueError(path, f'missing key "{key}"')
    for key in sorted(value):
        if key not in keys and key not in optional:
            raise CatalogueError(path, f"unexpected key {quoted(key)}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise CatalogueError(path, "must be a list")
    return value


def _fields(model: type[models.Model], record: dict[str, Any], names: list[str], path: str) -> None:
    for name in names:
        check_field(model, name, record[name], _join(path, name))


def _what(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


class _Seen:
    """Values that must be unique, and where each was first used."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.paths: dict[Any, str] = {}

    def add(self, value: Any, path: str) -> None:
        if value in self.paths:
            raise CatalogueError(
                path, f'{self.what} "{value}" is already used at {self.paths[value]}'
            )
        self.paths[value] = path

    def values(self) -> set[Any]:
        return set(self.paths)


class _Validation:
    def __init__(self) -> None:
        self.slugs: dict[type[models.Model], set[str]] = {}  # taxonomy model -> its slugs
        self.levels: dict[str, set[str]] = {}  # scale slug -> its level codes
        self.cost_bands: list[CostBand] = []
        self.interventions: set[str] = set()
        self.file_version = VERSION
        self.finding_ids = _Seen("finding id")

    def check(self, document: Any) -> None:
        if not isinstance(document, dict):
            raise CatalogueError(TOP_LEVEL, f'must be an object with "format": "{FORMAT}"')
        self._format(document)
        _object(document, TOP_LEVEL, layout.TOP_KEYS)
        if not isinstance(document["demonstration"], bool):
            raise CatalogueError("demonstration", "must be true or false")
        self._taxonomies(document["taxonomies"], "taxonomies")
        self._scales(document["rating_scales"], "rating_scales")
        self._interventions(document["interventions"], "interventions")
        self._studies(document["studies"], "studies")

    def _format(self, document: dict[str, Any]) -> None:
        found = document.get("format")
        if found != FORMAT:
            found_text = "nothing" if found is None else quoted(found)
            raise CatalogueError("format", f'expected "{FORMAT}", found {found_text}')
        version = document.get("version")
        if type(version) is not int or version not in READABLE_VERSIONS:
            readable = " and ".join(str(v) for v in READABLE_VERSIONS)
            version_text = "nothing" if "version" not in document else quoted(version)
            raise CatalogueError(
                "version",
                f"this store reads version {readable} catalogue files, not {version_text}",
            )
        self.file_version = version

    # Taxonomies

    def _taxonomies(self, value: Any, path: str) -> None:
        taxonomies = _object(value, path, list(layout.TAXONOMIES))
        outcome_slugs = _Seen("outcome slug")  # unique across all domains
        for key, model in layout.TAXONOMIES.items():
            terms_path = _join(path, key)
            names = layout.TERM_FIELDS + layout.EXTRA_TERM_FIELDS.get(model, [])
            keys = names + ([layout.OUTCOMES] if model is OutcomeDomain else [])
            slugs, term_names = _Seen(f"{_what(model)} slug"), _Seen(f"{_what(model)} name")
            for index, term in enumerate(_list(taxonomies[key], terms_path)):
                term_path = _item(terms_path, index)
                # A topic may name the outcomes it covers (files before it did not).
                _object(term, term_path, keys, (layout.OUTCOMES,) if model is Topic else ())
                _fields(model, term, names, term_path)
                slugs.add(term["slug"], _join(term_path, "slug"))
                term_names.add(term["name"], _join(term_path, "name"))
                if model is AgeBand:
                    ages = age_range_problems(
                        term["min_age_months"], term["max_age_months"], within_bounds=False
                    )
                    _refuse_first(ages, term_path)
                if model is OutcomeDomain:
                    outcomes_path = _join(term_path, layout.OUTCOMES)
                    self._outcomes(term[layout.OUTCOMES], outcomes_path, outcome_slugs)
            self.slugs[model] = slugs.values()
        self.slugs[Outcome] = outcome_slugs.values()
        for index, topic in enumerate(taxonomies["topics"]):
            if layout.OUTCOMES in topic:
                topic_path = _join(_item(_join(path, "topics"), index), layout.OUTCOMES)
                outcomes, known = topic[layout.OUTCOMES], set(self.slugs[Outcome])
                self._references(outcomes, topic_path, known, "outcome", required=False)

    def _outcomes(self, value: Any, path: str, slugs: _Seen) -> None:
        names = _Seen("outcome name")  # unique within its domain
        for index, outcome in enumerate(_list(value, path)):
            outcome_path = _item(path, index)
            _object(outcome, outcome_path, layout.TERM_FIELDS)
            _fields(Outcome, outcome, layout.TERM_FIELDS, outcome_path)
            slugs.add(outcome["slug"], _join(outcome_path, "slug"))
            names.add(outcome["name"], _join(outcome_path, "name"))

    # Rating scales

    def _scales(self, value: Any, path: str) -> None:
        scale_slugs = _Seen("rating scale slug")
        for index, scale in enumerate(_list(value, path)):
            scale_path = _item(path, index)
            _object(scale, scale_path, [*layout.SCALE_FIELDS, layout.LEVELS])
            _fields(RatingScale, scale, layout.SCALE_FIELDS, scale_path)
            scale_slugs.add(scale["slug"], _join(scale_path, "slug"))
            codes, ranks = _Seen("level code"), _Seen("rank")
            levels_path = _join(scale_path, layout.LEVELS)
            for level_index, level in enumerate(_list(scale[layout.LEVELS], levels_path)):
                level_path = _item(levels_path, level_index)
                _object(level, level_path, layout.LEVEL_FIELDS)
                _fields(RatingLevel, level, layout.LEVEL_FIELDS, level_path)
                codes.add(level["code"], _join(level_path, "code"))
                ranks.add(level["rank"], _join(level_path, "rank"))
                band = {key: _money(level[key]) for key in ("min_cost", "max_cost")}
                _refuse_first(RatingLevel(**band).problems(), level_path)
            self.levels[scale["slug"]] = codes.values()
            if scale["slug"] == RatingScale.COST:
                self.cost_bands = [_cost_band(level) for level in scale[layout.LEVELS]]

    # Interventions

    def _interventions(self, value: Any, path: str) -> None:
        keys = [
            *layout.INTERVENTION_FIELDS,
            *layout.INTERVENTION_TERMS,
            layout.RATINGS,
            layout.COST_ESTIMATES,
        ]
        if self.file_version >= 2:
            keys.append(layout.PUBLISHED)
        slugs, names = _Seen("intervention slug"), _Seen("intervention name")
        for index, intervention in enumerate(_list(value, path)):
            intervention_path = _item(path, index)
            _object(intervention, intervention_path, keys)
            _fields(Intervention, intervention, layout.INTERVENTION_FIELDS, intervention_path)
            slugs.add(intervention["slug"], _join(intervention_path, "slug"))
            names.add(intervention["name"], _join(intervention_path, "name"))
            self._ages(intervention, intervention_path)
            for key, model in layout.INTERVENTION_TERMS.items():
                self._references(
                    intervention[key],
                    _join(intervention_path, key),
                    self.slugs[model],
                    _what(model),
                    required=not Intervention._meta.get_field(key).blank,
                )
            ratings_path = _join(intervention_path, layout.RATINGS)
            self._ratings(intervention[layout.RATINGS], ratings_path)
            costs_path = _join(intervention_path, layout.COST_ESTIMATES)
            self._cost_estimates(intervention[layout.COST_ESTIMATES], costs_path)
            self._cost_rating_follows_unit_cost(intervention, ratings_path)
        self.interventions = slugs.values()
        if self.file_version >= 2:
            for index, intervention in enumerate(value):
                self._published(intervention, _item(path, index))

    # Published versions (format version 2)

    def _published(self, intervention: dict[str, Any], path: str) -> None:
        path = _join(path, layout.PUBLISHED)
        published = _object(intervention[layout.PUBLISHED], path, layout.PUBLISHED_KEYS)
        versions = _list(published["versions"], _join(path, "versions"))
        previous = None
        for index, version in enumerate(versions):
            version_path = _item(_join(path, "versions"), index)
            _object(version, version_path, layout.VERSION_KEYS)
            if version["number"] != index + 1 or isinstance(version["number"], bool):
                raise CatalogueError(
                    _join(version_path, "number"), f"must be {index + 1}: versions count from 1"
                )
            when = _moment(version["published_at"], _join(version_path, "published_at"))
            if previous is not None and when <= previous:
                raise CatalogueError(
                    _join(version_path, "published_at"), "must be after the version before it"
                )
            previous = when
            _text(version["publisher"], _join(version_path, "publisher"), 150, required=False)
            if version["change"] not in Version.Change.values:
                raise CatalogueError(_join(version_path, "change"), 'must be "major" or "minor"')
            _text(version["change_note"], _join(version_path, "change_note"), 1000)
            _snapshot(version["content"], intervention["slug"], _join(version_path, "content"))
        archived = published["archived"]
        if archived is None:
            if intervention["status"] == Intervention.Status.ARCHIVED and versions:
                raise CatalogueError(
                    _join(path, "archived"),
                    "an archived intervention with versions needs its archive record",
                )
            return
        archived_path = _join(path, "archived")
        _object(archived, archived_path, layout.ARCHIVED_KEYS)
        if not versions:
            raise CatalogueError(archived_path, "only a published intervention can be archived")
        _moment(archived["archived_at"], _join(archived_path, "archived_at"))
        _text(archived["reason"], _join(archived_path, "reason"), 1000)
        replaced_by = archived["replaced_by"]
        if replaced_by is not None and (
            replaced_by not in self.interventions or replaced_by == intervention["slug"]
        ):
            raise CatalogueError(
                _join(archived_path, "replaced_by"),
                f'must be the slug of another intervention in the file, not "{replaced_by}"',
            )

    def _ages(self, intervention: dict[str, Any], path: str) -> None:
        youngest, oldest = intervention["min_age_months"], intervention["max_age_months"]
        _refuse_first(age_range_problems(youngest, oldest, within_bounds=True), path)

    def _references(
        self, value: Any, path: str, known: set[str], what: str, *, required: bool
    ) -> None:
        slugs = _list(value, path)
        if required and not slugs:
            raise CatalogueError(path, f"must name at least one {what}")
        seen: set[str] = set()
        for slug in slugs:
            if not isinstance(slug, str):
                raise CatalogueError(path, f"must be a list of {what} slugs, not {quoted(slug)}")
            if slug not in known:
                raise CatalogueError(path, f"unknown {what} {quoted(slug)}")
            if slug in seen:
                raise CatalogueError(path, f'{what} "{slug}" is listed twice')
            seen.add(slug)

    def _ratings(self, value: Any, path: str) -> None:
        current: dict[str, str] = {}  # scale slug -> path of its current rating
        latest: dict[str, dict[str, Any]] = {}  # scale slug -> the last rating seen on it
        for index, rating in enumerate(_list(value, path)):
            rating_path = _item(path, index)
            _object(rating, rating_path, [*layout.RATING_REFERENCES, *layout.RATING_FIELDS])
            scale, code = rating["scale"], rating["level"]
            if not isinstance(scale, str) or scale not in self.levels:
                raise CatalogueError(
                    _join(rating_path, "scale"), f"unknown rating scale {quoted(scale)}"
                )
            if not isinstance(code, str) or code not in self.levels[scale]:
                raise CatalogueError(
                    _join(rating_path, "level"),
                    f'no level {quoted(code)} on the rating scale "{scale}"',
                )
            _fields(Rating, rating, layout.RATING_FIELDS, rating_path)
            # A reason of spaces is no reason, as in the admin's form (which strips it).
            stated = Rating(basis=rating["basis"], reason=rating["reason"].strip())
            _refuse_first(stated.problems(), rating_path)
            if rating["basis"] == Rating.Basis.DERIVED and scale != RatingScale.COST:
                raise CatalogueError(
                    _join(rating_path, "basis"), "only cost ratings follow from the unit cost"
                )
            _superseded_after_created(rating, rating_path)
            previous = latest.get(scale)
            if previous and rating["rated_on"] < previous["rated_on"]:
                raise CatalogueError(
                    _join(rating_path, "rated_on"),
                    f"is before the date of the rating it follows on this scale "
                    f"({previous['rated_on']}); ratings are listed oldest first",
                )
            latest[scale] = rating
            if rating["superseded_at"] is None:
                if scale in current:
                    raise CatalogueError(
                        rating_path,
                        f'a second current rating on the scale "{scale}" (the other is '
                        f"{current[scale]}); every earlier rating needs its superseded_at",
                    )
                current[scale] = rating_path

    def _cost_rating_follows_unit_cost(self, intervention: dict[str, Any], path: str) -> None:
        """The current cost rating is the band of the current unit-cost estimate."""
        estimate = _current(intervention[layout.COST_ESTIMATES])
        rating = _current(r for r in intervention[layout.RATINGS] if r["scale"] == RatingScale.COST)
        if rating is None:
            return
        if estimate is None:
            raise CatalogueError(path, "a current cost rating needs a current unit-cost estimate")
        band = band_for(Decimal(estimate["unit_cost"]), self.cost_bands)
        if band is None or band.code != rating["level"]:
            expected = f'"{band.code}"' if band else "none: no band covers it"
            raise CatalogueError(
                path,
                f'the current cost rating is "{rating["level"]}" but the current unit cost, '
                f"£{estimate['unit_cost']}, is in band {expected}",
            )

    def _cost_estimates(self, value: Any, path: str) -> None:
        current = None
        for index, estimate in enumerate(_list(value, path)):
            estimate_path = _item(path, index)
            _object(estimate, estimate_path, layout.COST_FIELDS)
            _fields(UnitCostEstimate, estimate, layout.COST_FIELDS, estimate_path)
            _superseded_after_created(estimate, estimate_path)
            _amounts(estimate, estimate_path)
            if estimate["superseded_at"] is None:
                if current is not None:
                    raise CatalogueError(
                        estimate_path,
                        f"a second current cost estimate (the other is {current}); "
                        "every earlier estimate needs its superseded_at",
                    )
                current = estimate_path

    # Studies and findings

    def _studies(self, value: Any, path: str) -> None:
        ids = _Seen("study id")
        for index, study in enumerate(_list(value, path)):
            study_path = _item(path, index)
            _object(
                study,
                study_path,
                [*layout.STUDY_FIELDS, layout.STUDY_INTERVENTIONS, layout.FINDINGS],
            )
            _fields(Study, study, layout.STUDY_FIELDS, study_path)
            if study["id"] < 1:
                raise CatalogueError(_join(study_path, "id"), "must be a whole number from 1 up")
            ids.add(study["id"], _join(study_path, "id"))
            sizes = {key: study[key] for key in ("intervention_n", "comparison_n")}
            _refuse_first(Study(**sizes).problems(), study_path)
            self._references(
                study[layout.STUDY_INTERVENTIONS],
                _join(study_path, layout.STUDY_INTERVENTIONS),
                self.interventions,
                _what(Intervention),
                required=not Study._meta.get_field(layout.STUDY_INTERVENTIONS).blank,
            )
            findings_path = _join(study_path, layout.FINDINGS)
            arms = set(study[layout.STUDY_INTERVENTIONS])
            for finding_index, finding in enumerate(_list(study[layout.FINDINGS], findings_path)):
                self._finding(finding, _item(findings_path, finding_index), arms)

    def _finding_id(self, value: Any, path: str) -> None:
        if type(value) is not int or not 1 <= value <= BIGGEST_ID:
            raise CatalogueError(path, f"must be a whole number from 1 to {BIGGEST_ID}")
        self.finding_ids.add(value, path)

    def _finding(self, finding: Any, path: str, arms: set[str]) -> None:
        keys = [*layout.FINDING_REFERENCES, *layout.FINDING_FIELDS]
        if self.file_version >= 2:
            keys.append(layout.FINDING_ID)
        _object(finding, path, keys)
        if self.file_version >= 2:
            self._finding_id(finding[layout.FINDING_ID], _join(path, layout.FINDING_ID))
        intervention, outcome = finding["intervention"], finding["outcome"]
        if not isinstance(intervention, str) or intervention not in self.interventions:
            raise CatalogueError(
                _join(path, "intervention"), f"unknown intervention {quoted(intervention)}"
            )
        if intervention not in arms:
            raise CatalogueError(
                _join(path, "intervention"),
                f'"{intervention}" is not one of the study\'s interventions '
                f"({', '.join(sorted(arms))})",
            )
        if not isinstance(outcome, str) or outcome not in self.slugs[Outcome]:
            raise CatalogueError(_join(path, "outcome"), f"unknown outcome {quoted(outcome)}")
        _fields(Finding, finding, layout.FINDING_FIELDS, path)
        _statistics(finding, path)


def _moment(value: Any, path: str):
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        raise CatalogueError(
            path, "must be a UTC date-time like 2026-03-01T09:30:00.000000Z"
        ) from None


def _text(value: Any, path: str, longest: int, required: bool = True) -> None:
    if not isinstance(value, str) or len(value) > longest or (required and not value.strip()):
        need = "text" if not required else "text that is not empty"
        raise CatalogueError(path, f"must be {need}, at most {longest:,} characters")


def _snapshot(content: Any, slug: str, path: str) -> None:
    """A version's content must be a snapshot the public pages can show."""
    problem = snapshot_problem(content)
    if problem:
        raise CatalogueError(path, f"is not a snapshot the pages can show: {problem}")
    if content["intervention"]["slug"] != slug:
        raise CatalogueError(path, f'is a snapshot of "{content["intervention"]["slug"]}"')


def _superseded_after_created(record: dict[str, Any], path: str) -> None:
    # Both are in one fixed format, so comparing the text compares the times.
    if record["superseded_at"] is not None and record["superseded_at"] < record["created_at"]:
        raise CatalogueError(_join(path, "superseded_at"), "must not be before created_at")


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _amounts(estimate: dict[str, Any], path: str) -> None:
    """No negative amounts, and a breakdown that adds up: the model's rules."""
    names = ["unit_cost", *UnitCostEstimate.BREAKDOWN_FIELDS, "set_up_cost_total"]
    amounts = {name: _money(estimate[name]) for name in names}
    _refuse_first(UnitCostEstimate(**amounts).problems(), path)


def _statistics(finding: dict[str, Any], path: str) -> None:
    """The rules that span a finding's statistics are the model's (Finding.clean): ask it,
    and name the first problem by its path in the file."""
    statistics = {
        key: finding[key] for key in ["statistics_form", "higher_is_better", *layout.STATISTICS]
    }
    _refuse_first(Finding(**statistics).problems(), path)


def _refuse_first(problems: dict[str, str], path: str) -> None:
    """Name the first of a model's problems (Model.problems) by its path in the file."""
    for name, message in problems.items():
        where = path if name == NON_FIELD_ERRORS else _join(path, name)
        raise CatalogueError(where, _sentence(message))


def _current(records) -> dict[str, Any] | None:
    return next((record for record in records if record["superseded_at"] is None), None)


def _cost_band(level: dict[str, Any]) -> CostBand:
    def money(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return CostBand(
        level["code"], level["label"], money(level["min_cost"]), money(level["max_cost"])
    )
