from django.contrib.sitemaps.views import sitemap
from django.urls import path

from opendata import feeds, views
from opendata.sitemaps import SITEMAPS

urlpatterns = [
    path("data/", views.data_page, name="data"),
    path("data/<str:name>", views.data_file, name="data_file"),
    path("feeds/major-changes.atom", feeds.MajorVersions(), name="feed"),
    path("feeds/outcome-areas/<slug:slug>.atom", feeds.AreaFeed(), name="feed_area"),
    path("feeds/topics/<slug:slug>.atom", feeds.TopicFeed(), name="feed_topic"),
    path("feeds/search.atom", feeds.search_feed, name="feed_search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
