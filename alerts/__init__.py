"""Email alerts: a reader subscribes to one intervention, an outcome area, a topic
or a whole search, and hears by email when one publishes a major version.

A separate app because it is the only part of the site that keeps personal data
(email addresses) and sends anything: it holds addresses only for this, deletes
them on unsubscribe, and reads the catalogue only through published versions.
"""
