"""The publication workflow's rules, called directly (no database)."""

import pytest

from interventions.models import Intervention
from interventions.publication import (
    TransitionNotAllowed,
    available_moves,
    check_move,
    needs_publish_permission,
)

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = (
    Intervention.Status.DRAFT,
    Intervention.Status.IN_REVIEW,
    Intervention.Status.PUBLISHED,
    Intervention.Status.ARCHIVED,
)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (DRAFT, IN_REVIEW),
        (IN_REVIEW, PUBLISHED),
        (IN_REVIEW, DRAFT),
        (PUBLISHED, PUBLISHED),
        (PUBLISHED, IN_REVIEW),
        (PUBLISHED, ARCHIVED),
        (ARCHIVED, DRAFT),
    ],
)
def test_a_publisher_can_make_every_move_in_the_workflow(current, target):
    check_move(current, target, can_publish=True)


@pytest.mark.parametrize(
    ("current", "target", "explanation"),
    [
        (DRAFT, PUBLISHED, "cannot go from draft to published"),
        (DRAFT, ARCHIVED, "cannot go from draft to archived"),
        (IN_REVIEW, ARCHIVED, "cannot go from in review to archived"),
        (ARCHIVED, PUBLISHED, "cannot go from archived to published"),
        (PUBLISHED, DRAFT, "cannot go from published to draft"),
        (ARCHIVED, ARCHIVED, "already archived"),
        (DRAFT, DRAFT, "already draft"),
        (DRAFT, "deleted", "not a publication status"),
    ],
)
def test_moves_outside_the_workflow_are_refused_with_a_reason(current, target, explanation):
    with pytest.raises(TransitionNotAllowed, match=explanation):
        check_move(current, target, can_publish=True)


@pytest.mark.parametrize(
    ("current", "target"),
    [(IN_REVIEW, PUBLISHED), (PUBLISHED, PUBLISHED), (PUBLISHED, ARCHIVED)],
)
def test_changing_the_public_site_needs_the_publish_permission(current, target):
    assert needs_publish_permission(current, target)
    with pytest.raises(TransitionNotAllowed, match="do not have permission"):
        check_move(current, target, can_publish=False)


@pytest.mark.parametrize(
    ("current", "target"),
    [(DRAFT, IN_REVIEW), (IN_REVIEW, DRAFT), (PUBLISHED, IN_REVIEW), (ARCHIVED, DRAFT)],
)
def test_moves_that_leave_the_public_site_alone_need_no_publish_permission(current, target):
    assert not needs_publish_permission(current, target)
    check_move(current, target, can_publish=False)


def test_available_moves_depend_on_the_permission():
    assert available_moves(IN_REVIEW, can_publish=True) == [PUBLISHED, DRAFT]
    assert available_moves(IN_REVIEW, can_publish=False) == [DRAFT]
    # A published working copy is edited and sent for review again; the public keeps
    # seeing the last published version until a publisher publishes the next one.
    assert available_moves(PUBLISHED, can_publish=True) == [PUBLISHED, IN_REVIEW, ARCHIVED]
    assert available_moves(PUBLISHED, can_publish=False) == [IN_REVIEW]
    assert available_moves(ARCHIVED, can_publish=False) == [DRAFT]
    assert available_moves(DRAFT, can_publish=False) == [IN_REVIEW]
