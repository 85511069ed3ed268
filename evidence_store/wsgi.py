"""The WSGI entry point for gunicorn and runserver.

Django's own handler, with a request class that refuses charsets it cannot read
(evidence_store/charsets.py): the request is built before any middleware runs.
"""

import os

import django

from evidence_store.charsets import CharsetCheckedWSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evidence_store.settings")
django.setup(set_prefix=False)
application = CharsetCheckedWSGIHandler()
