"""The community assets directory, modelled on Open Referral HSDS 3.0.

Every HSDS object has its own table with the HSDS field names, so that the feed, the CSV
datapackage and the admin all speak the standard's language. Field descriptions are the
standard's own, shortened. A few fields are ours and say so: British National Grid
coordinates and the confidential flag on locations.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import functions  # noqa: F401  (models.functions.Coalesce)
from django.utils import timezone

from thedeal import geography


class HSDSRecord(models.Model):
    """An HSDS object: identified by a UUID, as the standard requires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


def _text(verbose_name: str = "", **kwargs: object) -> models.TextField:
    """An optional free-text HSDS field. Empty is stored as "" and left out of the feed."""
    return models.TextField(verbose_name or "", blank=True, default="", **kwargs)  # type: ignore[arg-type]


def _fk(to: object, related_name: str, **kwargs: object) -> models.ForeignKey:
    """An optional link to another HSDS object, by its id.

    HSDS links are identifiers, and real feeds (the standard's own examples among them) point at
    objects they do not include. The database therefore does not enforce the link
    (db_constraint=False): an import keeps such an identifier as given, and warns about it, so that
    a round trip loses nothing; the feed simply has nothing to nest there.
    """
    kwargs.setdefault("on_delete", models.CASCADE)
    return models.ForeignKey(
        to, null=True, blank=True, related_name=related_name, db_constraint=False, **kwargs
    )  # type: ignore[call-overload]


class Taxonomy(HSDSRecord):
    """A classification scheme that the directory's terms come from (e.g. the LGA lists)."""

    name = models.TextField(help_text="The name of the taxonomy.")
    description = models.TextField(help_text="What the taxonomy is for.")
    uri = _text(help_text="Where the taxonomy is published.")
    version = _text(help_text="The version of the taxonomy used.")

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HSDSRecord):
    """A term of a taxonomy, such as "Stop smoking", used to classify services."""

    code = _text(help_text="The term's code in its taxonomy.")
    name = models.TextField()
    description = models.TextField()
    parent = _fk("self", "children", help_text="The broader term this one sits under.")
    taxonomy = _text(help_text="The taxonomy's name, for feeds that have no taxonomy record.")
    taxonomy_detail = _fk(
        Taxonomy,
        "terms",
        on_delete=models.PROTECT,
        db_column="taxonomy_id",
        help_text="The taxonomy this term belongs to.",
    )
    language = _text(help_text="ISO 639 code of the language of the term.")
    term_uri = _text(help_text="The URI of the term in its taxonomy.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(HSDSRecord):
    """An organisation that provides services or looks after places."""

    name = models.TextField()
    alternate_name = _text()
    description = models.TextField()
    email = _text()
    website = _text()
    tax_status = _text()
    tax_id = _text()
    year_incorporated = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )
    legal_status = _text()
    logo = _text()
    uri = _text()
    parent_organization = _fk("self", "child_organizations")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(HSDSRecord):
    """An official identifier of an organisation: charity or company number, and so on."""

    organization = _fk(Organization, "organization_identifiers")
    identifier_scheme = _text(help_text='The org-id.guide scheme, e.g. "GB-CHC" or "GB-COH".')
    identifier_type = models.TextField()
    identifier = models.TextField()


class Program(HSDSRecord):
    """A group of services run together under one name by an organisation."""

    organization = _fk(Organization, "programs")
    name = models.TextField()
    alternate_name = _text()
    description = models.TextField()

    def __str__(self) -> str:
        return self.name


NO_WAY_OF_CONTACT = (
    "Keep at least one way to get in touch: an email address, a website or a phone number"
)


class Service(HSDSRecord):
    """Something an organisation offers to residents: a group, a clinic, advice, a park."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        INACTIVE = "inactive"
        DEFUNCT = "defunct"
        TEMPORARILY_CLOSED = "temporarily closed"

    organization = _fk(Organization, "services")
    program = _fk(Program, "services", on_delete=models.SET_NULL)
    name = models.TextField()
    alternate_name = _text()
    description = _text()
    url = _text()
    email = _text()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    wait_time = _text()
    fees = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    maximum_age = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the listing was last checked as correct."
    )
    assurer_email = _text(help_text="Who last checked the listing.")
    licenses = _text()
    alert = _text()
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_minimum_age_not_above_maximum",
                violation_error_message="The minimum age cannot be above the maximum age.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.assured_date and self.assured_date > timezone.localdate():
            raise ValidationError({"assured_date": "The assured date cannot be in the future."})

    def ways_of_contact(self, *, phone_numbers: Iterable[str]) -> list[str]:
        """How a resident can get in touch: the email address, website and phone numbers given."""
        return [way for way in (self.email, self.url, *phone_numbers) if way and way.strip()]

    def check_keeps_a_way_of_contact(self, *, phone_numbers: Iterable[str]) -> None:
        """Refuse an edit that leaves no way to get in touch with a listing that had one
        (`phone_numbers`: the numbers it will have). A listing that never had one (an import
        can bring such) may still be edited, and no edit is asked to invent one."""
        stored = None if self._state.adding else Service.objects.filter(pk=self.pk).first()
        if stored is None or self.ways_of_contact(phone_numbers=phone_numbers):
            return
        if stored.ways_of_contact(phone_numbers=stored.phones.values_list("number", flat=True)):
            raise ValidationError(NO_WAY_OF_CONTACT, code="no_way_of_contact")

    def is_stale(self, today: datetime.date | None = None) -> bool:
        """Whether the listing is overdue for re-verification (never verified counts as stale)."""
        if self.assured_date is None:
            return True
        today = today or timezone.localdate()
        return (today - self.assured_date).days > settings.DIRECTORY_STALE_AFTER_DAYS

    def mark_as_verified(self, *, by_email: str, on: datetime.date | None = None) -> None:
        """Record that someone checked the listing is correct today."""
        self.assured_date = on or timezone.localdate()
        self.assurer_email = by_email
        self.last_modified = timezone.now()


class LocationQuerySet(models.QuerySet):
    def refresh_service_counts(self) -> int:
        """Recount the services at these locations (after services-at-location change)."""
        here = ServiceAtLocation.objects.filter(location_id=models.OuterRef("pk"))
        counted = here.order_by().values("location_id").annotate(n=models.Count("*")).values("n")
        return self.update(service_count=models.functions.Coalesce(models.Subquery(counted), 0))


class Location(HSDSRecord):
    """Where services happen: a building, a park, a route, a website or a postal address."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical"
        POSTAL = "postal"
        VIRTUAL = "virtual"

    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    url = _text()
    organization = _fk(Organization, "locations")
    name = _text()
    alternate_name = _text()
    description = _text()
    transportation = _text()
    # No range validators here: HSDS sets no range and its own examples carry latitude 100.
    # Imports keep such values (with a warning); staff edits are checked in the admin form.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = _text()
    external_identifier_type = _text()
    # Ours, not HSDS: British National Grid coordinates (metres), so that distances within the
    # borough are plain arithmetic and proximity search needs no GIS extension.
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    # Ours, not HSDS: refuges and safe houses. A confidential location is never published: not its
    # address, not its coordinates, not a distance to it (see thedeal.directory.queries).
    confidential = models.BooleanField(
        default=False,
        help_text="A refuge or safe house: never shown publicly, never used in distance search.",
    )
    # Ours, derived: how many services-at-location are here, kept by refresh_service_counts, so
    # that "how many services within 2 km" is a sum over a few places, not a count of thousands
    # of services (see queries.NearbyServicesAtLocations).
    service_count = models.PositiveIntegerField(default=0, editable=False)

    objects = LocationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["easting", "northing"], name="location_grid_idx"),
            # The few confidential locations, found without reading every location.
            models.Index(
                fields=["confidential"],
                condition=models.Q(confidential=True),
                name="location_confidential_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="location_latitude_longitude_paired",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=models.Q(easting__isnull=True, northing__isnull=True)
                | models.Q(easting__isnull=False, northing__isnull=False),
                name="location_easting_northing_paired",
                violation_error_message="Give both easting and northing, or neither.",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_location_type_display()} location"

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_coordinates()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def fill_coordinates(self) -> bool:
        """Derive the grid reference from latitude/longitude, or the other way round.

        Returns False when the point is not in Great Britain, where the National Grid does not
        reach: the location then keeps its latitude/longitude and has no grid reference, so it
        takes no part in distance searches.
        """
        try:
            # Only from a whole pair: half a pair is refused by the model's constraints, and a
            # projection of half a point is no point at all.
            if self.latitude is not None and self.longitude is not None and self.easting is None:
                easting, northing = geography.wgs84_to_bng(self.latitude, self.longitude)
                self.easting, self.northing = round(easting), round(northing)
            elif self.easting is not None and self.northing is not None and self.latitude is None:
                self.latitude, self.longitude = geography.bng_to_wgs84(self.easting, self.northing)
        except ValueError:
            return False
        return True


class ServiceAtLocation(HSDSRecord):
    """A service delivered at a particular location."""

    service = _fk(Service, "service_at_locations")
    location = _fk(Location, "service_at_locations")
    description = _text()

    class Meta:
        verbose_name = "service at location"
        verbose_name_plural = "services at locations"


class Address(HSDSRecord):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical"
        POSTAL = "postal"
        VIRTUAL = "virtual"

    location = _fk(Location, "addresses")
    attention = _text()
    address_1 = models.TextField()
    address_2 = _text()
    city = models.TextField()
    region = _text()
    state_province = models.TextField(help_text="In England, the county or metropolitan county.")
    postal_code = models.TextField()
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. GB.")
    address_type = models.CharField(max_length=10, choices=AddressType.choices)

    class Meta:
        verbose_name_plural = "addresses"


class Contact(HSDSRecord):
    organization = _fk(Organization, "contacts")
    service = _fk(Service, "contacts")
    service_at_location = _fk(ServiceAtLocation, "contacts")
    location = _fk(Location, "contacts")
    name = _text()
    title = _text()
    department = _text()
    email = _text()


class Phone(HSDSRecord):
    location = _fk(Location, "phones")
    service = _fk(Service, "phones")
    organization = _fk(Organization, "phones")
    contact = _fk(Contact, "phones")
    service_at_location = _fk(ServiceAtLocation, "phones")
    number = models.TextField()
    extension = models.FloatField(null=True, blank=True)
    type = _text(help_text="text, voice, fax, cell, video, pager or textphone.")
    description = _text()


class Schedule(HSDSRecord):
    """When a service is open, as an iCalendar-style recurrence (RFC 5545 names)."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY"
        MONTHLY = "MONTHLY"

    class Weekday(models.TextChoices):
        MO = "MO", "Monday"
        TU = "TU", "Tuesday"
        WE = "WE", "Wednesday"
        TH = "TH", "Thursday"
        FR = "FR", "Friday"
        SA = "SA", "Saturday"
        SU = "SU", "Sunday"

    service = _fk(Service, "schedules")
    location = _fk(Location, "schedules")
    service_at_location = _fk(ServiceAtLocation, "schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True, help_text="Offset from UTC in hours.")
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, choices=Weekday.choices, blank=True, default="")
    freq = models.CharField(max_length=7, choices=Freq.choices, blank=True, default="")
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = _text(help_text='Days, e.g. "MO,WE" (weekly) or "1MO,3MO" (monthly).')
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = _text()
    attending_type = _text()
    notes = _text()

    def clean(self) -> None:
        """The rules every way of entering times applies (the admin, imports, editors' pages):
        days a calendar knows, and a closing time that differs from the opening time."""
        errors: dict[str, str] = {}
        if problem := self.problem_with_days():
            errors["byday"] = problem
        if self.closes_at is not None and self.opens_at is None:
            errors["opens_at"] = "Enter the time it opens, as well as the time it closes"
        elif (
            self.opens_at is not None
            and self.closes_at == self.opens_at
            # 00:00 to 00:00 is all day, as feeds write it.
            and self.closes_at != datetime.time(0, 0)
        ):
            errors["closes_at"] = "The time it closes must be different from the time it opens"
        # A closing time before the opening time runs past midnight (a night shelter from 10pm
        # to 7am, a helpline from 6pm to 2am): feeds publish such hours, and refusing them would
        # refuse a council's whole import.
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "The last date must be the same as or after the first date"
        if errors:
            raise ValidationError(errors)

    def problem_with_days(self) -> str:
        """Why `byday` is not a list of days for this frequency ("MO,WE" weekly; "1MO,-1FR",
        an ordinal and a day, monthly), or ""."""
        days = [d.strip().upper() for d in self.byday.split(",") if d.strip()]
        for day in days:
            ordinal, code = day[:-2], day[-2:]
            if code not in self.Weekday.values:
                return f"{day} is not a day: use MO, TU, WE, TH, FR, SA or SU"
            if ordinal and (self.freq != self.Freq.MONTHLY or ordinal not in _ORDINALS):
                return (
                    f"{day} is not a day of the week; only monthly times say which week, "
                    "from 1 to 4, or -1 for the last"
                )
        return ""

    def describe(self) -> str:
        """The schedule as a resident would say it: the listing's own description if it has
        one, else from the recurrence: "Mondays and Wednesdays, 10am to midday", "Monday to
        Friday, 9am to 5pm", "The first Tuesday of the month, 7pm to 9pm"."""
        if self.description:
            return self.description
        days = [d.strip().upper() for d in self.byday.split(",") if d.strip()]
        names = dict(self.Weekday.choices)
        when = ""
        if self.freq == self.Freq.MONTHLY and days:
            parts = []
            for day in days:
                ordinal, code = day[:-2], day[-2:]
                if code in names and ordinal in _ORDINALS:
                    parts.append(f"{_ORDINALS[ordinal]} {names[code]}")
            if parts:
                when = f"The {_and(parts)} of the month"
        elif days and all(d in names for d in days):
            order = list(names)
            positions = sorted(order.index(d) for d in set(days))
            if len(positions) == 7:
                when = "Every day"
            elif len(positions) >= 3 and positions == list(range(positions[0], positions[-1] + 1)):
                when = f"{names[order[positions[0]]]} to {names[order[positions[-1]]]}"
            else:
                when = _and([f"{names[order[p]]}s" for p in positions])
        hours = ""
        if self.opens_at and self.closes_at:
            hours = f"{_clock(self.opens_at)} to {_clock(self.closes_at)}"
        return ", ".join(part for part in (when, hours) if part)


_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _clock(time: datetime.time) -> str:
    """GOV.UK style: 10am, midday, 5:30pm, midnight."""
    if time.hour == 12 and time.minute == 0:
        return "midday"
    if time.hour == 0 and time.minute == 0:
        return "midnight"
    hour = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    return f"{hour}{minutes}{'am' if time.hour < 12 else 'pm'}"


class CostOption(HSDSRecord):
    service = _fk(Service, "cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = _text()
    currency = _text(help_text="ISO 4217 code, e.g. GBP.")
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = _text()

    def describe(self) -> str:
        """ "Adult swim: £5.60. Per swim.", "Free", or what the listing says."""
        if self.amount is None:
            price = ""
        elif self.amount == 0:
            price = "Free"
        else:
            symbol = "£" if self.currency.upper() in ("GBP", "") else f"{self.currency} "
            price = f"{symbol}{self.amount:,.2f}".removesuffix(".00")
        option = "" if self.option.strip().lower() == price.lower() else self.option
        head = ": ".join(part for part in (option, price) if part)
        return " ".join(f"{part.rstrip('.')}." for part in (head, self.amount_description) if part)


class ServiceArea(HSDSRecord):
    service = _fk(Service, "service_areas")
    name = _text()
    description = _text()
    extent = _text()
    extent_type = _text()
    uri = _text()

    # The ONS codes of areas that are a whole nation or more (England, Wales, Scotland,
    # Northern Ireland, the UK, Great Britain, England and Wales): a service offered in one of
    # them is national (a helpline, a website), and a resident is shown local help first.
    NATIONAL_CODES = ("E92000001", "W92000004", "S92000003", "N92000002", "K02000001",
                      "K03000001", "K04000001")  # fmt: skip

    @classmethod
    def national(cls) -> models.Q:
        """Service areas that are a whole nation, found by their ONS code at the end of `uri`."""
        condition = models.Q()
        for code in cls.NATIONAL_CODES:
            condition |= models.Q(uri__endswith=code)
        return condition


class Language(HSDSRecord):
    service = _fk(Service, "languages")
    location = _fk(Location, "languages")
    phone = _fk(Phone, "languages")
    name = _text()
    code = _text(help_text="ISO 639 code.")
    note = _text()


class Accessibility(HSDSRecord):
    location = _fk(Location, "accessibility")
    description = _text()
    details = _text()
    url = _text()

    class Meta:
        verbose_name_plural = "accessibility"


class Funding(HSDSRecord):
    organization = _fk(Organization, "funding")
    service = _fk(Service, "funding")
    source = _text()

    class Meta:
        verbose_name_plural = "funding"


class RequiredDocument(HSDSRecord):
    service = _fk(Service, "required_documents")
    document = _text()
    uri = _text()


class Attribute(HSDSRecord):
    """A taxonomy term attached to any HSDS object (link_entity names which table)."""

    link_id = models.UUIDField(null=True, blank=True)
    taxonomy_term = _fk(TaxonomyTerm, "attributes")
    link_type = _text()
    link_entity = _text()
    value = _text()

    class Meta:
        indexes = [models.Index(fields=["link_id"], name="attribute_link_idx")]


class Metadata(HSDSRecord):
    """The change history of HSDS objects: one row per changed field, as HSDS defines it."""

    resource_id = models.UUIDField(null=True, blank=True)
    resource_type = _text()
    last_action_date = models.DateField()
    last_action_type = models.TextField()
    field_name = models.TextField()
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.TextField()

    class Meta:
        verbose_name_plural = "metadata"
        indexes = [models.Index(fields=["resource_id"], name="metadata_resource_idx")]


class MetaTableDescription(HSDSRecord):
    name = _text()
    language = _text()
    character_set = _text()


class Report(models.Model):
    """ "Is this information wrong?": a resident's report about a listing, for the organisation
    and the directory team to act on. Not part of HSDS, never published in the feed."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        DONE = "done", "Dealt with"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reports")
    problem = models.TextField()
    # Personal data, kept only so someone can reply: optional, and cleared when dealt with.
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=4, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    dealt_with_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report about {self.service.name} ({self.created_at:%d %b %Y})"

    def mark_dealt_with(self) -> None:
        self.status = self.Status.DONE
        self.dealt_with_at = timezone.now()
        self.email = ""


class ListingSuggestion(models.Model):
    """A new listing proposed by a community organisation's editor. Nothing of it is published
    (not on the site, not in the feed) until directory staff approve it, which makes the
    service. Not part of HSDS."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="suggestions"
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="suggestions"
    )
    name = models.TextField()
    description = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    fees_description = models.TextField(blank=True)
    email = models.TextField(blank=True)
    url = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (suggested by {self.organization})"


# --- What search understands (not part of HSDS, never in the feed) ---------------------------

# Bounds that keep one search cheap whatever staff write: an entry has at most this many
# alternatives, each of at most this many words (thedeal.directory.vocabulary expands one level
# only, so an alternative that is itself an entry is not expanded again: no chains).
SYNONYM_MAX_ALTERNATIVES = 10
SYNONYM_MAX_WORDS = 4


def search_phrase(text: str) -> str:
    """A word or phrase as search sees it: its words, lower case, one space apart."""
    import re

    return " ".join(re.findall(r"[^\W_]+", text.lower()))


class SearchSynonym(models.Model):
    """What else a search for a word or phrase finds: "loneliness" also finds "lonely",
    "befriending" and "isolation"; a compound ("foodbank") finds its two words ("food bank").

    One way only: "loneliness" finding "befriending" does not make "befriending" find
    "loneliness" (add that entry too if it should). Directory staff edit the list in the admin;
    the shipped list is thedeal/directory/data/search_synonyms.csv (migration 0005)."""

    term = models.CharField(
        "Word or phrase residents type",
        max_length=100,
        unique=True,
        help_text="For example, loneliness. Up to 4 words; capitals and punctuation are ignored.",
    )
    alternatives = models.TextField(
        "Also find",
        help_text=(
            "Words or phrases the search also looks for, separated by commas: for example, "
            f"lonely, befriending, isolation. Up to {SYNONYM_MAX_ALTERNATIVES}, each up to "
            f"{SYNONYM_MAX_WORDS} words."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.CharField(max_length=254, blank=True, editable=False)

    class Meta:
        ordering = ["term"]
        verbose_name = "search synonym"

    def __str__(self) -> str:
        return f"{self.term} → {self.alternatives}"

    def alternative_list(self) -> list[str]:
        return [a for a in (search_phrase(p) for p in self.alternatives.split(",")) if a]

    def clean(self) -> None:
        """Normalise the entry and refuse what search could not use, saying what and where."""
        errors: dict[str, str] = {}
        self.term = search_phrase(self.term or "")
        if not self.term:
            errors["term"] = "Enter the word or phrase residents type, for example loneliness"
        elif len(self.term.split()) > SYNONYM_MAX_WORDS:
            errors["term"] = f"The word or phrase must be {SYNONYM_MAX_WORDS} words or fewer"
        elif SearchSynonym.objects.filter(term=self.term).exclude(pk=self.pk).exists():
            errors["term"] = f"“{self.term}” already has an entry: add to that one instead"
        # A comma at either end is a slip, not an empty alternative.
        listed = (self.alternatives or "").strip().strip(",")
        parts = [search_phrase(p) for p in listed.split(",")]
        alternatives = [p for p in parts if p]
        seen: set[str] = set()
        repeated = [a for a in alternatives if a in seen or seen.add(a)]  # type: ignore[func-returns-value]
        if not alternatives:
            errors["alternatives"] = "Enter at least one word or phrase to also find"
        elif any(not p for p in parts):
            errors["alternatives"] = (
                "An alternative is empty: remove the extra comma, or write a word between commas"
            )
        elif repeated:
            errors["alternatives"] = f"“{repeated[0]}” is listed twice: list each one once"
        elif self.term and self.term in alternatives:
            errors["alternatives"] = f"“{self.term}” is the word itself: it is always found"
        elif len(alternatives) > SYNONYM_MAX_ALTERNATIVES:
            errors["alternatives"] = (
                f"List {SYNONYM_MAX_ALTERNATIVES} alternatives or fewer (there are "
                f"{len(alternatives)}): split the entry, or keep the most useful"
            )
        elif long := [a for a in alternatives if len(a.split()) > SYNONYM_MAX_WORDS]:
            errors["alternatives"] = (
                f"“{long[0]}” is too long: each alternative must be {SYNONYM_MAX_WORDS} words "
                "or fewer"
            )
        if errors:
            raise ValidationError(errors)
        self.alternatives = ", ".join(alternatives)


class SearchVersion(models.Model):
    """One row whose token changes, in the same transaction, with every write that changes
    what search knows (the index, the synonyms): the caches of thedeal.directory.vocabulary are
    kept by token, so no process answers from a list or vocabulary older than the database's.
    A random token, not a counter, so a rolled-back write can never be mistaken for a later
    one."""

    token = models.UUIDField(default=uuid.uuid4)
