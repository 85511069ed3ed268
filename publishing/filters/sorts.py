"""The list's sorts: their names, and each but best match as an ORDER BY.

The downloads, and a search sorted by best match, sort in SQL with these. The
facet index numbers every row in each of these orders once per catalogue state
(facets.py), so a page of the list is picked in memory and fetched by id. The
last key, the id, makes each order total, so SQL and the index always agree.
"""

from django.db.models import F

SORTS = {
    "relevance": "Best match",
    "evidence": "Evidence strength, strongest first",
    "cost": "Cost, lowest first",
    "name": "Name, A to Z",
    "updated": "Recently updated",
}

ORDERS = {
    "evidence": (F("evidence_rank").desc(nulls_last=True), "name", "pk"),
    "cost": (F("cost_rank").asc(nulls_last=True), "name", "pk"),
    "name": ("name", "pk"),
    "updated": ("-published_at", "name", "pk"),
}
