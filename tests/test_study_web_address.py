"""A study's web address is linked on its public page: only http and https, however it is
written (the model's rule, the admin, the import, and a database constraint last of all)."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ratings.models import Study
from tests import factories
from tests.test_admin import change_url, page_form, type_in
from tests.test_catalogue_io import assert_rejected, empty_the_database, export_text, index_of

SCRIPT = "javascript:alert(document.cookie)"
DATA = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
NOT_LINKED = [
    SCRIPT,
    "JavaScript:alert(1)",
    DATA,
    "ftp://files.example.org/trial.pdf",
    "vbscript:msgbox(1)",
]
MESSAGE = "Enter a web address that starts with https:// or http://."


@pytest.fixture
def study(published_intervention):
    return factories.make_study(published_intervention, url="https://example.org/trial")


@pytest.mark.parametrize("url", NOT_LINKED)
def test_the_model_refuses_an_address_that_is_not_http(study, url):
    study.url = url
    with pytest.raises(ValidationError) as raised:
        study.full_clean()
    assert raised.value.message_dict == {"url": [MESSAGE]}


@pytest.mark.parametrize("url", ["https://example.org/trial", "http://example.org/a?b=c", ""])
def test_the_model_accepts_http_and_https(study, url):
    study.url = url
    study.full_clean()


@pytest.mark.parametrize("url", NOT_LINKED)
def test_the_database_refuses_an_address_that_is_not_http(study, url):
    with pytest.raises(IntegrityError, match="study_url_is_http"), transaction.atomic():
        Study.objects.filter(pk=study.pk).update(url=url)
    with pytest.raises(IntegrityError, match="study_url_is_http"), transaction.atomic():
        factories.make_study(url=url)
    study.refresh_from_db()
    assert study.url == "https://example.org/trial"


@pytest.mark.parametrize("url", [SCRIPT, DATA, "ftp://files.example.org/trial.pdf"])
def test_the_admin_refuses_an_address_that_is_not_http(curator_client, study, url):
    data = page_form(curator_client, change_url(study), "study_form")
    type_in(data, url=url)

    response = curator_client.post(change_url(study), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] in (["Enter a valid URL."], [MESSAGE])
    study.refresh_from_db()
    assert study.url == "https://example.org/trial"


@pytest.mark.parametrize("url", [SCRIPT, DATA, "ftp://files.example.org/trial.pdf"])
def test_the_import_refuses_an_address_that_is_not_http(tmp_path, study, url):
    document = json.loads(export_text())
    empty_the_database()
    bad = copy.deepcopy(document)
    index = index_of(bad["studies"], "id", study.pk)
    bad["studies"][index]["url"] = url
    assert_rejected(tmp_path, bad, f"studies[{index}].url: enter a web address that starts with")


def test_an_address_typed_without_its_scheme_is_taken_as_https(curator_client, study):
    data = page_form(curator_client, change_url(study), "study_form")
    type_in(data, url="example.org/follow-up")

    assert curator_client.post(change_url(study), data).status_code == 302
    study.refresh_from_db()
    assert study.url == "https://example.org/follow-up"
