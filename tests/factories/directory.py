"""Factories for directory records: one per model, building small, valid HSDS objects."""

import datetime

import factory
from django.utils import timezone

from thedeal.directory import models

# A point in Wigan town centre (WN1), on the National Grid.
WIGAN_CENTRE = (357900, 405800)


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Taxonomy

    name = "Test categories"
    description = "Categories for tests."


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TaxonomyTerm

    name = factory.Sequence(lambda n: f"Category {n}")
    description = factory.LazyAttribute(lambda o: f"Services about {o.name.lower()}.")
    taxonomy_detail = factory.SubFactory(TaxonomyFactory)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization

    name = factory.Sequence(lambda n: f"Community Group {n}")
    description = "A community group for tests."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A service for tests."
    status = models.Service.Status.ACTIVE
    assured_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    assurer_email = "checker@example.org.uk"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location

    location_type = models.Location.LocationType.PHYSICAL
    name = factory.Sequence(lambda n: f"Community Centre {n}")
    easting = WIGAN_CENTRE[0]
    northing = WIGAN_CENTRE[1]


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "1 Library Street"
    city = "Wigan"
    state_province = "Greater Manchester"
    postal_code = "WN1 1NN"
    country = "GB"
    address_type = models.Address.AddressType.PHYSICAL


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Schedule

    service = factory.SubFactory(ServiceFactory)
    freq = models.Schedule.Freq.WEEKLY
    byday = "MO"
    opens_at = datetime.time(10, 0)
    closes_at = datetime.time(12, 0)


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    """Where a service is offered; by default the whole of England (a national helpline's)."""

    class Meta:
        model = models.ServiceArea

    service = factory.SubFactory(ServiceFactory)
    name = "England"
    uri = "http://statistics.data.gov.uk/id/statistical-geography/E92000001"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Phone

    number = "01942 000000"


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attribute

    taxonomy_term = factory.SubFactory(TaxonomyTermFactory)
    link_entity = "service"
    link_type = "service_category"


def refuge(*, easting: int = 358000, northing: int = 405000) -> models.ServiceAtLocation:
    """A domestic abuse service at a safe house: the persona for every confidentiality test.

    The service has a public helpline (0800 000 111) and the refuge's own line (01942 222 333,
    linked to both, and saved as staff do, so its change history names the refuge). The refuge
    has an address (12 Secret Street), a manager with a mobile (07700 900123) and a note on its
    address: none of which may ever be published, the line linked to the service included.
    """
    from thedeal.directory import actions

    sal = ServiceAtLocationFactory(
        service=ServiceFactory(name="Safe house support"),
        location=LocationFactory(
            name="Refuge", confidential=True, easting=easting, northing=northing
        ),
    )
    address = AddressFactory(location=sal.location, address_1="12 Secret Street")
    PhoneFactory(service=sal.service, number="0800 000 111")
    actions.save_listing(
        instance=models.Phone(service=sal.service, location=sal.location, number="01942 222 333"),
        previous=None,
        by="dana.officer@example.gov.uk",
    )
    manager = models.Contact.objects.create(location=sal.location, name="Refuge manager")
    PhoneFactory(contact=manager, number="07700 900123")
    AttributeFactory(link_id=address.id, link_entity="address")
    return sal
