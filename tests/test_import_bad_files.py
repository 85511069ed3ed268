"""A catalogue file of any shape gives a short message naming the problem, and writes nothing.

`import_catalogue` ended in a Python traceback for deeply nested JSON
(RecursionError) and for a whole number of over 4,300 digits (ValueError),
and accepted text of 10 MB. Every case here goes through the command, which
Django turns into a message on stderr and a non-zero exit status.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError

from interventions.models import LONG_TEXT
from tests import factories
from tests.test_catalogue_io import empty_the_database, export_text, import_file, row_counts

TEN_MB = 10 * 1024 * 1024
# Long enough to matter, short enough to read: no message quotes a whole value.
LONGEST_MESSAGE = 400


def rejected(path: Path) -> str:
    before = row_counts()
    with pytest.raises(CommandError) as raised:
        import_file(path)
    message = str(raised.value)
    assert message.endswith("Nothing was written."), message[:LONGEST_MESSAGE]
    assert len(message) < LONGEST_MESSAGE, message[:LONGEST_MESSAGE]
    assert row_counts() == before
    return message


def write_text(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_text(text, encoding="utf-8")
    return path


def write_document(tmp_path: Path, document: Any, **raw: str) -> Path:
    """The document as JSON; each "RAW:name" string is then replaced by raw[name] as is."""
    text = json.dumps(document, ensure_ascii=False)
    for name, replacement in raw.items():
        text = text.replace(f'"RAW:{name}"', replacement)
    return write_text(tmp_path, text)


@pytest.fixture
def document(db) -> dict[str, Any]:
    """A small valid catalogue: scales, one intervention with a study and a finding."""
    factories.make_scales()
    intervention = factories.make_intervention(slug="hearthstone")
    study = factories.make_study(intervention)
    factories.make_finding(study, intervention)
    factories.rate(intervention, "evidence-strength", "3", reason="One rigorous trial.")
    exported = json.loads(export_text())
    empty_the_database()
    return exported


def test_the_small_catalogue_imports(document, tmp_path):
    assert "Imported the catalogue" in import_file(write_document(tmp_path, document))


# Files that are not a JSON document


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty"),
        (" \n\t\n", "is empty"),
        ("id,name\n1,Hearthstone\n", "not valid JSON: Expecting value at line 1 column 1"),
        ('{"format": "evidence-store-catalogue"', "not valid JSON: Expecting ',' delimiter"),
        ("\ufeff{}", "starts with a byte order mark"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"version": ' + "[" * 5_000 + "]" * 5_000 + "}", "nested too deeply"),
        ('{"version": 1' + "0" * 5_000 + "}", "a whole number of 5001 digits"),
        ('{"version": -' + "9" * 20 + "}", "a whole number of 20 digits"),
        ('{"version": NaN}', "NaN is not a number JSON allows"),
        ('{"version": Infinity}', "Infinity is not a number JSON allows"),
        ('{"version": -Infinity}', "-Infinity is not a number JSON allows"),
    ],
)
def test_text_that_is_not_a_catalogue_document_is_named(tmp_path, db, text, problem):
    assert problem in rejected(write_text(tmp_path, text))


def test_bytes_that_are_not_utf8_are_named(tmp_path, db):
    path = tmp_path / "catalogue.json"
    path.write_bytes(b'{"format": "evidence-store-catalogue", "name": "caf\xe9"}')
    assert "not UTF-8 text (invalid continuation byte)" in rejected(path)


def test_a_binary_file_is_named(tmp_path, db):
    path = tmp_path / "catalogue.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "not UTF-8 text" in rejected(path)


# Values of the wrong shape, size or type, anywhere in the document


def test_nesting_that_parses_is_named_where_it_is(document, tmp_path):
    bad = copy.deepcopy(document)
    bad["interventions"][0]["need_levels"] = "RAW:deep"
    deep = "[" * 500 + "]" * 500
    message = rejected(write_document(tmp_path, bad, deep=deep))
    assert "interventions[0].need_levels: must be a list of need level slugs, not a list" in message


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        (lambda d: d["interventions"][0], "description: must be at most 20000 characters"),
        (lambda d: d["interventions"][0], "summary: must be at most 600 characters"),
        (lambda d: d["studies"][0], "quality_notes: must be at most 20000 characters"),
        (lambda d: d["studies"][0]["findings"][0], "notes: must be at most 20000 characters"),
        (lambda d: d["rating_scales"][0], "description: must be at most 20000 characters"),
        (lambda d: d["interventions"][0]["ratings"][0], "reason: must be at most 20000"),
    ],
)
def test_text_of_ten_megabytes_is_refused(document, tmp_path, where, problem):
    bad = copy.deepcopy(document)
    key = problem.split(":")[0]
    where(bad)[key] = "x" * TEN_MB
    assert problem in rejected(write_document(tmp_path, bad))


def test_text_at_the_limit_is_imported(document, tmp_path):
    good = copy.deepcopy(document)
    good["interventions"][0]["description"] = "y" * LONG_TEXT
    import_file(write_document(tmp_path, good))


def test_a_ten_megabyte_name_is_refused_without_repeating_it(document, tmp_path):
    bad = copy.deepcopy(document)
    bad["interventions"][0]["name"] = "n" * TEN_MB
    message = rejected(write_document(tmp_path, bad))
    assert (
        f"interventions[0].name: ensure this value has at most 200 characters (it has {TEN_MB})"
        in message
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(format="f" * TEN_MB), 'format: expected "evidence-store-catalogue"'),
        (
            lambda d: d["studies"][0]["findings"][0].update(intervention="s" * TEN_MB),
            'studies[0].findings[0].intervention: unknown intervention "sssss',
        ),
        (
            lambda d: d["interventions"][0].update({"k" * TEN_MB: 1}),
            'interventions[0]: unexpected key "kkkk',
        ),
        (
            lambda d: d["interventions"][0].update(kind="k" * TEN_MB),
            'interventions[0].kind: unknown kind "kkkk',
        ),
        (
            lambda d: d["studies"][0].update(country="c" * TEN_MB),
            'studies[0].country: unknown country "cccc',
        ),
    ],
)
def test_a_huge_value_is_quoted_short(document, tmp_path, change, problem):
    bad = copy.deepcopy(document)
    change(bad)
    message = rejected(write_document(tmp_path, bad))
    assert problem in message
    assert "…" in message


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(interventions={}), "interventions: must be a list"),
        (
            lambda d: d.update(version="1"),
            'version: this store reads version 1 and 2 catalogue files, not "1"',
        ),
        (
            lambda d: d.update(version=[1]),
            "version: this store reads version 1 and 2 catalogue files, not a list",
        ),
        (
            lambda d: d.update(version=1.0),
            "version: this store reads version 1 and 2 catalogue files, not 1.0",
        ),
        (lambda d: d.update(demonstration="yes"), "demonstration: must be true or false"),
        (lambda d: d["interventions"][0].update(min_age_months="36"), "must be a whole number"),
        (lambda d: d["interventions"][0].update(min_age_months=36.5), "must be a whole number"),
        (
            lambda d: d["interventions"][0].update(name=None),
            "interventions[0].name: must not be null",
        ),
        (
            lambda d: d["interventions"][0].update(other_names=[f"Name {n}" for n in range(21)]),
            "interventions[0].other_names: must have at most 20 items",
        ),
        (
            lambda d: d["interventions"][0].update(other_names=[["nested"]]),
            "interventions[0].other_names[0]: must be a string",
        ),
        (
            lambda d: d["interventions"][0].update(topics=[{"slug": "x"}]),
            "interventions[0].topics: must be a list of topic slugs, not an object",
        ),
        (lambda d: d["studies"][0]["findings"][0].update(outcome=7), "unknown outcome 7"),
        (lambda d: d["studies"][0].update(findings=None), "studies[0].findings: must be a list"),
        (lambda d: d["studies"][0].update(year=True), "studies[0].year: must be a whole number"),
        (
            lambda d: d["studies"][0].update(id=10**19 - 1),
            "studies[0].id: ensure this value is less than or equal to 9223372036854775807",
        ),
        (
            lambda d: d["studies"][0].update(intervention_n=10**18),
            "studies[0].intervention_n: ensure this value is less than or equal to 2147483647",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_named(document, tmp_path, change, problem):
    bad = copy.deepcopy(document)
    change(bad)
    assert problem in rejected(write_document(tmp_path, bad))


def test_a_number_too_large_for_a_float_is_refused(document, tmp_path):
    bad = copy.deepcopy(document)
    finding = bad["studies"][0]["findings"][0]
    statistic = next(
        key for key in ["intervention_mean", "reported_effect_size"] if finding[key] is not None
    )
    finding[statistic] = "RAW:huge"
    message = rejected(write_document(tmp_path, bad, huge="1e400"))
    assert f"studies[0].findings[0].{statistic}: must be a finite number" in message


def test_a_whole_number_of_thousands_of_digits_deep_in_the_file_is_refused(document, tmp_path):
    bad = copy.deepcopy(document)
    bad["studies"][0]["intervention_n"] = "RAW:huge"
    message = rejected(write_document(tmp_path, bad, huge="7" * 5_000))
    assert "a whole number of 5000 digits" in message


def test_half_a_character_is_refused(document, tmp_path):
    # JSON may escape one half of a UTF-16 surrogate pair alone: it is no character.
    bad = copy.deepcopy(document)
    bad["interventions"][0]["description"] = "RAW:half"
    message = rejected(write_document(tmp_path, bad, half='"bad \\ud800 text"'))
    assert (
        'interventions[0].description: must be Unicode text, but has half a character ("\\ud800"'
        in message
    )
