"""Atom feeds of major versions: the whole catalogue, an outcome area, a topic, or
any search of the list (the list page links to its own as "Get updates for this
search"). Each entry gives the change note, and links to the version and to what
changed since the one before. Minor versions (wording) are left out."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from api.listing_search import matching
from interventions.models import OutcomeDomain, Topic
from publishing.models import Listing, Version

ENTRIES = 50
CATALOGUE_TITLE = "Evidence Store: major changes"


class BadSearch(Exception):
    """Part of a search's query string could not be used; the message says which."""


def major_versions(listings):
    return (
        Version.objects.filter(change=Version.Change.MAJOR, intervention__listing__in=listings)
        .select_related("intervention__listing")
        .defer("content")
        .order_by("-published_at", "-pk")[:ENTRIES]
    )


class MajorVersions(Feed):
    feed_type = Atom1Feed
    subtitle = "New interventions, and changes to ratings, costs or evidence."

    def get_object(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        return {
            "title": CATALOGUE_TITLE,
            "listings": Listing.objects.all(),
            "link": "/interventions/",
        }

    def title(self, obj) -> str:
        return obj["title"]

    def link(self, obj) -> str:
        return obj["link"]

    def items(self, obj):
        return major_versions(obj["listings"])

    def item_title(self, item: Version) -> str:
        return f"{item.intervention.listing.name}: version {item.number}"

    def item_description(self, item: Version) -> str:
        changes = ""
        if item.number > 1:
            url = self.request.build_absolute_uri(
                reverse("interventions:changes", args=[item.intervention.listing.slug])
                + f"?from={item.number - 1}&to={item.number}"
            )
            changes = format_html(
                ' <a href="{}">What changed since version {}</a>.', url, item.number - 1
            )
        return format_html("<p>{}{}</p>", item.change_note, changes)

    def item_link(self, item: Version) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Version):
        return item.published_at

    def item_updateddate(self, item: Version):
        return item.published_at


class AreaFeed(MajorVersions):
    def get_object(self, request, slug: str):
        self.request = request
        area = get_object_or_404(OutcomeDomain, slug=slug)
        return {
            "title": f"Evidence Store: major changes in {area.name}",
            "listings": Listing.objects.filter(domains__contains=[slug]),
            "link": reverse("interventions:list") + f"?domain={slug}",
        }


class TopicFeed(MajorVersions):
    def get_object(self, request, slug: str):
        self.request = request
        topic = get_object_or_404(Topic, slug=slug)
        return {
            "title": f"Evidence Store: major changes about {topic.name}",
            "listings": Listing.objects.filter(topics__contains=[slug]),
            "link": reverse("interventions:list") + f"?topic={slug}",
        }


class SearchFeed(MajorVersions):
    def get_object(self, request):
        self.request = request
        rows, problems = matching(request.GET)
        if problems:
            raise BadSearch(" ".join(problems))
        return {
            "title": "Evidence Store: major changes in your search",
            "listings": rows.order_by().values("pk"),
            "link": reverse("interventions:list") + "?" + request.GET.urlencode(),
        }


def search_feed(request: HttpRequest) -> HttpResponse:
    """The feed for a search; a search we cannot use gets a 400 in the list's words."""
    try:
        return SearchFeed()(request)
    except BadSearch as problems:
        return HttpResponseBadRequest(
            f"We could not make this feed: {problems}", content_type="text/plain; charset=utf-8"
        )
