"""Topics in the public list: situations as curators tick them, needs by their outcomes.

A topic that names specific outcomes is a need, such as children's behaviour. An
intervention comes under it when it aims to improve one of them (the list's "aims to
improve"), or was found to improve one ("found to improve"). So a need agrees with its
outcomes whichever way the list reads them. A ticked need still counts under "aims".
A topic without outcomes is a situation, such as kinship care: an intervention is under
it when ticked, whichever way the list reads outcomes.
"""

from collections.abc import Iterable

from interventions.models import Topic
from publishing.models import Listing

BATCH = 500


def needs() -> dict[str, set[str]]:
    """Each need's slug, with the slugs of the outcomes it covers."""
    covered: dict[str, set[str]] = {}
    pairs = Topic.outcomes.through.objects.values_list("topic__slug", "outcome__slug")
    for topic, outcome in pairs:
        covered.setdefault(topic, set()).add(outcome)
    return covered


def columns(
    ticked: Iterable[str], aims: Iterable[str], found: Iterable[str], covered: dict[str, set[str]]
) -> dict[str, list[str]]:
    """A listing's topic columns: `topics` for "aims to improve", `improved_topics` for
    "found to improve"."""
    ticked, aims, found = set(ticked), set(aims), set(found)
    return {
        "topics": sorted(ticked | {need for need, outcomes in covered.items() if outcomes & aims}),
        "improved_topics": sorted(
            (ticked - covered.keys())
            | {need for need, outcomes in covered.items() if outcomes & found}
        ),
    }


def ticked_in(content: dict) -> list[str]:
    return [term["slug"] for term in content["terms"]["topics"]]


def refresh() -> None:
    """Work every listing's topics out again, after a need's outcomes changed."""
    covered = needs()
    rows = Listing.objects.select_related("version").only(
        "outcomes", "improved_outcomes", "topics", "improved_topics", "version__content"
    )
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        ticked = ticked_in(row.version.content)
        fresh = columns(ticked, row.outcomes, row.improved_outcomes, covered)
        if fresh != {"topics": row.topics, "improved_topics": row.improved_topics}:
            row.topics, row.improved_topics = fresh["topics"], fresh["improved_topics"]
            changed.append(row)
    Listing.objects.bulk_update(changed, ["topics", "improved_topics"], batch_size=BATCH)
