"""Static files in production: hashed names all the way down, so they can be cached
for good. GOV.UK Frontend's module, imported by our init.js, gets a hashed name too."""

import re

from django.core.management import call_command


def test_init_js_imports_govuk_frontend_by_its_hashed_name(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "evidence_store.storage.StaticStorage"},
    }

    call_command("collectstatic", "--no-input", verbosity=0)

    [init] = [
        p
        for p in (tmp_path / "js").glob("init.*.js")
        if re.fullmatch(r"init\.[0-9a-f]{12}\.js", p.name)
    ]
    govuk, *ours = re.findall(r'from "([^"]+)"', init.read_text())
    assert re.fullmatch(r"\.\./govuk/govuk-frontend\.min\.[0-9a-f]{12}\.js", govuk)
    assert ours and all(re.fullmatch(r"\./[a-z-]+\.[0-9a-f]{12}\.js", name) for name in ours)
    module = (tmp_path / "js" / govuk).resolve()
    assert module.exists()
    # One module: it imports nothing more, so the page loads its scripts in one wave.
    assert not re.search(r"\bimport\s*[{*\w]", module.read_text()[:2000])
    assert (module.parent / (module.name + ".gz")).exists()


def test_only_the_script_is_published_from_govuk_frontends_package(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path

    call_command("collectstatic", "--no-input", verbosity=0)

    published = {
        p.relative_to(tmp_path / "govuk").as_posix()
        for p in (tmp_path / "govuk").rglob("*")
        if p.is_file() and not re.search(r"\.[0-9a-f]{12}\.|\.gz$|\.br$", p.name)
    }
    assert published == {
        "govuk-frontend.min.js",
        "govuk-frontend.min.js.map",
        "assets/images/govuk-crest.svg",  # the footer's styles refer to it
    }


def test_the_finder_finds_the_script_and_nothing_else_of_the_package():
    from django.contrib.staticfiles import finders

    assert finders.find("govuk/govuk-frontend.min.js").endswith("govuk-frontend.min.js")
    assert finders.find("govuk/all.mjs") is None
    assert finders.find("govuk/../govuk/govuk-frontend.min.js") is None
    assert finders.find("govuk-frontend.min.js") is None
