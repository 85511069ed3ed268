"""sitemap.xml: the public pages, every published intervention and every version."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from publishing.models import Listing, Version


class PagesSitemap(Sitemap):
    def items(self) -> list[str]:
        return [
            "interventions:home",
            "interventions:list",
            "interventions:methods",
            "data",
            "api_docs",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class InterventionsSitemap(Sitemap):
    def items(self):
        return Listing.objects.defer("search_text", "search_vector").order_by("slug")

    def lastmod(self, item: Listing):
        return item.published_at


class VersionsSitemap(Sitemap):
    def items(self):
        return (
            Version.objects.filter(intervention__listing__isnull=False)
            .select_related("intervention__listing")
            .defer("content")
            .order_by("intervention_id", "number")
        )

    def lastmod(self, item: Version):
        return item.published_at


SITEMAPS = {
    "pages": PagesSitemap,
    "interventions": InterventionsSitemap,
    "versions": VersionsSitemap,
}
