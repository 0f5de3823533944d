"""The search index: tables derived from the listings, never edited.

``waypoint.directory.search.search_index_refresh`` rebuilds a service's folded
search document, its filterable facets and its weekly opening intervals from
the listing, so that a search, its facet counts and "open now" are indexed
lookups.
"""

from __future__ import annotations

from django.db import models

from waypoint.directory.models.listings import Service

# --- Search index ---


class SearchEntry(models.Model):
    """A service's folded search document, kept by ``search_index_refresh``.

    SQLite indexes it with an FTS5 external-content table, PostgreSQL with a
    generated ``tsvector`` column; both are created in the migrations.
    """

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, related_name="search_entry"
    )
    name_doc = models.TextField()
    body_doc = models.TextField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    timezone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["is_active", "service"]),
            # Lists results in name order without sorting every match.
            models.Index(
                fields=["is_active", "name_doc"], name="directory_se_active_name"
            ),
        ]

    def __str__(self) -> str:
        return f"search entry {self.pk}"


class ServiceFacet(models.Model):
    """One filterable value of a service (country, city, type, …).

    One narrow table for every facet makes filtering and counting the same
    query whatever the facet.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "facet", "value"], name="unique_service_facet"
            )
        ]
        indexes = [models.Index(fields=["facet", "value", "service"])]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class ServiceOpening(models.Model):
    """A service's weekly opening interval, flattened from every schedule.

    Minutes since midnight in the service's local time; ``search_index_refresh``
    rebuilds the rows so that "open now" is one indexed lookup.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField()  # Monday is 0
    opens = models.PositiveSmallIntegerField()
    closes = models.PositiveSmallIntegerField()
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["service", "weekday"])]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"
