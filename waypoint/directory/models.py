"""The public directory, modelled on Open Referral HSDS 3.

Field names follow the specification so that the HSDS API, import and export
map one to one. Waypoint's own needs (countries, translations, verification,
demo marking) are additions that HSDS output simply leaves out.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.lib.countries import COUNTRY_CHOICES


def _new_id() -> uuid.UUID:
    return uuid.uuid4()


class Translatable(models.Model):
    """Readable texts kept in several languages.

    The model's own fields hold the text in the listing's own ``language``;
    ``translations`` maps other language codes to ``{field: text}``. A reader
    gets their language when it exists and the listing's own otherwise.
    """

    TRANSLATED_FIELDS: ClassVar[tuple[str, ...]] = ()

    language = models.CharField(
        _("language of the listing"), max_length=8, default="en"
    )
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None) -> str:
        if language and language != self.language:
            text = self.translations.get(language, {}).get(field)
            if text:
                return str(text)
        return str(getattr(self, field) or "")

    def translated_language(self, field: str, language: str | None) -> str:
        """The language ``translated`` actually answers in."""
        if (
            language
            and language != self.language
            and self.translations.get(language, {}).get(field)
        ):
            return language
        return self.language


class Verifiable(models.Model):
    last_verified_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class ImportSource(models.Model):
    """A partner's file or feed that listings were imported from."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")

    def __str__(self) -> str:
        return self.name


class Organization(Translatable, Verifiable):
    TRANSLATED_FIELDS = ("name", "alternate_name", "description")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True, max_length=500)
    tax_status = models.CharField(_("tax status"), max_length=100, blank=True)
    tax_id = models.CharField(_("tax identifier"), max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(
        _("year incorporated"), null=True, blank=True
    )
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    logo = models.URLField(_("logo"), blank=True, max_length=500)
    uri = models.URLField(_("URI"), blank=True, max_length=500)
    parent_organization = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Invented for demonstration: not real contact data."),
    )
    source = models.ForeignKey(
        ImportSource,
        verbose_name=_("import source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [("edit_directory", "Can edit the public directory")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", kwargs={"pk": self.pk})


class Service(Translatable, Verifiable):
    TRANSLATED_FIELDS = (
        "name",
        "alternate_name",
        "description",
        "eligibility_description",
        "application_process",
        "fees_description",
        "interpretation_services",
        "wait_time",
        "alert",
    )

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("website"), blank=True, max_length=500)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    wait_time = models.CharField(_("wait time"), max_length=200, blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    eligibility_description = models.TextField(_("eligibility"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True
    )
    alert = models.TextField(_("alert"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    source = models.ForeignKey(
        ImportSource,
        verbose_name=_("import source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified"), default=timezone.now)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["updated_at"]),
            # The few services that are not public (inactive, defunct): the
            # number of public ones is the table's count less these (see
            # ``api.selectors.public_services_count``).
            models.Index(
                fields=["status"],
                name="directory_service_not_public",
                condition=~models.Q(status__in=["active", "temporarily closed"]),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service", kwargs={"pk": self.pk})


class Location(Translatable):
    TRANSLATED_FIELDS = ("name", "alternate_name", "description", "transportation")

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="locations",
        null=True,
        blank=True,
    )
    location_type = models.CharField(
        _("location type"),
        max_length=10,
        choices=LocationType.choices,
        default=LocationType.PHYSICAL,
    )
    url = models.URLField(_("website"), blank=True, max_length=500)
    name = models.CharField(_("name"), max_length=300, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("getting there"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(
        _("external identifier"), max_length=200, blank=True
    )
    external_identifier_type = models.CharField(
        _("external identifier type"), max_length=200, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified"), default=timezone.now)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or str(self.pk)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="unique_service_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Address(models.Model):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="addresses",
    )
    attention = models.CharField(_("for the attention of"), max_length=200, blank=True)
    address_1 = models.CharField(_("street address"), max_length=300)
    address_2 = models.CharField(_("address line 2"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    state_province = models.CharField(_("county or province"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    address_type = models.CharField(
        _("address type"),
        max_length=10,
        choices=AddressType.choices,
        default=AddressType.PHYSICAL,
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(
        pgettext_lazy("job title", "title"), max_length=200, blank=True
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.department or str(self.pk)


class Phone(models.Model):
    class PhoneType(models.TextChoices):
        VOICE = "voice", _("voice")
        CELL = "cell", _("mobile")
        TEXT = "text", _("text message")
        FAX = "fax", _("fax")
        VIDEO = "video", _("video")
        PAGER = "pager", _("pager")
        TEXTPHONE = "textphone", _("textphone")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
    )
    number = models.CharField(
        _("number"),
        max_length=32,
        help_text=_("Stored in E.164 form, e.g. +40211234567."),
    )
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(
        _("type"), max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Schedule(Translatable):
    """A recurring opening rule, in the iCalendar terms HSDS uses."""

    TRANSLATED_FIELDS = ("description", "notes")

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("weekly")
        MONTHLY = "MONTHLY", _("monthly")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("first occurrence"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    wkst = models.CharField(_("week start"), max_length=2, blank=True)
    freq = models.CharField(
        _("frequency"), max_length=10, choices=Freq.choices, default=Freq.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(
        _("days"), max_length=40, blank=True, help_text=_("For example MO,TU,WE")
    )
    byweekno = models.CharField(_("week numbers"), max_length=100, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=100, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(_("schedule link"), blank=True, max_length=500)
    attending_type = models.CharField(_("attending type"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def days(self) -> list[str]:
        return [d.strip() for d in self.byday.split(",") if d.strip()]


class Language(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="languages",
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="languages",
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("language code"), max_length=8, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.code or self.name


class ServiceArea(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_areas",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=20, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cost_options",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.CharField(_("option"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_description = models.CharField(
        _("amount description"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Accessibility(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accessibility",
    )
    description = models.TextField(_("description"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("website"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return self.description[:50]


class RequiredDocument(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="required_documents",
    )
    document = models.CharField(_("document"), max_length=300, blank=True)
    uri = models.URLField(_("URI"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.document


class Url(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    label = models.CharField(_("label"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="urls",
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="urls"
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.url


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    # NULL, not "", for taxonomies imported without a code: unique ignores NULLs.
    code = models.SlugField(_("code"), max_length=60, unique=True, null=True)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    uri = models.URLField(_("URI"), blank=True, max_length=500)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Translatable):
    TRANSLATED_FIELDS = ("name", "description")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    taxonomy_ref = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomy"),
        on_delete=models.CASCADE,
        related_name="terms",
        null=True,
        blank=True,
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    taxonomy = models.CharField(
        _("taxonomy name"), max_length=200, blank=True
    )  # HSDS's free-text taxonomy name, for terms of unknown taxonomies
    term_uri = models.URLField(_("term URI"), blank=True, max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["taxonomy_ref", "code"])]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A taxonomy term attached to any directory object (HSDS ``attribute``)."""

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    link_id = models.UUIDField(_("linked object"))
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    link_entity = models.CharField(_("linked table"), max_length=50)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("taxonomy term"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    value = models.CharField(_("value"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        indexes = [
            models.Index(fields=["link_entity", "link_id"]),
            models.Index(fields=["taxonomy_term", "link_entity"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["link_entity", "link_id", "taxonomy_term"],
                name="unique_attribute_term_per_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} → {self.taxonomy_term_id}"


class ChangeRecord(models.Model):
    """Who changed which field of a listing, when, from what to what.

    This is HSDS's ``metadata`` object; ``organization_id`` groups every
    change under the listing it belongs to so one page shows its history.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        VERIFY = "verify", _("checked")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization_id = models.UUIDField(db_index=True, null=True)
    resource_id = models.UUIDField()
    resource_type = models.CharField(max_length=50)
    action = models.CharField(max_length=10, choices=Action.choices)
    field_name = models.CharField(max_length=100, blank=True)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resource_type", "resource_id"])]

    def __str__(self) -> str:
        return f"{self.resource_type}.{self.field_name} {self.action}"

    @property
    def updated_by(self) -> str:
        if self.actor_id is not None and self.actor is not None:
            return self.actor.get_username()
        return self.actor_label or "system"


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
