"""The benchmark command measures every public page and leaves the database as it was."""

import pytest
from django.core.management import CommandError, call_command

from interventions.models import Intervention
from ratings.models import Finding, Rating, Study
from tests import factories


@pytest.fixture
def small_catalogue(scales):
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    study = factories.make_study(intervention)
    factories.make_finding(study, intervention)
    factories.rate(intervention, "evidence-strength", "3")
    factories.make_cost(intervention)
    return intervention


def _counts():
    return (
        Intervention.objects.count(),
        Study.objects.count(),
        Finding.objects.count(),
        Rating.objects.count(),
    )


def test_benchmark_at_three_times_the_size_reports_every_page_and_rolls_back(
    small_catalogue, capsys
):
    before = _counts()

    # Timing is the command's job, not the test's: a generous budget keeps it steady.
    call_command("benchmark", times=3, repeat=1, budget=60_000)

    output = capsys.readouterr().out
    assert "3 published interventions" in output
    for page in ("Home", "All interventions", "Keyword search", "A study"):
        assert page in output
    assert "Intervention with most findings" in output
    assert " 200 " in output and " 400 " not in output and " 500 " not in output
    assert _counts() == before


def test_benchmark_fails_when_a_page_is_over_budget(small_catalogue, capsys):
    with pytest.raises(CommandError, match="Over the 0.001 ms budget: Home"):
        call_command("benchmark", repeat=1, budget=0.001)
    assert "<- over budget" in capsys.readouterr().out


def test_benchmark_refuses_nonsense_arguments(db):
    with pytest.raises(CommandError, match="1 or more"):
        call_command("benchmark", times=0)


def test_benchmark_says_when_there_is_nothing_to_measure(db):
    with pytest.raises(CommandError, match="no published interventions"):
        call_command("benchmark", repeat=1)
