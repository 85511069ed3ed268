"""Static files under hashed names, compressed, and cached for good.

whitenoise's compressed manifest storage, also rewriting JavaScript module imports
(`import ... from "../govuk/govuk-frontend.min.js"`) to the hashed names, so a
module and everything it imports can be cached for ever and change name when
they change.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
