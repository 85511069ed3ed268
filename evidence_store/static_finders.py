"""GOV.UK Frontend's script, and nearly nothing else from its package, as a static file.

The package also holds its Sass, Nunjucks templates, separate modules and
documentation: nearly a thousand files. Collected, they were public for no reason,
and whitenoise read every one of them each time a web worker started.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "govuk"
FILES = (
    "govuk-frontend.min.js",
    "govuk-frontend.min.js.map",
    # Only because GOV.UK Frontend's footer styles refer to it: no page shows it.
    "assets/images/govuk-crest.svg",
)


class GovukFrontendFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        location = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / "govuk"
        self.storage = FileSystemStorage(location=location)
        self.storage.prefix = PREFIX

    def find(self, path, find_all=False, **kwargs):
        name = path.removeprefix(f"{PREFIX}/")
        if name == path or name not in FILES or not self.storage.exists(name):
            return []  # as Django's own finders answer "not here"
        match = self.storage.path(name)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        for name in FILES:
            if self.storage.exists(name):
                yield name, self.storage
