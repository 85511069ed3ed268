"""The publication workflow of a working copy: which status changes are allowed, and who
may make them.

Pure rules with no database access, so the admin and the tests share one source
of truth. Draft -> in review -> published -> archived. A published working copy
can be edited and sent for review again while the public keeps seeing its last
published version; publishing again makes the next version
(publishing/publish.py). An archived one can go back to draft to be revived.
Only publishing and archiving change the public site, and they need the
publish permission.
"""

from interventions.models import Intervention

Status = Intervention.Status

PUBLISH_PERMISSION = "interventions.publish_intervention"


ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.IN_REVIEW,),
    Status.IN_REVIEW: (Status.PUBLISHED, Status.DRAFT),
    Status.PUBLISHED: (Status.PUBLISHED, Status.IN_REVIEW, Status.ARCHIVED),
    Status.ARCHIVED: (Status.DRAFT,),
}

# Plain words for the buttons and actions curators see.
MOVE_LABELS: dict[str, str] = {
    Status.DRAFT: "Move back to draft",
    Status.IN_REVIEW: "Send for review",
    Status.PUBLISHED: "Publish a version",
    Status.ARCHIVED: "Archive",
}


class TransitionNotAllowed(Exception):
    """A status change the workflow does not allow; the message is shown to the curator."""


def needs_publish_permission(current: str, target: str) -> bool:
    """Publishing a version and archiving are the only moves that change the public site."""
    return target in (Status.PUBLISHED, Status.ARCHIVED)


def status_label(status: str) -> str:
    return Status(status).label.lower()


def check_move(current: str, target: str, *, can_publish: bool) -> None:
    """Raise TransitionNotAllowed with a plain explanation unless current -> target is allowed."""
    if target not in Status.values:
        raise TransitionNotAllowed(f'"{target}" is not a publication status.')
    if target == current and target != Status.PUBLISHED:  # publishing again: a new version
        raise TransitionNotAllowed(f"It is already {status_label(current)}.")
    if target not in ALLOWED_MOVES[current]:
        allowed = " or ".join(status_label(status) for status in ALLOWED_MOVES[current])
        raise TransitionNotAllowed(
            f"It cannot go from {status_label(current)} to {status_label(target)}: "
            f"from {status_label(current)} it can only move to {allowed}."
        )
    if needs_publish_permission(current, target) and not can_publish:
        raise TransitionNotAllowed(
            f"You do not have permission to move it from {status_label(current)} to "
            f"{status_label(target)}. Ask a curator who can publish."
        )


def available_moves(current: str, *, can_publish: bool) -> list[str]:
    """The statuses this user can move an entry to from `current`, in workflow order."""
    return [
        target
        for target in ALLOWED_MOVES[current]
        if can_publish or not needs_publish_permission(current, target)
    ]
