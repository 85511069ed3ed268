"""Pages for business cases. Each reads published versions only, so what they show
and cite is fixed: the same address says the same thing next year."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from business import appraisal
from business.citation import Citation
from business.costing import Calculation, Deflators, calculate
from business.forms import CalculatorForm
from interventions import formatting
from interventions.models import Intervention
from publishing.models import Listing, Version
from publishing.restore import restore
from ratings import evidence
from ratings.evidence import Evidence
from ratings.models import RatingScale

MAX_COMPARED = 4
SEARCH_FIELDS = ["search_text", "search_vector"]


@dataclass
class Published:
    """One published version, restored, with its evidence summary and address."""

    listing: Listing
    version: Version
    intervention: Intervention
    evidence: Evidence
    url: str
    remove_query: str = ""  # the comparison's address without this one

    @classmethod
    def of(cls, request: HttpRequest, listing: Listing, version: Version) -> "Published":
        restored = restore(version.content, listing.intervention_id)
        return cls(
            listing,
            version,
            restored.intervention,
            evidence.summarise(restored.findings),
            request.build_absolute_uri(version.get_absolute_url()),
        )

    def rating(self, scale: str):
        return next((r for r in self.intervention.current_ratings if r.scale.slug == scale), None)

    @property
    def evidence_rating(self):
        return self.rating(RatingScale.EVIDENCE)

    @property
    def cost(self):
        costs = self.intervention.current_costs
        return costs[0] if costs else None

    def improvements(self) -> list[tuple[str, str]]:
        """Each outcome area it improved, with the size of the change in plain words."""
        found = []
        for domain in self.evidence.improved_domains:
            index = domain.headline_improvement_index
            if index is None:
                continue
            place = min(99, max(51, 50 + round(index)))
            found.append(
                (
                    domain.domain.name,
                    f"an average {domain.person} would move from the middle of 100 "
                    f"(50th) to about the {formatting.ordinal(place)} place",
                )
            )
        return found

    def citation(self) -> Citation:
        return Citation(
            name=self.intervention.name,
            version=self.version.number,
            published=timezone.localdate(self.version.published_at),
            url=self.url,
            accessed=timezone.localdate(),
        )


def _published(request: HttpRequest, slug: str, number: int) -> Published:
    """Two queries: the listing, then the version."""
    listing = get_object_or_404(Listing.objects.defer("version", *SEARCH_FIELDS), slug=slug)
    version = get_object_or_404(
        Version.objects.select_related("intervention__listing").defer(
            *(f"intervention__listing__{name}" for name in SEARCH_FIELDS)
        ),
        intervention_id=listing.intervention_id,
        number=number,
    )
    return Published.of(request, listing, version)


def _calculator(request: HttpRequest, deflators: Deflators) -> CalculatorForm:
    data = request.GET if CalculatorForm.submitted(request.GET) else None
    return CalculatorForm(data, price_years=deflators.choices())


def _calculation(form: CalculatorForm, item: Published, deflators: Deflators) -> Calculation | None:
    if not form.is_bound or not form.is_valid():
        return None
    return calculate(item.cost, item.evidence, form, deflators)


def brief(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One A4 page for a decision paper: three queries (and the demo banner's)."""
    item = _published(request, slug, number)
    deflators = Deflators.load()
    form = _calculator(request, deflators)
    return render(
        request,
        "business/brief.html",
        {
            "item": item,
            "intervention": item.intervention,
            "version": item.version,
            "listing": item.listing,
            "citation": item.citation(),
            "form": form,
            "calculation": _calculation(form, item, deflators),
            "deflators": deflators,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def costs(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The local cost calculator for one version: three queries (and the demo banner's)."""
    item = _published(request, slug, number)
    deflators = Deflators.load()
    form = _calculator(request, deflators)
    return render(
        request,
        "business/costs.html",
        {
            "item": item,
            "intervention": item.intervention,
            "version": item.version,
            "listing": item.listing,
            "form": form,
            "calculation": _calculation(form, item, deflators),
            "deflators": deflators,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


CITATION_FORMATS = {
    "ris": ("application/x-research-info-systems", "ris"),
    "bib": ("application/x-bibtex", "bib"),
}


def cite(request: HttpRequest, slug: str, number: int, file_format: str) -> HttpResponse:
    """The version's citation as a file for a reference manager."""
    item = _published(request, slug, number)
    citation = item.citation()
    key = f"{item.listing.slug}-v{item.version.number}"
    body = citation.ris() if file_format == "ris" else citation.bibtex(key)
    content_type, extension = CITATION_FORMATS[file_format]
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.{extension}"'
    return response


def _chosen_slugs(params) -> tuple[list[str], list[str]]:
    """The slugs asked for, in order, without repeats, and any problems with them."""
    slugs, problems = [], []
    for raw in params.getlist("i"):
        slug = raw.replace("\x00", "").strip()[:200]  # PostgreSQL text holds no NUL
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_COMPARED:
        problems.append(
            f"You can compare up to {MAX_COMPARED} interventions. We show the first {MAX_COMPARED}."
        )
        slugs = slugs[:MAX_COMPARED]
    return slugs, problems


def _focus(params) -> list[str]:
    """The outcome areas the user filtered the list on, carried to the comparison."""
    return [slug.strip()[:120] for slug in params.getlist("domain")[:20] if slug.strip()]


def _state(items: list[Published], focus: list[str], form: CalculatorForm) -> list[tuple]:
    """The comparison's address as name-value pairs, so forms and links keep it."""
    pairs = [("i", item.listing.slug) for item in items] + [("domain", d) for d in focus]
    if form.is_bound:
        pairs += [(name, form.data.get(name, "")) for name in form.fields]
    return pairs


def _compared(request: HttpRequest):
    """The comparison's columns: one query for every chosen listing and its version."""
    slugs, problems = _chosen_slugs(request.GET)
    found = {
        listing.slug: listing
        for listing in Listing.objects.filter(slug__in=slugs)
        .select_related("version__intervention__listing")
        .defer(
            *SEARCH_FIELDS, *(f"version__intervention__listing__{name}" for name in SEARCH_FIELDS)
        )
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        problems.append(
            "We could not find "
            + ", ".join(f"“{slug}”" for slug in missing)
            + ", so it is left out."
        )
    items = [
        Published.of(request, found[slug], found[slug].version) for slug in slugs if slug in found
    ]
    return items, problems


def compare(request: HttpRequest) -> HttpResponse:
    """2 to 4 interventions side by side: three queries, whatever their number."""
    items, problems = _compared(request)
    deflators = Deflators.load()
    form = _calculator(request, deflators)
    chosen = {item.listing.slug for item in items}
    choices = list(
        Listing.objects.current()
        .exclude(slug__in=chosen)
        .order_by("name")
        .values_list("slug", "name")
    )
    focus = _focus(request.GET)
    table = appraisal.Comparison(items, form, deflators, focus)
    state = _state(items, focus, form)
    for item in items:
        item.remove_query = urlencode([p for p in state if p != ("i", item.listing.slug)])
    return render(
        request,
        "business/compare.html",
        {
            "items": items,
            "table": table,
            "problems": problems,
            "form": form,
            "choices": choices,
            "can_add": len(items) < MAX_COMPARED,
            "keep": state,
            "keep_for_calculator": [p for p in state if p[0] in ("i", "domain")],
            "deflators": deflators,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


SPREADSHEETS = {
    "csv": ("text/csv; charset=utf-8", appraisal.write_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        appraisal.write_xlsx,
    ),
}


def compare_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The options appraisal as a spreadsheet: the comparison and the calculator's results."""
    items, problems = _compared(request)
    deflators = Deflators.load()
    form = _calculator(request, deflators)
    if form.is_bound and not form.is_valid():
        messages = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponse(
            "We could not make this download: " + " ".join(messages),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table = appraisal.Comparison(items, form, deflators, _focus(request.GET))
    content_type, write = SPREADSHEETS[file_format]
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="options-appraisal.{file_format}"'
    write(table, response)
    return response
