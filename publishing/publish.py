"""Publishing a version, and archiving: the only two ways the public site changes.

Curators edit a working copy; `publish` freezes it into version n+1 and makes
that the version the public sees. Everything derived for the public (tested in
the UK, the search text, the list's facts) is computed here, once, from the
snapshot, rather than kept current by signals on every edit.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from interventions.models import Intervention
from publishing import catalogue_state, changes, listing, signals, snapshot
from publishing.models import Listing, Version
from publishing.provenance import last_editor

# A version of the evidence "as it stood before" a re-rating is dated just before it.
JUST_BEFORE = timedelta(minutes=1)


class CannotPublish(Exception):
    """Publishing or archiving was refused; the message says why, in plain words."""


def latest_version(intervention: Intervention) -> Version | None:
    return intervention.versions.order_by("-number").first()


def differs_from(version: Version, intervention: Intervention) -> bool:
    """Whether the working copy now differs from what `version` published."""
    return version.content_hash != snapshot.content_hash(snapshot.of(intervention))


def unpublished_changes(intervention: Intervention) -> bool:
    """Whether the working copy differs from the latest version (never published counts)."""
    latest = latest_version(intervention)
    return latest is None or differs_from(latest, intervention)


def check_second_curator(intervention: Intervention, user: AbstractBaseUser) -> None:
    """With PUBLISH_REQUIRES_SECOND_CURATOR, whoever made the last change may not publish it."""
    if not settings.PUBLISH_REQUIRES_SECOND_CURATOR:
        return
    editor = last_editor(intervention)
    if editor is not None and editor.pk == user.pk:
        raise CannotPublish(
            "You made the last change to this intervention, and a second curator must "
            "check it before it is published. Ask another curator who can publish."
        )


@transaction.atomic
def publish(
    intervention: Intervention,
    *,
    user: AbstractBaseUser | None,
    change: str,
    note: str,
    when=None,
) -> Version:
    """Publish the working copy as the next version. Raises CannotPublish."""
    # Lock the row: two curators publishing at once get versions n+1 and n+2, in turn.
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    note = note.strip()
    if not note:
        raise CannotPublish("Write a change note: say in plain words what changed and why.")
    if change not in Version.Change.values:
        raise CannotPublish("Say whether this is a major or a minor change.")
    if user is not None:
        check_second_curator(intervention, user)
    content = snapshot.of(intervention)
    digest = snapshot.content_hash(content)
    latest = latest_version(intervention)
    archived = Listing.objects.filter(intervention=intervention, archived_at__isnull=False)
    if latest is not None and latest.content_hash == digest and not archived.exists():
        raise CannotPublish(
            f"Nothing has changed since version {latest.number}, so there is nothing to publish."
        )
    version = _record(intervention, content, user=user, change=change, note=note, when=when)
    signals.version_published.send(sender=Version, version=version)
    signals.catalogue_changed.send(sender=Version, intervention=intervention)
    return version


def _record(intervention, content, *, user, change, note, when) -> Version:
    """Store the next version and show it to the public."""
    latest = latest_version(intervention)
    version = Version.objects.create(
        intervention=intervention,
        number=latest.number + 1 if latest else 1,
        published_at=when or timezone.now(),
        published_by=user,
        publisher_name=user.get_full_name() or user.get_username() if user else "",
        change=change,
        change_note=note,
        content=content,
        content_hash=snapshot.content_hash(content),
    )
    listing.show(version)
    Intervention.objects.filter(pk=intervention.pk).update(status=Intervention.Status.PUBLISHED)
    catalogue_state.changed()
    return version


@transaction.atomic
def archive(
    intervention: Intervention,
    *,
    reason: str,
    replaced_by: Intervention | None = None,
    when=None,
) -> Listing:
    """Take it off the list and search, keeping every address with a notice."""
    reason = reason.strip()
    if not reason:
        raise CannotPublish("Say why it is archived: readers see the reason on the page.")
    row = Listing.objects.select_for_update().filter(intervention=intervention).first()
    if row is None:
        raise CannotPublish("It has never been published, so there is nothing to archive.")
    if replaced_by is not None and replaced_by.pk == intervention.pk:
        raise CannotPublish("An intervention cannot replace itself.")
    row.archived_at = when or timezone.now()
    row.archive_reason = reason
    row.replaced_by = replaced_by
    row.save(update_fields=["archived_at", "archive_reason", "replaced_by"])
    Intervention.objects.filter(pk=intervention.pk).update(status=Intervention.Status.ARCHIVED)
    signals.catalogue_changed.send(sender=Listing, intervention=intervention)
    catalogue_state.changed()
    return row


FIRST_NOTE = "First published version."
ARCHIVED_BEFORE_VERSIONS = "Archived before published versions were kept."


def _earlier_steps(intervention: Intervention) -> list[tuple]:
    """(as of, published at) for each day the evidence was reviewed again: as it stood
    just before the first re-rating that day, dated when its newest record was made."""
    records = [*intervention.ratings.all(), *intervention.cost_estimates.all()]
    days: dict = {}
    for row in records:
        if row.superseded_at is not None:
            day = row.superseded_at.date()
            days[day] = min(days.get(day, row.superseded_at), row.superseded_at)
    steps = []
    for first in sorted(days.values()):
        as_of = first - JUST_BEFORE
        made = [row.created_at for row in records if row.created_at <= as_of]
        steps.append((as_of, max(made, default=as_of)))
    return steps


def publish_history(interventions) -> int:
    """Versions for interventions that were public before versions were kept (a catalogue
    file of format version 1, or a database from before), rebuilt from their dated
    ratings and costs: a version as the evidence stood before each re-rating, then the
    current one. Nothing that was public disappears. Returns how many were published."""
    published = 0
    for intervention in interventions:
        was_archived = intervention.status == Intervention.Status.ARCHIVED
        steps = [*_earlier_steps(intervention), (None, intervention.updated_at)]
        previous = None
        for as_of, when in steps:
            content = snapshot.of(intervention, as_of=as_of)
            if previous is not None and snapshot.content_hash(content) == previous["hash"]:
                continue
            if previous is None:
                change, note = Version.Change.MAJOR, FIRST_NOTE
            else:
                change, note = _history_note(changes.between(previous["content"], content))
            _record(intervention, content, user=None, change=change, note=note, when=when)
            previous = {"content": content, "hash": snapshot.content_hash(content)}
            published += 1
        if was_archived:
            archive(intervention, reason=ARCHIVED_BEFORE_VERSIONS, when=intervention.updated_at)
    return published


def _history_note(found: "changes.Changes") -> tuple[str, str]:
    """A change note written from what changed: the ratings and costs first."""
    lines = found.ratings + found.evidence + found.outcomes
    if lines:
        return Version.Change.MAJOR, "Reviewed again. " + " ".join(lines)
    return Version.Change.MINOR, "Ratings recorded again under the current rules; none changed."
