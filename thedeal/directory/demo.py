"""A synthetic, seeded community-assets directory for the demo borough (Wigan, E08000010).

``generate_directory`` returns HSDS 3.0 tabular data: a dict keyed by the official CSV file
stems (``services``, ``locations``, ...), each a list of rows whose keys are exactly the
official CSV columns (plus our ``easting``/``northing``/``confidential`` extension columns on
``locations``). ``thedeal load_demo`` passes the result to the normal HSDS importer, so the
demo exercises the same code path as a council's real feed.

Everything here is invented except the geography: locations sit on real borough postcodes (from
the ONS postcode directory, via ``geography.borough_postcodes()``) and council-run parks and
routes carry real Wigan place names, because a demo map with parks in the wrong places would
look broken. Every organisation and service description says "Synthetic demonstration listing."
and every organisation carries the "Synthetic demonstration data" term, so nobody mistakes the
demo for the council's directory. In particular:

* Organisations are fictional, including the national charities: we do not attach invented
  services to real charities' names.
* Phone numbers come from Ofcom's ranges reserved for TV and radio drama (for example
  0161 496 0xxx and 07700 900xxx), which are never allocated to anyone. Random 01942
  numbers would ring real Wigan households when someone tries the demo.
* Web and email addresses use the reserved ``example.org``/``example.com`` domains (RFC 2606).
* Charity numbers are drawn above the range the Charity Commission has issued so far, and
  company numbers well above Companies House's current sequence, so they match nobody.

The module is plain Python (no Django import) so that it can be tested and benchmarked without
settings or a database. All randomness comes from one ``random.Random(seed)`` and every id is a
UUID drawn from it, so the same ``seed``, ``services``, ``organizations``, ``as_of`` and postcode
list give exactly the same output. Relative dates (assured dates, schedule validity, cost
periods) are computed from ``as_of``, never from the clock.

Value types, as the importer receives them: ids and text are ``str``; empty values are ``None``
(never ""); ages are ``int``; dates ``datetime.date``; ``opens_at``/``closes_at`` naive
``datetime.time`` in UK local time (``timezone`` is left empty, as the ORUK profile drops it);
``last_modified`` an aware UTC ``datetime.datetime``; money ``decimal.Decimal``; latitude and
longitude ``float``; easting and northing ``int``; ``confidential`` ``bool``.
"""

from __future__ import annotations

import datetime
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Protocol

__all__ = [
    "DEMO_TAXONOMY_NAME",
    "HSDS_TABLE_COLUMNS",
    "LOCATION_EXTENSION_COLUMNS",
    "PROVENANCE_TAXONOMY_NAME",
    "SYNTHETIC_NOTE",
    "SYNTHETIC_TERM_NAME",
    "PostcodeLike",
    "generate_directory",
]


class PostcodeLike(Protocol):
    """A postcode centroid, such as ``geography.Postcode``.

    Read-only properties, so that frozen dataclasses and named tuples satisfy the protocol.
    """

    @property
    def postcode(self) -> str: ...
    @property
    def easting(self) -> int: ...
    @property
    def northing(self) -> int: ...
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...
    @property
    def ward_code(self) -> str | None: ...
    @property
    def ward_name(self) -> str | None: ...
    @property
    def lsoa_code(self) -> str | None: ...


Row = dict[str, object]
Tables = dict[str, list[Row]]

# --------------------------------------------------------------------------------------------
# The HSDS 3.0 tables, with their columns in the official order
# (openreferral/specification 3.0, examples/csv/*.csv).
# --------------------------------------------------------------------------------------------

HSDS_TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "organizations": (
        "id", "name", "alternate_name", "description", "email", "website", "tax_status",
        "tax_id", "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
    ),
    "services": (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
        "email", "status", "interpretation_services", "application_process",
        "fees_description", "wait_time", "fees", "accreditations", "eligibility_description",
        "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses", "alert",
        "last_modified",
    ),
    "locations": (
        "id", "location_type", "url", "organization_id", "name", "alternate_name",
        "description", "transportation", "latitude", "longitude", "external_identifier",
        "external_identifier_type",
    ),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "addresses": (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region",
        "state_province", "postal_code", "country", "address_type",
    ),
    "phones": (
        "id", "location_id", "service_id", "organization_id", "contact_id",
        "service_at_location_id", "number", "extension", "type", "description",
    ),
    "schedules": (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
        "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday",
        "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at",
        "schedule_link", "attending_type", "notes",
    ),
    "cost_options": (
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount",
        "amount_description",
    ),
    "languages": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "accessibility": ("id", "location_id", "description", "details", "url"),
    "taxonomies": ("id", "name", "description", "uri", "version"),
    "taxonomy_terms": (
        "id", "code", "name", "description", "parent_id", "taxonomy", "language",
        "taxonomy_id", "term_uri",
    ),
    "attributes": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
    "contacts": (
        "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name",
        "title", "department", "email",
    ),
    "service_areas": ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    "funding": ("id", "organization_id", "service_id", "source"),
    "programs": ("id", "organization_id", "name", "alternate_name", "description"),
    "required_documents": ("id", "service_id", "document", "uri"),
    "organization_identifiers": (
        "id", "organization_id", "identifier_scheme", "identifier_type", "identifier",
    ),
    "metadata": (
        "id", "resource_id", "resource_type", "last_action_date", "last_action_type",
        "field_name", "previous_value", "replacement_value", "updated_by",
    ),
}  # fmt: skip

#: Our columns beyond HSDS on ``locations`` (``hsds.EXTENSION_COLUMNS`` on the import side).
LOCATION_EXTENSION_COLUMNS: Final = ("easting", "northing", "confidential")

#: Said in every organisation and service description.
SYNTHETIC_NOTE: Final = "Synthetic demonstration listing."
DEMO_TAXONOMY_NAME: Final = "The Deal community assets"
PROVENANCE_TAXONOMY_NAME: Final = "Data provenance"
SYNTHETIC_TERM_NAME: Final = "Synthetic demonstration data"

_LAD_CODE: Final = "E08000010"
_STATGEO: Final = "http://statistics.data.gov.uk/id/statistical-geography/"
_TAXONOMY_BASE: Final = "https://thedeal.example.org/taxonomies/"
_DIRECTORY_EMAIL: Final = "directory@wigan-council.example.org"

# The default ratio of organisations to services (1,500 services from 600 organisations).
_ORGANIZATIONS_PER_SERVICE: Final = 0.4
# Share of physical locations that are refuges or safe houses.
_CONFIDENTIAL_SHARE: Final = 0.05
# Locations sit within this distance of their postcode centroid: near enough that the postcode
# is still right, far enough that services sharing a postcode do not stack on one map pin.
_JITTER_M: Final = 149.0
# ORUK expects re-verification every 3 months; about 30% of listings are made older than that,
# which is typical of a directory that relies on providers to keep it fresh.
_STALE_SHARE: Final = 0.30
_FRESH_DAYS: Final = 90
_OLDEST_DAYS: Final = 183

# --------------------------------------------------------------------------------------------
# Geography: the borough's towns. Centres are approximate BNG coordinates; each postcode is
# given to the nearest centre, which is good enough for an address's town and needs no
# boundary data. Street and neighbourhood names are real places in each town.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Town:
    name: str
    easting: int
    northing: int
    hoods: tuple[str, ...]
    streets: tuple[str, ...]
    transport: str


_TOWNS: Final[tuple[_Town, ...]] = (
    _Town(
        "Wigan", 358000, 405800,
        ("Scholes", "Whelley", "Swinley", "Beech Hill", "Gidlow", "Springfield", "Newtown",
         "Worsley Mesnes", "Marsh Green", "Norley Hall", "Kitt Green", "Poolstock",
         "Worsley Hall", "Goose Green"),
        ("Standishgate", "Wallgate", "Library Street", "Market Place", "Millgate",
         "Mesnes Street", "Darlington Street", "Gidlow Lane", "Wigan Lane", "Poolstock Lane",
         "Woodhouse Lane", "Frog Lane", "Greenough Street", "Kenyon Road"),
        "Wigan bus station is close by, and Wigan North Western and Wigan Wallgate railway "
        "stations are about ten minutes' walk away.",
    ),
    _Town(
        "Leigh", 365700, 399900,
        ("Bedford", "Pennington", "Higher Folds", "Westleigh", "Plank Lane"),
        ("Bradshawgate", "Railway Road", "Lord Street", "St Helens Road", "Twist Lane",
         "Church Street", "Chapel Street", "Leigh Road", "Windermere Road"),
        "Leigh bus station and the guided busway to Manchester are nearby.",
    ),
    _Town(
        "Atherton", 367500, 403400,
        ("Hag Fold", "Howe Bridge", "Shakerley", "Chanters"),
        ("Market Street", "Bolton Road", "Mealhouse Lane", "Tyldesley Road", "Leigh Road"),
        "Atherton railway station is within walking distance; buses run along Bolton Road.",
    ),
    _Town(
        "Tyldesley", 369400, 402400,
        ("Mosley Common", "Parr Brow", "Garrett Hall"),
        ("Elliott Street", "Castle Street", "Shuttle Street", "Astley Street",
         "Manchester Road"),
        "The Tyldesley guided busway stop is nearby, with frequent buses to Leigh and "
        "Manchester.",
    ),
    _Town(
        "Hindley", 362200, 404300,
        ("Hindley Green", "Castle Hill", "Borsdane", "Leyland Park"),
        ("Market Street", "Atherton Road", "Liverpool Road", "Bridgecroft", "Wigan Road",
         "Ladies Lane"),
        "Hindley railway station is about ten minutes' walk away.",
    ),
    _Town(
        "Ince", 359200, 404300,
        ("Higher Ince", "Lower Ince", "Spring View", "Rose Bridge"),
        ("Manchester Road", "Ince Green Lane", "Belle Green Lane", "Warrington Road"),
        "Ince railway station is nearby; buses run along Manchester Road.",
    ),
    _Town(
        "Standish", 356400, 410200,
        ("Standish Lower Ground", "Langtree", "Almond Brook", "Boars Head"),
        ("High Street", "Preston Road", "Church Street", "School Lane", "Wigan Road",
         "Almond Brook Road"),
        "Buses to Wigan town centre run along the A49 through Standish.",
    ),
    _Town(
        "Orrell", 353400, 403500,
        ("Orrell Post", "Winstanley", "Kitt Green"),
        ("Orrell Road", "Church Street", "Sandy Lane", "Moor Road", "Lodge Road"),
        "Orrell railway station is about fifteen minutes' walk away.",
    ),
    _Town(
        "Ashton-in-Makerfield", 357600, 399100,
        ("Bryn", "Stubshaw Cross", "Downall Green", "Town Green"),
        ("Gerard Street", "Bryn Street", "Wigan Road", "Warrington Road", "Heath Road",
         "Princess Road"),
        "Buses run along Gerard Street to Wigan and St Helens; Bryn railway station is nearby.",
    ),
    _Town(
        "Golborne", 361000, 398000,
        ("Edge Green", "Stone Cross", "Golborne Dale"),
        ("Heath Street", "High Street", "Church Street", "Bridge Street", "Legh Street"),
        "Buses to Leigh, Wigan and Warrington stop close by.",
    ),
    _Town(
        "Lowton", 362800, 397300,
        ("Lane Head", "Lowton St Mary's", "Lowton Common", "Lowton St Luke's"),
        ("Newton Road", "Slag Lane", "Church Lane", "Heath Lane"),
        "Buses run along Newton Road to Leigh and Newton-le-Willows.",
    ),
    _Town(
        "Shevington", 354500, 408600,
        ("Appley Bridge", "Gathurst", "Shevington Moor", "Shevington Vale"),
        ("Broad o' th' Lane", "Shevington Lane", "Miles Lane", "Gathurst Road"),
        "Gathurst and Appley Bridge railway stations are a short drive away.",
    ),
    _Town(
        "Aspull", 361200, 408000,
        ("Haigh", "New Springs", "Aspull Common"),
        ("Bolton Road", "Haigh Road", "Scot Lane", "Stanley Road"),
        "Buses run between Aspull and Wigan town centre along Bolton Road.",
    ),
    _Town(
        "Abram", 360900, 401200,
        ("Platt Bridge", "Bickershaw", "Abram Brow"),
        ("Warrington Road", "Bolton House Road", "Lily Lane", "Liverpool Road"),
        "Buses run along Warrington Road between Wigan and Leigh.",
    ),
    _Town(
        "Pemberton", 355700, 404100,
        ("Norley", "Highfield", "Lamberhead Green", "Newtown"),
        ("Ormskirk Road", "Enfield Street", "Billinge Road", "Lamberhead Road"),
        "Pemberton railway station is within walking distance.",
    ),
    _Town(
        "Astley", 370300, 399900,
        ("Astley Green", "Higher Green"),
        ("Manchester Road", "Higher Green Lane", "Church Road", "Sale Lane"),
        "Buses run along Manchester Road and the East Lancashire Road (A580).",
    ),
)  # fmt: skip

_GENERAL_STREETS: Final = (
    "Church Street", "Station Road", "Victoria Road", "Park Road", "Mill Lane", "School Lane",
    "King Street", "Queen Street", "Bridge Street", "High Street", "Chapel Lane", "Crompton Street",
    "Albert Street", "Spring Road", "Green Lane", "Greenfield Road", "Hall Lane", "Oak Avenue",
)  # fmt: skip

# Refuges are houses on quiet residential streets, and no public place in the demo is on one of
# these: a synthetic refuge must never share a street (let alone a street line or a postcode and
# street) with a community centre that the public site shows.
_REFUGE_STREETS: Final = (
    "Laburnum Grove", "Rowan Close", "Hawthorn Avenue", "Beech Drive", "Lilac Grove",
    "Maple Close", "Rosemary Drive", "Willow Crescent", "Sycamore Grove", "Larch Close",
    "Heather Close", "Juniper Way", "Aspen Grove", "Elm Crescent", "Cedar Drive", "Holly Bank",
)  # fmt: skip

_PARKING: Final = (
    "Free car park on site.",
    "On-street parking nearby.",
    "Limited parking: please use public transport if you can.",
    "Cycle racks by the entrance.",
    "Blue Badge parking by the main door.",
)

# Council-run green spaces and routes with real names, placed in their real towns (the exact
# coordinates come from a postcode in that town, not from a survey of the site).
_REAL_PARKS: Final = (
    ("Mesnes Park", "Wigan", ("a restored Victorian pavilion and café", "a bandstand", "a lake")),
    ("Haigh Woodland Park", "Aspull", ("woodland trails", "a walled garden", "a miniature railway")),
    ("Pennington Flash Country Park", "Leigh", ("a large lake with bird hides", "a golf course")),
    ("Lilford Park", "Leigh", ("woodland walks", "a children's play area")),
    ("Alexandra Park", "Wigan", ("a fishing lodge", "sports pitches")),
    ("Jubilee Park", "Ashton-in-Makerfield", ("bowling greens", "a play area")),
    ("Three Sisters Recreation Area", "Ashton-in-Makerfield", ("a lake", "a motor racing circuit")),
    ("Wigan Flashes Local Nature Reserve", "Ince", ("reedbeds and open water", "bird hides")),
    ("Borsdane Wood", "Hindley", ("ancient woodland", "a brook")),
    ("Orrell Water Park", "Orrell", ("a lake", "a café")),
    ("Worthington Lakes", "Standish", ("reservoir walks", "fishing")),
    ("Amberswood Common", "Hindley", ("wetlands", "a circular path")),
    ("Low Hall Park", "Abram", ("wildflower meadows", "an outdoor gym")),
    ("Abram Flashes", "Abram", ("open water", "wading birds")),
)  # fmt: skip

_REAL_ROUTES: Final = (
    ("Leeds and Liverpool Canal towpath (Wigan Pier to Haigh)", "Wigan", 9,
     "from Wigan Pier up the flight of 21 locks to Haigh"),
    ("Leeds and Liverpool Canal, Leigh Branch towpath", "Leigh", 11,
     "from Wigan through Abram and Plank Lane to Leigh"),
    ("Bridgewater Canal towpath (Leigh to Astley)", "Astley", 6,
     "from Leigh bridge east through Astley Green"),
    ("Whelley Loopline", "Wigan", 5, "along an old railway line through Whelley and Scholes"),
    ("Leigh Guided Busway path", "Tyldesley", 7, "beside the guided busway from Leigh to Tyldesley"),
    ("Tyldesley Loopline", "Tyldesley", 4, "along the former railway from Tyldesley to Astley"),
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# The directory's taxonomy: (code, name, parent code, description). Top-level categories follow
# the areas of The Deal ("your part": keep active, stop smoking, volunteer...).
# --------------------------------------------------------------------------------------------

_TERMS: Final[tuple[tuple[str, str, str | None, str], ...]] = (
    ("physical-activity", "Physical activity", None,
     "Places and groups that help people keep active."),
    ("parks-and-green-spaces", "Parks and green spaces", "physical-activity",
     "Parks, woods, nature reserves, community gardens and other open spaces."),
    ("cycle-routes", "Cycle routes", "physical-activity",
     "Traffic-free routes, towpaths and led rides for cycling."),
    ("leisure-centres", "Leisure centres", "physical-activity",
     "Pools, gyms and sports halls, and the classes held there."),
    ("walking-and-running-groups", "Walking and running groups", "physical-activity",
     "Health walks, walking groups, running clubs and couch-to-5K groups."),
    ("sport-and-exercise-classes", "Sport and exercise classes", "physical-activity",
     "Exercise classes, dance, yoga, tai chi and community sport."),
    ("health-and-well-being", "Health and well-being", None,
     "Support to stay healthy, stop smoking, drink less and feel well."),
    ("stop-smoking", "Stop smoking", "health-and-well-being",
     "Help to stop smoking, including nicotine replacement and vapes."),
    ("drug-and-alcohol-support", "Drug and alcohol support", "health-and-well-being",
     "Advice, treatment and recovery communities for drug and alcohol use."),
    ("mental-well-being", "Mental well-being", "health-and-well-being",
     "Peer support, talking therapies, creative and social activities for well-being."),
    ("health-checks-and-social-prescribing", "Health checks and social prescribing",
     "health-and-well-being",
     "Health checks, healthy weight programmes and social prescribing link workers."),
    ("domestic-abuse-support", "Domestic abuse support", "health-and-well-being",
     "Helplines, outreach and safe accommodation for people experiencing domestic abuse."),
    ("money-and-advice", "Money and advice", None,
     "Help with money, debt, benefits, food and work."),
    ("debt-and-welfare-advice", "Debt and welfare advice", "money-and-advice",
     "Free, confidential debt advice and help with benefits."),
    ("food-banks-and-food-support", "Food banks and food support", "money-and-advice",
     "Food banks, community pantries, community fridges and warm spaces."),
    ("employment-and-skills", "Employment and skills", "money-and-advice",
     "Job clubs, digital skills, ESOL and adult learning."),
    ("family-and-children", "Family and children", None,
     "Activities and support for children, young people and families."),
    ("early-years-and-play", "Early years and play", "family-and-children",
     "Stay and play, baby groups and activities for under-fives."),
    ("parenting-support", "Parenting support", "family-and-children",
     "Parenting courses, family support and groups for parents."),
    ("young-people", "Young people", "family-and-children",
     "Youth clubs, holiday clubs and activities for young people."),
    ("community-life", "Community life", None,
     "Places and groups that bring people together."),
    ("community-centres", "Community centres", "community-life",
     "Community centres and hubs, with rooms for hire and activities."),
    ("older-people", "Older people", "community-life",
     "Lunch clubs, friendship groups and support for older people."),
    ("carers", "Carers", "community-life",
     "Support, breaks and groups for unpaid carers of all ages."),
    ("social-groups", "Social groups and friendship", "community-life",
     "Coffee mornings, craft groups, choirs and other ways to meet people."),
    ("volunteering", "Volunteering", None, "Ways to give time and help others."),
    ("volunteering-opportunities", "Volunteering opportunities", "volunteering",
     "Volunteer roles with local groups and services."),
    ("environmental-volunteering", "Environmental volunteering", "volunteering",
     "Litter picks, conservation and gardening in parks and green spaces."),
)  # fmt: skip

_PROVENANCE_CODE: Final = "synthetic-demonstration-data"

# --------------------------------------------------------------------------------------------
# Service kinds: what a service is, who provides it, where and when it runs, what it costs.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Variant:
    """One flavour of a kind of service: its names, its pitch and who it is for."""

    names: tuple[str, ...]  # templates: {town} {hood} {venue} {park} {day} {org}
    blurb: str
    min_age: int | None
    max_age: int | None
    eligibility: str
    modes: tuple[tuple[str, float], ...] | None = None  # overrides the kind's modes
    schedule: str | None = None  # overrides the kind's schedule pattern
    extra_terms: tuple[str, ...] = ()
    alternate_name: str | None = None
    asset_names: tuple[str, ...] = ()  # for community gardens: the new place's name
    costs: tuple[tuple[str, float], ...] | None = None  # overrides the kind's costs


@dataclass(frozen=True, slots=True)
class _Kind:
    key: str
    term: str  # the primary taxonomy term code
    extra_terms: tuple[str, ...]  # terms a service of this kind sometimes also gets
    activity: str  # for organisation descriptions: "... running {activity}"
    variants: tuple[_Variant, ...]
    # Where it happens: asset | leisure | premises | community | family | health | outdoor |
    # virtual | phone | refuge (see _Generator._locations_for).
    modes: tuple[tuple[str, float], ...]
    schedule: str
    costs: tuple[tuple[str, float], ...]
    application: tuple[str, ...]
    details: tuple[str, ...]
    documents: tuple[str, ...] = ()
    document_share: float = 0.0
    accreditations: tuple[str, ...] = ()
    contact_titles: tuple[str, ...] = ("Coordinator",)
    # Share of venue-based services run at several venues (clinics, advice surgeries).
    multi_site: float = 0.0


_JUST_TURN_UP: Final = (
    "Just turn up: no need to book.",
    "No referral needed. Come along to any session or call us first for a chat.",
    "Drop in during session times; you can stay for as long as you like.",
)
_SELF_REFER: Final = (
    "Self-refer by phone, email or the online form, or ask a professional to refer you.",
    "Call or email to book a place. Referrals from GP practices and social prescribers welcome.",
    "Contact us to arrange a first chat. You can refer yourself.",
)
_REFERRAL: Final = (
    "By referral from a GP practice, social prescribing link worker, advice agency or the "
    "council's welfare support team.",
    "Ask a partner agency (advice service, GP practice, school, housing officer) to refer you.",
)

_KINDS: Final[tuple[_Kind, ...]] = (
    _Kind(
        "park", "parks-and-green-spaces", ("walking-and-running-groups",),
        "parks and green spaces",
        (_Variant(("{asset}",), "A council-managed green space in {town}", None, None,
                  "Open to everyone."),),
        (("asset", 1.0),), "park", (("free", 1.0),), ("No need to book: just visit.",),
        ("Dogs are welcome on a lead near play areas.",
         "Friends of the park volunteers hold regular clean-up and planting days.",
         "Park rangers run guided walks and family events through the year.",
         "Toilets are open when the café is open."),
        accreditations=("Green Flag Award",),
        contact_titles=("Park ranger", "Green spaces officer"),
    ),
    _Kind(
        "cycle_route", "cycle-routes", ("parks-and-green-spaces", "walking-and-running-groups"),
        "cycle routes",
        (_Variant(("{asset}",), "A traffic-free route for walking and cycling", None, None,
                  "Open to everyone: walkers, cyclists, wheelchair users and horse riders "
                  "where signed."),),
        (("asset", 1.0),), "route", (("free", 1.0),), ("No need to book.",),
        ("Some sections are unlit: take care after dark.",
         "Mostly level and surfaced, with a few short ramps at bridges.",
         "Share the path: cyclists please give way to people walking."),
        contact_titles=("Active travel officer",),
    ),
    _Kind(
        "leisure_centre", "leisure-centres", ("sport-and-exercise-classes",),
        "leisure centres, pools and gyms",
        (_Variant(("{asset}",), "A public leisure centre in {town}", None, None,
                  "Open to everyone. Under 16s in the gym need an adult; under 8s in the pool "
                  "must be with an adult in the water."),),
        (("asset", 1.0),), "leisure", (("leisure", 1.0),),
        ("Pay as you go at reception, or join online.",),
        ("Concessions for people on benefits, students and over 60s.",
         "Free swimming for under 11s during school holidays.",
         "Lockers take a refundable £1 coin."),
        documents=("Proof of entitlement for concession prices, such as a benefit letter or "
                   "student card.",),
        document_share=0.3,
        contact_titles=("Centre manager", "Duty manager"),
    ),
    _Kind(
        "leisure_class", "sport-and-exercise-classes", ("leisure-centres",),
        "sport and exercise classes",
        (
            _Variant(("Children's swimming lessons at {venue}",),
                     "Learn-to-swim lessons in small groups, from first splashes to confident "
                     "swimming", 4, 16, "Children aged 4 to 16."),
            _Variant(("Aqua aerobics at {venue}",),
                     "A low-impact workout in the water, set to music and kind to joints",
                     16, None, "Adults and young people aged 16 and over."),
            _Variant(("Walking football at {venue}",),
                     "A slower, non-contact version of football with no running and no tackling",
                     50, None, "Adults aged 50 and over, all abilities."),
            _Variant(("Exercise referral programme at {venue}",),
                     "A 12-week supported exercise programme for people with long-term health "
                     "conditions", 16, None,
                     "Adults aged 16 and over with a long-term health condition, on referral "
                     "from a health professional.", alternate_name="Exercise on referral"),
            _Variant(("Junior gymnastics at {venue}",),
                     "Fun, coached gymnastics sessions building strength and confidence",
                     5, 15, "Children aged 5 to 15."),
            _Variant(("Inclusive swim sessions at {venue}",),
                     "Quieter pool sessions with extra support for disabled swimmers", None, None,
                     "Disabled people of all ages with their families or carers."),
            _Variant(("Over 60s active sessions at {venue}",),
                     "Badminton, table tennis and short mat bowls, with a brew afterwards",
                     60, None, "People aged 60 and over."),
        ),
        (("leisure", 1.0),), "session", (("small_fee", 0.8), ("free", 0.2)),
        ("Book online or at reception.", "Turn up ten minutes early for your first session."),
        ("Qualified instructors lead every session.",
         "Changing rooms and showers on site.",
         "Equipment provided."),
        contact_titles=("Activities coordinator", "Swim school coordinator"),
    ),
    _Kind(
        "walking_group", "walking-and-running-groups", ("older-people", "mental-well-being"),
        "health walks and walking groups",
        (
            _Variant(("{town} Health Walk", "{day} Health Walk at {park}"),
                     "Short, friendly led walks of 30 to 60 minutes on mostly flat paths, led by "
                     "trained volunteer walk leaders", None, None,
                     "Everyone welcome, especially people new to exercise or recovering from "
                     "illness."),
            _Variant(("{park} Walking Group", "{hood} Walkers"),
                     "A sociable weekly walk of three to five miles, ending with a brew", None,
                     None, "Adults; children welcome with a parent or carer."),
            _Variant(("Nordic walking at {park}",),
                     "Walking with poles for a full-body workout; poles lent for your first "
                     "sessions", 16, None, "Adults and young people aged 16 and over."),
            _Variant(("Buggy walks – {town}",),
                     "Gentle walks for parents and carers with babies in prams and pushchairs",
                     None, None, "Parents and carers with babies and young children.",
                     extra_terms=("early-years-and-play",)),
            _Variant(("Walk and Talk {town}",),
                     "A walking group for people who want to lift their mood and meet others, "
                     "co-led by a peer volunteer", 18, None, "Adults aged 18 and over.",
                     extra_terms=("mental-well-being",)),
            _Variant(("Dementia-friendly walk at {park}",),
                     "A gentle, sociable walk at an easy pace, with plenty of rest stops",
                     None, None, "People living with dementia and their carers.",
                     extra_terms=("carers",)),
        ),
        (("outdoor", 0.75), ("community", 0.25)), "walk", (("free", 1.0),), _JUST_TURN_UP,
        ("Wear comfortable shoes and bring a drink.",
         "Walks go ahead in most weathers.",
         "Every walk has a back marker, so nobody gets left behind."),
        contact_titles=("Walk leader", "Walks coordinator"),
    ),
    _Kind(
        "running_group", "walking-and-running-groups", ("sport-and-exercise-classes",),
        "running groups",
        (
            _Variant(("{town} Beginners Running Group", "Couch to 5K – {town}"),
                     "A nine-week programme that takes complete beginners from walking to running "
                     "5 km", 16, None, "Adults and young people aged 16 and over."),
            _Variant(("{park} Saturday 5K",),
                     "A free, timed 5 km run, jog or walk, organised by volunteers", None, None,
                     "Everyone; under 11s must stay with an adult.", schedule="saturday"),
            _Variant(("{town} Road Runners social run", "{hood} Running Club"),
                     "Club runs for all paces on road and trail, with coached sessions midweek",
                     18, None, "Adults aged 18 and over."),
            _Variant(("Junior running club – {town}",),
                     "Running games and races for young people, coached by qualified leaders",
                     8, 16, "Children and young people aged 8 to 16.",
                     extra_terms=("young-people",)),
        ),
        (("outdoor", 0.8), ("leisure", 0.2)), "run",
        (("free", 0.6), ("membership", 0.3), ("small_fee", 0.1)), _JUST_TURN_UP,
        ("All paces welcome: nobody is left behind.",
         "Run leaders are trained by the national athletics body.",
         "Hi-vis is essential on winter evenings."),
        contact_titles=("Run leader", "Club secretary"),
    ),
    _Kind(
        "bike_rides", "cycle-routes", ("sport-and-exercise-classes",),
        "led bike rides and cycle skills",
        (
            _Variant(("Led bike rides – {town}", "{day} Bike Ride from {park}"),
                     "Relaxed group rides on quiet roads and traffic-free paths such as the canal "
                     "towpath, led by trained ride leaders", 16, None,
                     "Adults and young people aged 16 and over. Bikes can be borrowed."),
            _Variant(("Learn to ride for adults – {town}",),
                     "One-to-one and small group sessions for adults who never learned to cycle "
                     "or want their confidence back", 18, None, "Adults aged 18 and over."),
            _Variant(("Bike repair café – {town}",),
                     "Bring your bike and learn to fix punctures, brakes and gears with volunteer "
                     "mechanics", None, None, "Everyone; under 14s with an adult.",
                     modes=(("premises", 0.6), ("community", 0.4))),
            _Variant(("Family cycle training – {town}",),
                     "Cycle skills training for children and families on quiet routes", 8, 16,
                     "Children aged 8 to 16 with a parent or carer.",
                     extra_terms=("young-people",)),
        ),
        (("outdoor", 0.7), ("premises", 0.3)), "session", (("free", 0.8), ("small_fee", 0.2)),
        _SELF_REFER,
        ("Helmets and locks can be borrowed.", "Rides stop for a café break.",
         "Adapted bikes and trikes available on request."),
        contact_titles=("Ride leader", "Cycling development officer"),
    ),
    _Kind(
        "exercise_class", "sport-and-exercise-classes", ("older-people",),
        "exercise classes",
        (
            _Variant(("Chair-based exercise – {venue}", "Seated strength and balance – {town}"),
                     "Gentle seated exercise to improve strength, balance and mobility", 50, None,
                     "Adults aged 50 and over, including people with limited mobility.",
                     extra_terms=("older-people",)),
            _Variant(("Tai chi for beginners – {town}",),
                     "Slow, flowing movements to improve balance and calm the mind", 16, None,
                     "Adults and young people aged 16 and over."),
            _Variant(("{day} yoga at {venue}", "Community yoga – {hood}"),
                     "A friendly, mixed-ability yoga class", 16, None,
                     "Adults and young people aged 16 and over."),
            _Variant(("Dance fitness – {town}",),
                     "An upbeat dance workout to chart and Latin music", 16, None,
                     "Adults and young people aged 16 and over."),
            _Variant(("Falls prevention class – {town}",),
                     "A 24-week strength and balance programme shown to reduce falls, led by "
                     "trained postural stability instructors", 65, None,
                     "People aged 65 and over who have had a fall or are worried about falling.",
                     extra_terms=("older-people",)),
            _Variant(("Boxing fitness – {hood}",),
                     "Non-contact boxing fitness: pads, skipping and circuits", 14, None,
                     "Young people and adults aged 14 and over.", extra_terms=("young-people",)),
        ),
        (("community", 0.85), ("premises", 0.15)), "session",
        (("small_fee", 0.6), ("free", 0.3), ("donation", 0.1)), _JUST_TURN_UP,
        ("Instructors adapt every exercise to your ability.",
         "Wear loose clothing and bring water.",
         "Tell the instructor about any health condition before you start."),
        contact_titles=("Instructor", "Classes coordinator"),
    ),
    _Kind(
        "stop_smoking", "stop-smoking", ("health-checks-and-social-prescribing",),
        "stop smoking support",
        (
            _Variant(("Stop smoking clinic – {venue}", "{town} stop smoking drop-in"),
                     "Free one-to-one support from a trained stop smoking adviser, with nicotine "
                     "replacement therapy or a vaping starter kit", 12, None,
                     "Anyone aged 12 and over who smokes and lives, works or is registered with "
                     "a GP in the Wigan borough."),
            _Variant(("Stop smoking in pregnancy service",),
                     "Specialist support for pregnant smokers and their partners, with home "
                     "visits available", None, None, "Pregnant women and their partners.",
                     modes=(("health", 0.6), ("phone", 0.4)),
                     extra_terms=("parenting-support",)),
            _Variant(("Stop smoking support line",),
                     "Weekly telephone support and free stop smoking aids posted to your home",
                     12, None, "Anyone aged 12 and over who smokes.", modes=(("phone", 1.0),),
                     schedule="helpline"),
            _Variant(("Online stop smoking programme",),
                     "A 12-week online programme with weekly video calls and app-based support",
                     16, None, "Anyone aged 16 and over who smokes.",
                     modes=(("virtual", 1.0),)),
            _Variant(("Swap to stop – {town}",),
                     "Free vape starter kits with behavioural support for adult smokers who want "
                     "to switch and then stop", 18, None, "Adult smokers aged 18 and over."),
        ),
        (("health", 0.55), ("community", 0.3), ("premises", 0.15)), "drop_in", (("free", 1.0),),
        _SELF_REFER,
        ("You are around three times more likely to quit with support than on your own.",
         "Carbon monoxide readings each week show how your body is recovering.",
         "Support lasts 12 weeks, and you can come back at any time."),
        contact_titles=("Stop smoking adviser", "Health improvement practitioner"),
        multi_site=0.4,
    ),
    _Kind(
        "drug_alcohol", "drug-and-alcohol-support", ("mental-well-being",),
        "drug and alcohol recovery support",
        (
            _Variant(("{town} Recovery Hub", "Drug and alcohol service – {town}"),
                     "Confidential advice, treatment and recovery support for adults worried "
                     "about their drinking or drug use, including needle exchange and "
                     "prescribing", 18, None, "Adults aged 18 and over living in the Wigan "
                     "borough.", modes=(("premises", 1.0),), schedule="office"),
            _Variant(("{town} Recovery Café",),
                     "A drug- and alcohol-free social space run by people in recovery, with peer "
                     "mentors and hot food", 18, None, "Adults aged 18 and over.",
                     extra_terms=("social-groups",)),
            _Variant(("Mutual aid recovery meeting – {venue}",),
                     "A weekly peer-led meeting using a structured self-help approach for people "
                     "recovering from addiction", 18, None, "Adults aged 18 and over.",
                     modes=(("community", 1.0),), schedule="evening"),
            _Variant(("Young people's drug and alcohol service",),
                     "Support for young people whose own or a family member's drug or alcohol "
                     "use is causing problems", 11, 18, "Young people aged 11 to 18.",
                     extra_terms=("young-people",)),
            _Variant(("Family and friends support group – {town}",),
                     "A support group for people affected by a loved one's drinking or drug use",
                     18, None, "Adults aged 18 and over.", extra_terms=("carers",)),
            _Variant(("Alcohol advice line",),
                     "Confidential telephone advice about cutting down or stopping drinking",
                     18, None, "Adults aged 18 and over.", modes=(("phone", 1.0),),
                     schedule="helpline"),
        ),
        (("premises", 0.55), ("community", 0.45)), "drop_in", (("free", 1.0),),
        _SELF_REFER,
        ("Everything you tell us is confidential.",
         "Naloxone kits and training are available.",
         "Peer mentors with lived experience of recovery work alongside our staff."),
        contact_titles=("Recovery worker", "Peer mentor coordinator"),
        multi_site=0.2,
    ),
    _Kind(
        "mental_wellbeing", "mental-well-being", ("social-groups",),
        "mental well-being support",
        (
            _Variant(("Talking café – {venue}", "{hood} Talking Café"),
                     "An informal drop-in where you can have a brew and talk to trained "
                     "volunteers about how you are feeling", 18, None,
                     "Adults aged 18 and over."),
            _Variant(("Mindfulness for beginners – {town}",),
                     "A six-week course introducing simple mindfulness practices to manage stress "
                     "and low mood", 18, None, "Adults aged 18 and over."),
            _Variant(("Anxiety peer support group – {town}",),
                     "A safe, confidential space to share experiences of anxiety and ways of "
                     "coping", 18, None, "Adults aged 18 and over."),
            _Variant(("Bereavement support group – {venue}",),
                     "Monthly meetings for people who have lost someone close to them", 18, None,
                     "Adults aged 18 and over who have been bereaved.", schedule="monthly"),
            _Variant(("Art for well-being – {hood}",),
                     "Creative sessions using painting, collage and clay to relax and connect "
                     "with others; no experience needed", 16, None,
                     "Adults and young people aged 16 and over.",
                     extra_terms=("social-groups",)),
            _Variant(("Online talking therapies",),
                     "Free, confidential talking therapies such as CBT and counselling for stress, "
                     "anxiety and depression, by video or phone", 16, None,
                     "People aged 16 and over registered with a GP in the borough.",
                     modes=(("virtual", 1.0),), schedule="office"),
            _Variant(("Young people's well-being drop-in – {town}",),
                     "A drop-in for young people to talk about worries, stress or exams with a "
                     "youth worker", 11, 18, "Young people aged 11 to 18.",
                     extra_terms=("young-people",), schedule="evening"),
            _Variant(("Listening line",),
                     "A confidential listening service run by trained volunteers, for anyone "
                     "struggling to cope", 18, None, "Adults aged 18 and over.",
                     modes=(("phone", 1.0),), schedule="helpline"),
            _Variant(("Perinatal well-being group – {town}",),
                     "A group for parents who are pregnant or have a baby under one and are "
                     "finding things hard", 16, None,
                     "Parents and parents-to-be aged 16 and over with a baby under one.",
                     extra_terms=("parenting-support",)),
        ),
        (("community", 0.8), ("premises", 0.2)), "session",
        (("free", 0.85), ("donation", 0.15)), _JUST_TURN_UP + _SELF_REFER,
        ("This is not a crisis service: in an emergency call 999 or NHS 111, option 2.",
         "Sessions are run by trained volunteers with lived experience.",
         "You do not need a diagnosis to come along."),
        contact_titles=("Well-being coordinator", "Peer support worker"),
    ),
    _Kind(
        "health_check", "health-checks-and-social-prescribing", (), "health checks and clinics",
        (
            _Variant(("NHS Health Check – {venue}",),
                     "A free check-up to spot early signs of stroke, kidney disease, heart "
                     "disease, type 2 diabetes or dementia", 40, 74,
                     "Adults aged 40 to 74 without an existing heart, kidney or diabetes "
                     "condition.", schedule="appointment"),
            _Variant(("Social prescribing link worker – {org}",),
                     "A link worker spends time with you to find out what matters to you and "
                     "connects you to local groups, activities and services", 18, None,
                     "Adults registered with a GP practice in the area.",
                     schedule="appointment"),
            _Variant(("Blood pressure check drop-in – {venue}",),
                     "Quick, free blood pressure checks with advice on what your numbers mean",
                     18, None, "Adults aged 18 and over.", modes=(("community", 1.0),)),
            _Variant(("Healthy weight programme – {town}",),
                     "A 12-week group programme on healthy eating and being more active", 18,
                     None, "Adults with a BMI over 30 (27.5 for people from some ethnic "
                     "groups).", modes=(("community", 1.0),), schedule="session"),
            _Variant(("Diabetes prevention programme – {town}",),
                     "Group sessions for people at risk of type 2 diabetes, on eating well and "
                     "moving more", 18, None,
                     "Adults told by their GP practice that they are at risk of type 2 diabetes.",
                     modes=(("community", 1.0),), schedule="session"),
        ),
        (("premises", 0.6), ("health", 0.4)), "appointment", (("free", 1.0),), _REFERRAL,
        ("Appointments take about 20 to 30 minutes.",
         "You will get your results and advice on the day.",
         "Interpreters can be booked for appointments."),
        contact_titles=("Practice manager", "Social prescribing link worker", "Health trainer"),
        multi_site=0.3,
    ),
    _Kind(
        "domestic_abuse", "domestic-abuse-support", ("mental-well-being",),
        "domestic abuse support",
        (
            _Variant(("Domestic abuse helpline",),
                     "Confidential support, information and safety planning for anyone "
                     "experiencing domestic abuse", 16, None,
                     "Anyone aged 16 and over experiencing domestic abuse, and people worried "
                     "about someone else.", modes=(("phone", 1.0),), schedule="helpline"),
            _Variant(("Domestic abuse outreach – {town}",),
                     "Independent domestic violence advisers offering safety planning, support "
                     "through court and help with housing", 16, None,
                     "Anyone aged 16 and over experiencing domestic abuse.",
                     schedule="appointment"),
            _Variant(("Recovery programme for survivors of domestic abuse – {town}",),
                     "A 12-week group programme for survivors of domestic abuse, held at a safe "
                     "community venue", 18, None, "Adults aged 18 and over."),
            _Variant(("Children and young people's domestic abuse support",),
                     "One-to-one and group support for children who have lived with domestic "
                     "abuse", 5, 18, "Children and young people aged 5 to 18.",
                     extra_terms=("young-people",), modes=(("community", 1.0),)),
        ),
        (("community", 1.0),), "session", (("free", 1.0),), _SELF_REFER,
        ("In an emergency always call 999. If you cannot speak, press 55 when prompted.",
         "You do not have to leave home to get support.",
         "Support is free, confidential and non-judgemental."),
        contact_titles=("Domestic abuse adviser", "Outreach team leader"),
        multi_site=0.3,
    ),
    _Kind(
        "refuge", "domestic-abuse-support", (), "refuge accommodation",
        (
            _Variant(("Refuge accommodation – {org}",),
                     "Safe, confidential accommodation with support workers for women and their "
                     "children escaping domestic abuse", 16, None,
                     "Women aged 16 and over, and their children, who need to leave home because "
                     "of domestic abuse."),
            _Variant(("Safe house for men – {org}",),
                     "Confidential supported accommodation for men escaping domestic abuse",
                     18, None, "Men aged 18 and over who need to leave home because of domestic "
                     "abuse."),
            _Variant(("Supported safe housing for families – {org}",),
                     "Self-contained safe flats for families, with a dedicated support worker",
                     None, None, "Parents and their children escaping domestic abuse."),
        ),
        (("refuge", 1.0),), "refuge", (("free", 1.0),),
        ("Referrals through our 24-hour phone line, or through the police, a GP or any support "
         "agency. The address is never published.",),
        ("Rooms are furnished, with shared kitchens and a play room.",
         "Support covers safety, money, housing, health and children's schooling.",
         "The address is given only to people moving in."),
        contact_titles=("Refuge manager",),
    ),
    _Kind(
        "carers", "carers", ("mental-well-being",), "support for unpaid carers",
        (
            _Variant(("Carers' coffee morning – {venue}",),
                     "A relaxed get-together for unpaid carers, with information and a listening "
                     "ear", 18, None,
                     "Unpaid carers aged 18 and over looking after a family member or friend.",
                     schedule="morning"),
            _Variant(("Young carers club – {town}",),
                     "Fun activities, trips and time out for young people who look after someone "
                     "at home", 8, 18, "Young carers aged 8 to 18.",
                     extra_terms=("young-people",), schedule="evening"),
            _Variant(("Carers' advice line",),
                     "Advice on carers' assessments, benefits, breaks and planning for "
                     "emergencies", 18, None, "Unpaid carers aged 18 and over.",
                     modes=(("phone", 1.0),), schedule="helpline"),
            _Variant(("Dementia carers support group – {town}",),
                     "Monthly support and talks for people caring for someone with dementia",
                     18, None, "People caring for someone living with dementia.",
                     schedule="monthly"),
            _Variant(("Carers' breaks and sitting service",),
                     "A trained volunteer sits with the person you care for so you can have a "
                     "few hours' break", 18, None, "Unpaid carers aged 18 and over.",
                     modes=(("premises", 0.5), ("phone", 0.5)), schedule="office"),
            _Variant(("Parent carers forum – {town}",),
                     "A forum for parents of children with special educational needs or "
                     "disabilities to share information and shape local services", 18, None,
                     "Parents and carers of children with SEND.",
                     extra_terms=("parenting-support",)),
        ),
        (("community", 0.8), ("premises", 0.2)), "session", (("free", 1.0),),
        _SELF_REFER + _JUST_TURN_UP,
        ("You do not need to call yourself a carer to come: if you help someone, you are welcome.",
         "We can help you ask for a carer's assessment.",
         "Replacement care can be arranged so you can attend."),
        contact_titles=("Carers' support worker", "Young carers worker"),
        multi_site=0.2,
    ),
    _Kind(
        "older_people", "older-people", ("social-groups",), "activities for older people",
        (
            _Variant(("{hood} Lunch Club", "{town} Over 60s Lunch Club"),
                     "A hot two-course lunch and good company, with bingo or a quiz afterwards",
                     60, None, "People aged 60 and over.", schedule="lunch",
                     costs=(("lunch", 1.0),)),
            _Variant(("Tea dance at {venue}",),
                     "Ballroom and sequence dancing with tea and cake", 55, None,
                     "People aged 55 and over.", extra_terms=("sport-and-exercise-classes",),
                     costs=(("small_fee", 1.0),)),
            _Variant(("Memory café – {venue}",),
                     "A relaxed café for people living with dementia and their families, with "
                     "music and reminiscence activities", None, None,
                     "People living with memory problems or dementia, and their carers.",
                     extra_terms=("carers",), schedule="monthly",
                     costs=(("free", 0.6), ("donation", 0.4))),
            _Variant(("Befriending phone calls",),
                     "A trained volunteer calls you every week for a chat", 65, None,
                     "People aged 65 and over who feel lonely or isolated.",
                     modes=(("phone", 1.0),), schedule="office",
                     costs=(("free", 1.0),)),
            _Variant(("Digital skills for over 60s – {venue}",),
                     "Friendly one-to-one help with phones, tablets, video calls and staying safe "
                     "online", 60, None, "People aged 60 and over.",
                     extra_terms=("employment-and-skills",),
                     costs=(("free", 1.0),)),
            _Variant(("{day} friendship club – {hood}",),
                     "Cards, dominoes, chat and a cuppa every week", 55, None,
                     "People aged 55 and over.", extra_terms=("social-groups",)),
            _Variant(("Home from hospital support",),
                     "Practical help and company for the first weeks after a hospital stay",
                     65, None, "People aged 65 and over leaving hospital.",
                     modes=(("premises", 0.5), ("phone", 0.5)), schedule="office",
                     costs=(("free", 1.0),)),
        ),
        (("community", 0.9), ("premises", 0.1)), "session",
        (("small_fee", 0.4), ("free", 0.4), ("donation", 0.2)), _JUST_TURN_UP,
        ("Door-to-door community transport can be booked.",
         "Volunteers make everyone welcome, so it is fine to come on your own.",
         "The venue has step-free access and an accessible toilet."),
        contact_titles=("Club organiser", "Volunteer coordinator"),
        multi_site=0.1,
    ),
    _Kind(
        "early_years", "early-years-and-play", ("parenting-support",),
        "play sessions for babies and toddlers",
        (
            _Variant(("{hood} Stay and Play", "{day} stay and play – {venue}"),
                     "A relaxed session for children under five with their parents or carers: "
                     "toys, messy play, songs and a brew for grown-ups", 0, 4,
                     "Children aged 0 to 4 with a parent or carer."),
            _Variant(("Baby and toddler group – {venue}", "{hood} Tots"),
                     "A friendly weekly group with toys, crafts and a snack", 0, 4,
                     "Children aged 0 to 4 with a parent or carer."),
            _Variant(("Rhyme time at {venue}",),
                     "Songs, rhymes and stories for babies and toddlers", 0, 4,
                     "Children aged 0 to 4 with a parent or carer."),
            _Variant(("Baby massage course – {venue}",),
                     "A five-week course showing parents how to massage their baby", 0, 1,
                     "Babies up to 12 months old with a parent or carer."),
            _Variant(("Infant feeding support group – {venue}",),
                     "Friendly support from peer supporters and a health visitor, whatever way "
                     "you feed your baby", 0, 2, "Parents and babies up to 2 years old.",
                     extra_terms=("parenting-support",)),
            _Variant(("Holiday activities and food club – {town}",),
                     "Free school holiday clubs with activities and a healthy meal", 5, 16,
                     "Children aged 5 to 16 who get benefits-related free school meals.",
                     extra_terms=("young-people", "food-banks-and-food-support"),
                     schedule="holiday", alternate_name="HAF club",
                     costs=(("free", 1.0),)),
        ),
        (("family", 0.9), ("premises", 0.1)), "morning", (("free", 0.6), ("small_fee", 0.4)),
        _JUST_TURN_UP,
        ("Buggy parking inside.", "Baby changing facilities available.",
         "Sessions follow school terms unless stated."),
        contact_titles=("Family support worker", "Group leader"),
        multi_site=0.15,
    ),
    _Kind(
        "parenting", "parenting-support", ("early-years-and-play",), "parenting support",
        (
            _Variant(("Positive parenting course – {town}",),
                     "An eight-week course on managing behaviour, routines and family stress",
                     16, None, "Parents and carers of children aged 2 to 12."),
            _Variant(("Dads' group – {venue}",),
                     "Saturday morning activities for dads, granddads and male carers with their "
                     "children", None, None, "Dads and male carers with children aged 0 to 11.",
                     schedule="saturday"),
            _Variant(("Family support drop-in – {venue}",),
                     "Help with anything from sleep and potty training to money worries", 0, 18,
                     "Families with children aged 0 to 18."),
            _Variant(("Young parents' group – {town}",),
                     "A group for young mums and dads to meet, share and get support", 14, 21,
                     "Parents aged 14 to 21 and their babies."),
            _Variant(("Online parenting course",),
                     "A free online course on understanding your child's feelings and behaviour",
                     16, None, "Parents and carers in the Wigan borough.",
                     modes=(("virtual", 1.0),), schedule="office"),
            _Variant(("SEND family support – {town}",),
                     "Advice and peer support for families of children with special educational "
                     "needs and disabilities", 0, 25,
                     "Families of children and young people with SEND, aged 0 to 25.",
                     extra_terms=("carers",)),
        ),
        (("family", 0.85), ("premises", 0.15)), "session", (("free", 1.0),),
        _SELF_REFER,
        ("A crèche is available for some sessions.",
         "Courses are led by trained family practitioners.",
         "You can bring your baby."),
        contact_titles=("Family practitioner", "Parenting coordinator"),
        multi_site=0.3,
    ),
    _Kind(
        "youth", "young-people", (), "youth clubs and activities",
        (
            _Variant(("{hood} Youth Club", "{day} youth night – {venue}"),
                     "Games, sport, music, cooking and a safe place to hang out with friends",
                     11, 18, "Young people aged 11 to 18."),
            _Variant(("Junior youth club – {venue}",),
                     "Games, crafts and sport for younger children", 8, 12,
                     "Children aged 8 to 12."),
            _Variant(("Homework club – {venue}",),
                     "Quiet space, computers and volunteer helpers for homework", 7, 16,
                     "Children and young people aged 7 to 16.",
                     extra_terms=("employment-and-skills",)),
            _Variant(("Youth football sessions – {town}",),
                     "Free, coached football for all abilities", 8, 16,
                     "Children and young people aged 8 to 16.",
                     extra_terms=("sport-and-exercise-classes",)),
            _Variant(("LGBTQ+ youth group – {town}",),
                     "A safe, confidential group for LGBTQ+ young people and those questioning",
                     13, 19, "Young people aged 13 to 19."),
            _Variant(("Youth drama group – {venue}",),
                     "Drama games, improvisation and a show at the end of each term", 11, 18,
                     "Young people aged 11 to 18."),
        ),
        (("community", 0.9), ("premises", 0.1)), "evening", (("free", 0.7), ("small_fee", 0.3)),
        _JUST_TURN_UP,
        ("Youth workers are DBS-checked and trained in safeguarding.",
         "Tuck shop and free toast.",
         "Parents and carers are asked to fill in a consent form on the first visit."),
        contact_titles=("Youth worker", "Youth project leader"),
    ),
    _Kind(
        "volunteering", "volunteering-opportunities", (), "volunteering opportunities",
        (
            _Variant(("Volunteer with {org}",),
                     "Help run our sessions: welcoming people, making brews, setting up and "
                     "clearing away", 16, None, "Anyone aged 16 and over.",
                     schedule="session"),
            _Variant(("Park clean-up volunteers – {park}",),
                     "Monthly litter picks, bulb planting and path clearing", None, None,
                     "Everyone; under 16s with an adult.", modes=(("outdoor", 1.0),),
                     extra_terms=("environmental-volunteering", "parks-and-green-spaces"),
                     schedule="monthly"),
            _Variant(("Volunteer drivers – community transport",),
                     "Drive people to appointments and lunch clubs; mileage expenses paid", 21,
                     None, "Volunteers aged 21 and over with a full driving licence.",
                     modes=(("premises", 1.0),), schedule="office"),
            _Variant(("Befriending volunteers – {town}",),
                     "Visit or phone an older person for an hour a week", 18, None,
                     "Volunteers aged 18 and over.", extra_terms=("older-people",),
                     schedule="office"),
            _Variant(("Food bank volunteers – {venue}",),
                     "Sort donations, pack parcels and welcome visitors", 16, None,
                     "Volunteers aged 16 and over.",
                     extra_terms=("food-banks-and-food-support",)),
            _Variant(("Volunteer walk leaders – {town}",),
                     "Lead short health walks after a free one-day training course", 18, None,
                     "Volunteers aged 18 and over.",
                     extra_terms=("walking-and-running-groups",)),
            _Variant(("Community champions – {town}",),
                     "Share health and community news with your neighbours and tell the council "
                     "what matters locally", 18, None, "Residents aged 18 and over.",
                     schedule="office"),
        ),
        (("community", 0.6), ("premises", 0.4)), "session", (("free", 1.0),),
        ("Fill in a short form and come for an informal chat.",
         "Email or call the volunteer coordinator.",),
        ("Training and expenses provided.",
         "Roles with children or adults at risk need a free DBS check.",
         "Give as little or as much time as you like."),
        documents=("Two references and a DBS check (we arrange the check free of charge) for "
                   "roles with children or adults at risk.",),
        document_share=0.3,
        contact_titles=("Volunteer coordinator",),
    ),
    _Kind(
        "garden", "parks-and-green-spaces", ("environmental-volunteering",),
        "community growing",
        (
            _Variant(("{asset}",),
                     "A volunteer-run growing space where anyone can help grow fruit, vegetables "
                     "and flowers", None, None, "Everyone; children welcome with an adult.",
                     asset_names=("{hood} Community Garden", "{hood} Growing Space",
                                  "{town} Community Orchard")),
            _Variant(("{asset} plots",),
                     "Allotment plots to rent, and a shared plot for beginners", 18, None,
                     "Adults aged 18 and over; waiting list for full plots.",
                     asset_names=("{hood} Allotments",)),
        ),
        (("asset", 1.0),), "session", (("free", 0.7), ("membership", 0.3)), _JUST_TURN_UP,
        ("Tools and gloves provided.", "Raised beds for people who cannot kneel.",
         "Produce is shared between volunteers and the local food bank."),
        contact_titles=("Garden coordinator", "Plot secretary"),
    ),
    _Kind(
        "food_bank", "food-banks-and-food-support", ("debt-and-welfare-advice",),
        "a food bank",
        (
            _Variant(("{town} Food Bank", "{town} Food Bank – {venue}"),
                     "Emergency food parcels for people in crisis, with a friendly welcome, a hot "
                     "drink and signposting to money advice", None, None,
                     "Anyone in crisis, usually with a food bank voucher from a referral "
                     "partner."),
            _Variant(("Emergency food parcels – {venue}",),
                     "Three days of nutritionally balanced food, plus toiletries and baby "
                     "essentials", None, None, "Anyone in crisis, with a referral."),
            _Variant(("Baby bank – {town}",),
                     "Free baby clothes, equipment and essentials for families who need them",
                     None, None, "Families with babies and young children, by referral.",
                     extra_terms=("early-years-and-play",)),
        ),
        (("community", 0.6), ("premises", 0.4)), "drop_in", (("free", 1.0),), _REFERRAL,
        ("Tell us about any allergies or dietary needs.",
         "An advice worker is on hand at most sessions.",
         "Donations can be left at the collection points in local supermarkets."),
        documents=("A food bank voucher from a referral partner (paper or e-voucher).",),
        document_share=0.8,
        contact_titles=("Food bank manager", "Project coordinator"),
        multi_site=0.2,
    ),
    _Kind(
        "pantry", "food-banks-and-food-support", ("social-groups",),
        "community food projects",
        (
            _Variant(("{hood} Community Pantry",),
                     "A membership food club: pay a small weekly fee and choose fresh, chilled "
                     "and cupboard food worth much more", None, None,
                     "Residents of the local area; no referral needed.", schedule="drop_in",
                     costs=(("pantry", 1.0),)),
            _Variant(("{hood} Community Fridge",),
                     "Surplus food from local shops, free to anyone, so good food is not wasted",
                     None, None, "Everyone.", schedule="drop_in",
                     costs=(("free", 1.0),)),
            _Variant(("Pay-as-you-feel café – {venue}",),
                     "Hot meals made from surplus food: pay what you can, or volunteer instead",
                     None, None, "Everyone.", extra_terms=("social-groups",), schedule="lunch",
                     costs=(("donation", 1.0),)),
            _Variant(("Warm space and hot meal – {venue}",),
                     "A warm, welcoming place to spend time in winter, with free hot drinks, soup "
                     "and activities", None, None, "Everyone.", extra_terms=("social-groups",),
                     costs=(("free", 1.0),)),
            _Variant(("Cook and eat sessions – {venue}",),
                     "Learn to cook simple, healthy meals on a budget, then eat together",
                     16, None, "Adults and young people aged 16 and over.",
                     extra_terms=("health-checks-and-social-prescribing",)),
        ),
        (("community", 0.75), ("premises", 0.25)), "session",
        (("free", 0.7), ("small_fee", 0.3)), _JUST_TURN_UP,
        ("Bring your own bags.", "Vegetarian and halal options most weeks.",
         "Members also get money and energy advice."),
        contact_titles=("Pantry coordinator", "Café manager"),
    ),
    _Kind(
        "debt_advice", "debt-and-welfare-advice", (), "free debt advice",
        (
            _Variant(("Free debt advice – {town}", "Debt advice drop-in – {venue}"),
                     "Free, confidential, impartial advice on dealing with debts, including "
                     "priority bills, budgeting and debt solutions", 18, None,
                     "Adults aged 18 and over living in the Wigan borough."),
            _Variant(("Money advice helpline",),
                     "Telephone debt advice and help to set up affordable repayment plans",
                     18, None, "Adults aged 18 and over.", modes=(("phone", 1.0),),
                     schedule="helpline"),
            _Variant(("Help with energy bills – {town}",),
                     "Advice on energy debt, switching, grants and keeping warm for less", 18,
                     None, "Households in the Wigan borough struggling with energy costs."),
            _Variant(("Debt advice webchat",),
                     "Live chat with a qualified debt adviser", 18, None,
                     "Adults aged 18 and over.", modes=(("virtual", 1.0),), schedule="office"),
        ),
        (("premises", 0.55), ("community", 0.45)), "appointment", (("free", 1.0),),
        _SELF_REFER,
        ("Advice is free, confidential and impartial.",
         "We never judge: whatever your situation, we can help.",
         "We can talk to creditors for you."),
        documents=("Bring recent letters from creditors, bank statements and proof of income "
                   "if you have them.",),
        document_share=0.6,
        accreditations=("Advice Quality Standard",
                        "Authorised and regulated by the Financial Conduct Authority for debt "
                        "counselling"),
        contact_titles=("Debt adviser", "Advice services manager"),
        multi_site=0.35,
    ),
    _Kind(
        "welfare_advice", "debt-and-welfare-advice", ("employment-and-skills",),
        "welfare benefits advice",
        (
            _Variant(("Welfare benefits advice – {town}",),
                     "Help to check what benefits you are entitled to, fill in forms and "
                     "challenge decisions, including Universal Credit, PIP and Pension Credit",
                     16, None, "Residents of the Wigan borough aged 16 and over."),
            _Variant(("Universal Credit help to claim – {venue}",),
                     "Help to make and manage a Universal Credit claim online", 18, None,
                     "Adults aged 18 and over making a new claim."),
            _Variant(("Pension Credit checks – {venue}",),
                     "Find out if you can get Pension Credit and the extra help it unlocks",
                     66, None, "People over State Pension age.", extra_terms=("older-people",)),
            _Variant(("Council Tax support and hardship fund",),
                     "Help with Council Tax and emergency support for essentials", 18, None,
                     "Council Tax payers in the Wigan borough on a low income.",
                     modes=(("phone", 0.5), ("premises", 0.5)), schedule="office"),
        ),
        (("premises", 0.5), ("community", 0.5)), "drop_in", (("free", 1.0),), _SELF_REFER,
        ("Home visits for people who cannot get out.",
         "We can represent you at benefit tribunals.",
         "Appointments by phone or face to face."),
        documents=("Your National Insurance number, and any letters about your benefits.",),
        document_share=0.5,
        accreditations=("Advice Quality Standard",),
        contact_titles=("Welfare rights officer", "Benefits adviser"),
        multi_site=0.35,
    ),
    _Kind(
        "employment", "employment-and-skills", (), "help into work and learning",
        (
            _Variant(("Job club – {venue}",),
                     "Help with CVs, applications and interviews, with computers to use", 16,
                     None, "Anyone aged 16 and over looking for work."),
            _Variant(("Digital skills drop-in – {venue}",),
                     "Free help getting online, from email to online banking", 16, None,
                     "Anyone aged 16 and over."),
            _Variant(("English for speakers of other languages (ESOL) – {town}",),
                     "Free English classes from beginner to advanced", 16, None,
                     "Adults and young people aged 16 and over whose first language is not "
                     "English.", alternate_name="ESOL"),
            _Variant(("Work and skills advice – {town}",),
                     "One-to-one careers advice, training and help into work", 18, None,
                     "Adults aged 18 and over living in the borough.", schedule="appointment"),
            _Variant(("Free maths and English for adults – {venue}",),
                     "Friendly courses to build confidence with everyday maths and English",
                     19, None, "Adults aged 19 and over."),
        ),
        (("community", 0.7), ("premises", 0.3)), "session", (("free", 1.0),), _SELF_REFER,
        ("Childcare costs may be covered while you learn.",
         "Courses lead to recognised qualifications.",
         "Laptops can be borrowed."),
        contact_titles=("Employment adviser", "Adult learning tutor"),
        multi_site=0.3,
    ),
    _Kind(
        "community_centre", "community-centres", ("social-groups",), "a community centre",
        (
            _Variant(("{venue}",),
                     "A community centre with a main hall, meeting rooms and a kitchen, run for "
                     "and by local people", None, None, "Everyone is welcome."),
            _Variant(("{venue} community hub",),
                     "A community hub offering activities, advice surgeries and rooms to hire",
                     None, None, "Everyone is welcome."),
        ),
        (("premises", 1.0),), "centre", (("room_hire", 0.7), ("free", 0.3)),
        ("Call in during opening hours or phone to book a room.",),
        ("Activities through the week include coffee mornings, fitness classes and youth clubs.",
         "Rooms can be hired by local groups at reduced rates.",
         "The centre is a warm space in winter."),
        contact_titles=("Centre manager", "Bookings secretary"),
    ),
    _Kind(
        "social", "social-groups", ("mental-well-being",), "social groups",
        (
            _Variant(("{town} Men's Shed",),
                     "A workshop where people come together to make, mend and chat, shoulder to "
                     "shoulder", 18, None, "Adults aged 18 and over.",
                     modes=(("premises", 1.0),), extra_terms=("mental-well-being",),
                     costs=(("membership", 0.5), ("donation", 0.5))),
            _Variant(("Knit and natter – {venue}",),
                     "Bring your knitting, crochet or sewing and enjoy a chat", None, None,
                     "Everyone."),
            _Variant(("{town} Community Choir",),
                     "A friendly, no-audition choir singing pop, folk and show tunes", 16, None,
                     "Anyone aged 16 and over.", schedule="evening"),
            _Variant(("Coffee morning – {venue}", "{day} coffee morning – {hood}"),
                     "Tea, coffee, cake and a chat", None, None, "Everyone.",
                     schedule="morning"),
            _Variant(("Craft and chat – {venue}",),
                     "Try a new craft each week, with materials provided", None, None,
                     "Everyone; children with an adult."),
            _Variant(("Board games café – {venue}",),
                     "Dozens of board and card games to play over a brew", 12, None,
                     "Anyone aged 12 and over.", schedule="evening"),
            _Variant(("Reading group – {venue}",),
                     "A monthly book group: books can be borrowed from the library", 16, None,
                     "Anyone aged 16 and over.", schedule="monthly"),
        ),
        (("community", 0.9), ("premises", 0.1)), "session",
        (("free", 0.5), ("donation", 0.3), ("small_fee", 0.2)), _JUST_TURN_UP,
        ("New faces are always welcome.", "Refreshments included.",
         "The group is run entirely by volunteers."),
        contact_titles=("Group organiser",),
    ),
)  # fmt: skip

_KIND_BY_KEY: Final = {k.key: k for k in _KINDS}
_TOP_BY_TERM: Final = {code: (parent or code) for code, _, parent, _ in _TERMS}

# How often each kind is drawn once every organisation has its own first service. Roughly the
# mix of a real council directory: lots of groups for older people and families, fewer clinics.
_KIND_WEIGHTS: Final[dict[str, float]] = {
    "park": 3.0, "cycle_route": 0.6, "leisure_centre": 0.8, "leisure_class": 3.0,
    "walking_group": 6.0, "running_group": 2.5, "bike_rides": 1.5, "exercise_class": 5.0,
    "stop_smoking": 3.5, "drug_alcohol": 3.5, "mental_wellbeing": 9.0, "health_check": 3.0,
    "domestic_abuse": 1.0, "refuge": 1.5, "carers": 4.5, "older_people": 9.0,
    "early_years": 8.0, "parenting": 3.5, "youth": 5.5, "volunteering": 8.0, "garden": 1.5,
    "food_bank": 4.0, "pantry": 3.5, "debt_advice": 4.0, "welfare_advice": 2.5,
    "employment": 2.5, "community_centre": 2.5, "social": 6.0,
}  # fmt: skip

# Who provides each kind: "anchor:<key>" is a named organisation (or group of them, such as the
# primary care networks), "type:<type>" any organisation of that type, "brand:<key>" the local
# branches of a national charity.
_PROVIDERS: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "park": (("anchor:parks", 1.0),),
    "cycle_route": (("anchor:parks", 1.0),),
    "leisure_centre": (("anchor:leisure", 1.0),),
    "leisure_class": (("anchor:leisure", 1.0),),
    "walking_group": (("anchor:livewell", 3), ("type:community", 5), ("brand:walk", 2),
                      ("type:faith", 1)),
    "running_group": (("type:community", 4), ("type:social_enterprise", 1), ("anchor:leisure", 1)),
    "bike_rides": (("type:social_enterprise", 3), ("type:community", 2), ("anchor:livewell", 1)),
    "exercise_class": (("type:community", 4), ("type:social_enterprise", 3),
                       ("anchor:livewell", 2), ("type:faith", 1), ("brand:age", 1)),
    "stop_smoking": (("anchor:livewell", 4), ("anchor:nhs", 2), ("type:gp", 3), ("brand:quit", 1)),
    "drug_alcohol": (("brand:recovery", 4), ("type:charity", 3), ("type:community", 1),
                     ("anchor:nhs", 1)),
    "mental_wellbeing": (("brand:mind", 4), ("type:community", 4), ("type:charity", 2),
                         ("anchor:nhs", 2), ("type:faith", 1), ("type:social_enterprise", 1)),
    "health_check": (("type:gp", 4), ("anchor:pcn", 3), ("anchor:nhs", 1), ("anchor:livewell", 2)),
    "domestic_abuse": (("brand:safe", 3), ("focus:domestic_abuse", 2), ("focus:refuge", 2),
                       ("type:charity", 0.5)),
    "refuge": (("brand:safe", 3), ("focus:refuge", 2), ("focus:domestic_abuse", 2),
               ("type:charity", 0.5)),
    "carers": (("brand:carers", 4), ("type:charity", 2), ("type:community", 2), ("anchor:nhs", 1)),
    "older_people": (("brand:age", 4), ("type:community", 5), ("type:faith", 3)),
    "early_years": (("anchor:familyhubs", 4), ("type:community", 3), ("type:faith", 2),
                    ("anchor:libraries", 1), ("type:social_enterprise", 1)),
    "parenting": (("anchor:familyhubs", 3), ("brand:family", 3), ("type:charity", 1)),
    "youth": (("brand:youth", 2), ("type:community", 3), ("type:faith", 1),
              ("anchor:familyhubs", 1), ("type:social_enterprise", 1)),
    "volunteering": (("brand:volunteer", 3), ("anchor:council", 1), ("anchor:parks", 1),
                     ("type:community", 3), ("type:charity", 1)),
    "garden": (("type:community", 3), ("type:social_enterprise", 1)),
    "food_bank": (("brand:food", 3), ("type:faith", 3), ("type:community", 1)),
    "pantry": (("type:community", 3), ("type:faith", 2), ("type:social_enterprise", 2)),
    "debt_advice": (("brand:money", 4), ("anchor:welfare", 2), ("type:charity", 2)),
    "welfare_advice": (("anchor:welfare", 3), ("brand:money", 2), ("type:charity", 1)),
    "employment": (("anchor:council", 2), ("anchor:libraries", 1), ("type:social_enterprise", 3),
                   ("type:charity", 1)),
    "community_centre": (("focus:community_centre", 5), ("anchor:council", 1), ("type:faith", 1)),
    "social": (("type:community", 5), ("type:faith", 2), ("anchor:libraries", 2), ("brand:age", 1)),
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------

# Fictional national charities (key, name, kinds their branches run, founded).
_BRANDS: Final = (
    ("age", "Age Together", ("older_people", "social", "carers", "welfare_advice"), 1948),
    ("carers", "Carers Connect", ("carers",), 1988),
    ("mind", "MindWell", ("mental_wellbeing",), 1972),
    ("recovery", "Forward Steps Recovery", ("drug_alcohol",), 1990),
    ("money", "Money Compass", ("debt_advice", "welfare_advice"), 1993),
    ("family", "Family Bridges", ("parenting", "early_years"), 1979),
    ("safe", "Safe Haven Partnership", ("domestic_abuse", "refuge"), 1976),
    ("food", "Hope Lane Food Network", ("food_bank",), 2004),
    ("walk", "Walk Together", ("walking_group",), 1998),
    ("youth", "Youth Horizons", ("youth",), 1985),
    ("quit", "Quit for Good", ("stop_smoking",), 2001),
    ("volunteer", "Volunteer Connect", ("volunteering",), 1995),
)  # fmt: skip

# Where a branch is based: (name used in "<brand> <area>", town).
_BRANCH_AREAS: Final = (
    ("Wigan Borough", "Wigan"), ("Leigh", "Leigh"), ("Wigan and Leigh", "Wigan"),
    ("Atherton and Tyldesley", "Atherton"), ("Ashton and Golborne", "Ashton-in-Makerfield"),
    ("Hindley and Ince", "Hindley"), ("Standish and Shevington", "Standish"),
    ("Orrell and Pemberton", "Orrell"), ("Lowton and Golborne", "Lowton"),
)  # fmt: skip

# Primary care networks, each grouping the GP practices of a few towns.
_PCNS: Final = (
    ("Wigan Central and North", ("Wigan", "Standish", "Aspull", "Shevington")),
    ("Wigan South and West", ("Orrell", "Pemberton", "Ashton-in-Makerfield")),
    ("Leigh, Atherton and Tyldesley", ("Leigh", "Atherton", "Tyldesley", "Astley")),
    ("Hindley, Ince and Golborne", ("Hindley", "Ince", "Abram", "Golborne", "Lowton")),
)

# Non-anchor organisation types: (type, share, focus kinds with weights).
_ORG_TYPES: Final[tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...]] = (
    ("community", 0.48, (
        ("walking_group", 8), ("running_group", 4), ("garden", 3), ("volunteering", 6),
        ("older_people", 10), ("early_years", 8), ("youth", 6), ("social", 12), ("food_bank", 2),
        ("pantry", 4), ("community_centre", 8), ("mental_wellbeing", 6), ("carers", 3),
        ("drug_alcohol", 1), ("exercise_class", 5))),
    ("faith", 0.14, (
        ("food_bank", 10), ("pantry", 4), ("older_people", 8), ("early_years", 6), ("youth", 5),
        ("social", 8), ("mental_wellbeing", 2), ("volunteering", 2), ("community_centre", 3))),
    ("branch", 0.10, ()),
    ("social_enterprise", 0.12, (
        ("exercise_class", 4), ("running_group", 2), ("bike_rides", 3), ("pantry", 4),
        ("employment", 5), ("youth", 3), ("mental_wellbeing", 3), ("garden", 3),
        ("community_centre", 2), ("early_years", 2))),
    ("gp", 0.06, (("health_check", 6), ("stop_smoking", 2))),
    ("charity", 0.10, (
        ("carers", 4), ("mental_wellbeing", 4), ("drug_alcohol", 3), ("debt_advice", 4),
        ("welfare_advice", 2), ("domestic_abuse", 2), ("refuge", 2), ("youth", 2),
        ("employment", 2), ("older_people", 2), ("food_bank", 2), ("parenting", 2))),
)  # fmt: skip

# Organisation names for community groups, by focus kind.
_COMMUNITY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "walking_group": ("{town} Walking Group", "{hood} Ramblers", "{town} Health Walkers"),
    "running_group": ("{town} Running Club", "{hood} Joggers", "{town} Road Runners"),
    "garden": ("{hood} Community Garden Group", "{hood} In Bloom", "{town} Allotment Society"),
    "volunteering": ("{hood} Litter Pickers", "{town} Good Neighbours", "Friends of {hood}"),
    "older_people": ("{town} Over 60s Club", "{hood} Senior Citizens' Association",
                     "{hood} Friendship Club"),
    "early_years": ("{hood} Toddler Group", "{hood} Little Stars", "{town} Baby and Toddler Group"),
    "youth": ("{hood} Youth Club", "{town} Youth Project", "{hood} Young People's Forum"),
    "social": ("{town} Men's Shed", "{hood} Craft and Chat", "{town} Community Choir",
               "{hood} Knit and Natter"),
    "food_bank": ("{hood} Food Share", "{town} Community Food Bank"),
    "pantry": ("{hood} Community Pantry", "{hood} Community Fridge", "{hood} Food Club"),
    "community_centre": ("{hood} Community Association", "{hood} Community Centre Trust"),
    "mental_wellbeing": ("{town} Well-being Group", "{hood} Peer Support Network",
                         "{town} Bereavement Support Group"),
    "carers": ("{town} Carers' Group", "{hood} Dementia Support Group"),
    "drug_alcohol": ("{town} Recovery Community",),
    "exercise_class": ("{hood} Chair Yoga Group", "{town} Tai Chi Club", "{hood} Keep Fit Club"),
}  # fmt: skip

# Faith groups: (organisation name, the hall other groups hire).
_FAITH_NAMES: Final = (
    ("St {saint}'s Parish Church, {town}", "St {saint}'s Church Hall, {town}"),
    ("{town} Methodist Church", "{town} Methodist Church Hall"),
    ("{hood} Baptist Church", "{hood} Baptist Church Hall"),
    ("Sacred Heart Catholic Church, {hood}", "Sacred Heart Parish Centre, {hood}"),
    ("{town} Community Church", "{town} Community Church Centre"),
    ("{town} Islamic Centre", "{town} Islamic Centre"),
    ("{hood} Evangelical Church", "{hood} Evangelical Church Hall"),
    ("{town} Quaker Meeting", "{town} Friends Meeting House"),
    ("St {saint}'s Catholic Church, {hood}", "St {saint}'s Parish Hall, {hood}"),
)  # fmt: skip
_SAINTS: Final = (
    "Mary",
    "John",
    "Paul",
    "Michael",
    "Peter",
    "Thomas",
    "Anne",
    "James",
    "Luke",
    "Mark",
    "Elizabeth",
    "George",
    "Andrew",
    "Catharine",
    "Aidan",
    "Wilfrid",
)

_SOCIAL_ENTERPRISE_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "exercise_class": ("Move It {town} CIC", "{town} Active Communities CIC"),
    "running_group": ("Run {town} CIC",),
    "bike_rides": ("Pedal Power {town} CIC", "{town} Bike Hub CIC"),
    "pantry": ("{town} Community Café CIC", "Full Plates {town} CIC"),
    "employment": ("Next Step Skills {town} CIC", "{town} Works CIC"),
    "youth": ("Bright Futures {town} CIC",),
    "mental_wellbeing": ("Lifting Spirits {town} CIC", "{town} Well-being Hub CIC"),
    "garden": ("Green Shoots {town} CIC",),
    "community_centre": ("{hood} Community Hub CIC",),
    "early_years": ("Little Explorers {town} CIC",),
}  # fmt: skip

_CHARITY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "carers": ("{town} Carers Centre", "Wigan Borough Young Carers Trust"),
    "mental_wellbeing": ("{town} Mental Health Trust", "Wigan Borough Counselling Service"),
    "drug_alcohol": ("{town} Recovery Partnership", "Wigan Borough Addiction Support"),
    "debt_advice": ("{town} Advice Centre", "{town} Money Advice Trust"),
    "welfare_advice": ("{town} Welfare Rights Centre",),
    "domestic_abuse": ("{town} Domestic Abuse Support", "Wigan Borough Women's Centre"),
    "refuge": ("{town} Refuge Trust", "Wigan Borough Safe Homes"),
    "youth": ("{town} Youth Trust", "{town} Young People's Charity"),
    "employment": ("{town} Learning and Skills Trust",),
    "older_people": ("{town} Ageing Well Trust",),
    "food_bank": ("{town} Food Bank Trust",),
    "parenting": ("{town} Family Support Trust",),
}  # fmt: skip

_GP_NAMES: Final = (
    "{street} Medical Practice",
    "{town} Family Practice",
    "{hood} Surgery",
    "{street} Surgery",
    "{hood} Medical Centre",
)

_FIRST_NAMES: Final = (
    "Aisha", "Alan", "Amanda", "Andrew", "Angela", "Anna", "Barbara", "Ben", "Bernadette", "Carol",
    "Chloe", "Chris", "Claire", "Colin", "Craig", "Danielle", "David", "Dawn", "Deborah", "Dorota",
    "Emma", "Gary", "Gemma", "Graham", "Hannah", "Helen", "Imran", "Ioana", "Jack", "Jacqueline",
    "James", "Jane", "Janet", "Jason", "Joanne", "John", "Julie", "Karen", "Kate", "Kevin",
    "Laura", "Lee", "Lisa", "Mandy", "Marek", "Margaret", "Mark", "Michelle", "Mohammed",
    "Natalie", "Neil", "Nicola", "Paul", "Pauline", "Peter", "Rachel", "Rebecca", "Richard",
    "Sadia", "Samantha", "Sarah", "Sean", "Sharon", "Simon", "Sophie", "Stephen", "Susan", "Tom",
    "Tracey", "Wendy", "Zofia",
)  # fmt: skip
_SURNAMES: Final = (
    "Ashcroft", "Ashurst", "Atherton", "Baxter", "Bibby", "Brown", "Calderbank", "Clarke",
    "Dootson", "Evans", "Fairhurst", "Farrimond", "Fletcher", "Gaskell", "Green", "Grundy", "Hart",
    "Heaton", "Hilton", "Holden", "Hughes", "Hussain", "Johnson", "Jones", "Khan", "Kowalczyk",
    "Lowe", "Marsden", "Melling", "Nowak", "Parr", "Patel", "Pennington", "Popescu", "Prescott",
    "Rigby", "Roberts", "Shaw", "Smith", "Speakman", "Taylor", "Thompson", "Turner", "Unsworth",
    "Walker", "Winstanley", "Wright", "Yates",
)  # fmt: skip

# Languages other than English offered by some services: (name, ISO 639 code, weight). Polish,
# Romanian and Urdu are among the most spoken languages in the borough after English; BSL uses
# its ISO 639-3 code.
_LANGUAGES: Final = (
    ("Polish", "pl", 5.0), ("Romanian", "ro", 3.0), ("Urdu", "ur", 3.0),
    ("British Sign Language", "bfi", 2.0), ("Arabic", "ar", 2.0), ("Portuguese", "pt", 1.0),
)  # fmt: skip
_LANGUAGE_NOTES: Final = (
    "A {name}-speaking volunteer is at most sessions.",
    "An interpreter can be booked with a week's notice.",
    "Leaflets available in {name}.",
    "Telephone interpreting available on request.",
)

_ACCESS_BUILDING: Final = (
    ("Step-free access to all public areas.", None),
    ("Accessible toilet on the ground floor.", None),
    ("Hearing loop at reception.", "Switch your hearing aid to the T setting."),
    ("Accessible parking bays by the entrance.", "Blue Badge holders only."),
    ("Lift to all floors.", None),
    ("Baby changing facilities.", None),
    ("Changing Places toilet with hoist and adult-sized changing bench.",
     "Bring your own sling or ask staff, who are trained to help."),
    ("Quiet room available on request.", "Useful for autistic visitors or anyone who needs a break."),
    ("Assistance dogs welcome.", None),
)  # fmt: skip
_ACCESS_OUTDOOR: Final = (
    ("Surfaced paths suitable for wheelchairs and pushchairs.", None),
    ("Some steep or uneven paths.", "The lakeside loop is the flattest route."),
    ("Accessible toilet near the main entrance.", "Open when the café is open."),
    ("Benches every few hundred metres.", None),
    ("Accessible parking at the main car park.", None),
    ("Gates and barriers allow mobility scooters through.", None),
)  # fmt: skip

_FUNDERS: Final[dict[str, tuple[str, ...]]] = {
    "council": ("Wigan Council revenue budget.", "Public health grant."),
    "nhs": ("NHS funding through the Greater Manchester integrated care board.",),
    "voluntary": (
        "A Deal for Communities Investment Fund grant from Wigan Council.",
        "A small grant from a local community foundation.",
        "Donations, fundraising events and members' subscriptions.",
        "A National Lottery community grant.",
        "Local business sponsorship.",
        "Commissioned by Wigan Council.",
        "A charitable trust grant.",
    ),
}  # fmt: skip

# Ofcom's numbers for TV and radio drama: never allocated, so nobody is rung by mistake.
_PHONE_LANDLINE: Final = ("0161 496 0{:03d}", "01632 960{:03d}")
_PHONE_MOBILE: Final = "07700 900{:03d}"
_PHONE_FREEPHONE: Final = "0808 157 0{:03d}"
_PHONE_NON_GEOGRAPHIC: Final = "0306 999 0{:03d}"

_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES: Final = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
}  # fmt: skip
_ORDINALS: Final = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR")


# RFC 4122 version 4: version nibble 0100, variant bits 10.
_UUID_CLEAR: Final = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET: Final = (0x4000 << 64) | (0x8000 << 48)


def _t(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


# --------------------------------------------------------------------------------------------
# Internal records
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Place:
    """A postcode given a town."""

    postcode: PostcodeLike
    town: _Town


@dataclass(slots=True)
class _Loc:
    id: str
    name: str
    town: _Town | None
    hood: str | None
    physical: bool
    categories: tuple[str, ...] = ()
    confidential: bool = False
    postcode: PostcodeLike | None = None


@dataclass(slots=True)
class _Org:
    id: str
    name: str
    org_type: str
    town: _Town
    hood: str
    focus: str
    weight: float
    domain: str
    email: str
    website: str | None
    anchor: str | None = None
    brand: str | None = None
    national: bool = False
    premises: list[_Loc] = field(default_factory=list)
    online: _Loc | None = None
    program_id: str | None = None
    program_top: str | None = None
    planned: int = 0


def _slug(text: str) -> str:
    text = text.lower().replace("&", "and").replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48].strip("-")


def _days_text(days: Sequence[str]) -> str:
    if len(days) == 7:
        return "Every day"
    index = [_DAYS.index(d) for d in days]
    if len(days) >= 3 and index == list(range(index[0], index[0] + len(index))):
        return f"{_DAY_NAMES[days[0]]} to {_DAY_NAMES[days[-1]]}"
    names = [_DAY_NAMES[d] + "s" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _time_text(value: datetime.time) -> str:
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (23, 59):
        return "midnight"
    suffix = "am" if value.hour < 12 else "pm"
    hour = value.hour % 12 or 12
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _hours_text(opens: datetime.time, closes: datetime.time) -> str:
    return f"{_time_text(opens)} to {_time_text(closes)}"


def _add_minutes(value: datetime.time, minutes: int) -> datetime.time:
    total = min(value.hour * 60 + value.minute + minutes, 23 * 60 + 59)
    return datetime.time(total // 60, total % 60)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, postcodes: Sequence[PostcodeLike], *, seed: int, as_of: datetime.date):
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.tables: Tables = {stem: [] for stem in HSDS_TABLE_COLUMNS}
        self._templates = {
            stem: dict.fromkeys(columns) for stem, columns in HSDS_TABLE_COLUMNS.items()
        }
        self._templates["locations"].update(dict.fromkeys(LOCATION_EXTENSION_COLUMNS))
        self._places_by_town: dict[str, list[_Place]] = {t.name: [] for t in _TOWNS}
        self._all_places: list[_Place] = []
        self._index_postcodes(postcodes)
        # Towns with postcodes, weighted by how many: postcodes are a fair proxy for population.
        self._towns = [t for t in _TOWNS if self._places_by_town[t.name]]
        self._town_weights = [len(self._places_by_town[t.name]) for t in self._towns]
        self._town_by_name = {t.name: t for t in _TOWNS}
        self.terms: dict[str, str] = {}  # taxonomy term code -> id
        self.orgs: list[_Org] = []
        self._anchors: dict[str, list[_Org]] = {}
        self._by_type: dict[str, list[_Org]] = {}
        self._by_brand: dict[str, list[_Org]] = {}
        self._brand_orgs: dict[str, _Org] = {}
        self._pools: dict[str, tuple[list[_Org], list[float]]] = {}
        self._venues: dict[str, list[_Loc]] = {}
        self._venues_by_town: dict[tuple[str, str], list[_Loc]] = {}
        self._org_names: set[str] = set()
        self._service_names: set[str] = set()
        self._location_names: set[str] = set()
        self._unused_parks = list(_REAL_PARKS)
        self._unused_routes = list(_REAL_ROUTES)
        self._physical_public = 0
        fy_start = datetime.date(as_of.year if as_of.month >= 4 else as_of.year - 1, 4, 1)
        self._financial_year = (fy_start, datetime.date(fy_start.year + 1, 3, 31))

    # --- plumbing ---------------------------------------------------------------------------
    def _id(self) -> str:
        """A random (version 4) UUID from the seeded generator.

        The same as ``str(uuid.UUID(int=bits, version=4))``, set by hand because ids are a
        quarter of all the work and this is twice as fast.
        """
        bits = self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _add(self, stem: str, **values: object) -> Row:
        row = self._templates[stem].copy()
        row.update(values)
        if len(row) != len(self._templates[stem]):
            unknown = sorted(set(row) - set(self._templates[stem]))
            raise KeyError(f"{stem}: not a column: {', '.join(unknown)}")
        if row["id"] is None:
            row["id"] = self._id()
        self.tables[stem].append(row)
        return row

    def _pick(self, options: Sequence[tuple[str, float]]) -> str:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _date_before(self, low_days: int, high_days: int) -> datetime.date:
        return self.as_of - datetime.timedelta(days=self.rng.randint(low_days, high_days))

    def _person(self) -> tuple[str, str]:
        first = self.rng.choice(_FIRST_NAMES)
        last = self.rng.choice(_SURNAMES)
        return f"{first} {last}", f"{first}.{last}".lower()

    def _phone_number(self, style: str) -> str:
        n = self.rng.randrange(1000)
        if style == "mobile":
            return _PHONE_MOBILE.format(n)
        if style == "freephone":
            return _PHONE_FREEPHONE.format(n)
        if style == "non_geographic":
            return _PHONE_NON_GEOGRAPHIC.format(n)
        return self.rng.choice(_PHONE_LANDLINE).format(n)

    def _unique(self, names: set[str], name: str, qualifiers: Sequence[str]) -> str:
        """Make a name unique by adding a place, then a number, as real directories do."""
        if name not in names:
            names.add(name)
            return name
        for qualifier in qualifiers:
            if qualifier in name:
                continue
            candidate = f"{name} ({qualifier})"
            if candidate not in names:
                names.add(candidate)
                return candidate
        number = 2
        while f"{name} ({number})" in names:
            number += 1
        names.add(f"{name} ({number})")
        return f"{name} ({number})"

    # --- geography --------------------------------------------------------------------------
    def _index_postcodes(self, postcodes: Sequence[PostcodeLike]) -> None:
        for pc in postcodes:
            town = min(
                _TOWNS,
                key=lambda t: (t.easting - pc.easting) ** 2 + (t.northing - pc.northing) ** 2,
            )
            place = _Place(pc, town)
            self._places_by_town[town.name].append(place)
            self._all_places.append(place)

    def _town(self) -> _Town:
        return self.rng.choices(self._towns, weights=self._town_weights)[0]

    def _town_named(self, name: str) -> _Town:
        town = self._town_by_name[name]
        return town if self._places_by_town[town.name] else self._town()

    def _place_in(self, town: _Town | None) -> _Place:
        places = self._places_by_town[town.name] if town else []
        return self.rng.choice(places or self._all_places)

    def _street(self, town: _Town) -> str:
        if self._chance(0.7):
            return self.rng.choice(town.streets)
        return self.rng.choice(_GENERAL_STREETS)

    # --- taxonomy ---------------------------------------------------------------------------
    def _build_taxonomies(self) -> None:
        demo = self._add(
            "taxonomies",
            name=DEMO_TAXONOMY_NAME,
            description="Categories of the community assets directory of The Deal: places, "
            "groups and services that help people live well.",
            uri=f"{_TAXONOMY_BASE}community-assets",
            version="1.0",
        )
        for code, name, parent, description in _TERMS:
            row = self._add(
                "taxonomy_terms",
                code=code,
                name=name,
                description=description,
                parent_id=self.terms[parent] if parent else None,
                taxonomy=DEMO_TAXONOMY_NAME,
                language="en",
                taxonomy_id=demo["id"],
                term_uri=f"{_TAXONOMY_BASE}community-assets/{code}",
            )
            self.terms[code] = str(row["id"])
        provenance = self._add(
            "taxonomies",
            name=PROVENANCE_TAXONOMY_NAME,
            description="Where a record comes from.",
            uri=f"{_TAXONOMY_BASE}provenance",
            version="1.0",
        )
        row = self._add(
            "taxonomy_terms",
            code=_PROVENANCE_CODE,
            name=SYNTHETIC_TERM_NAME,
            description="Invented for demonstrations and tests; not a real organisation, "
            "service or place.",
            taxonomy=PROVENANCE_TAXONOMY_NAME,
            language="en",
            taxonomy_id=provenance["id"],
            term_uri=f"{_TAXONOMY_BASE}provenance/{_PROVENANCE_CODE}",
        )
        self.terms[_PROVENANCE_CODE] = str(row["id"])

    # --- organisations ----------------------------------------------------------------------
    def _new_org(
        self,
        *,
        name: str,
        org_type: str,
        town: _Town,
        focus: str,
        description: str,
        legal_status: str | None,
        year: int | None,
        weight: float,
        domain: str | None = None,
        anchor: str | None = None,
        brand: str | None = None,
        parent: _Org | None = None,
        alternate_name: str | None = None,
        national: bool = False,
        webmail: bool = False,
        hood: str | None = None,
    ) -> _Org:
        name = self._unique(self._org_names, name, (town.name, self.rng.choice(town.hoods)))
        slug = _slug(name)
        domain = domain or f"{slug}.example.org"
        if webmail:
            # Small groups often have no website and use a personal-style email address.
            email = f"{slug.replace('-', '')[:24]}@mail.example.com"
            website = None if self._chance(0.6) else f"https://social.example.com/{slug}"
        else:
            email = f"{self.rng.choice(('info', 'hello', 'enquiries', 'contact'))}@{domain}"
            website = f"https://www.{domain}/"
        org = _Org(
            id=self._id(), name=name, org_type=org_type, town=town,
            hood=hood or self.rng.choice(town.hoods), focus=focus, weight=weight, domain=domain,
            email=email, website=website, anchor=anchor, brand=brand, national=national,
        )  # fmt: skip
        self._add(
            "organizations",
            id=org.id,
            name=name,
            alternate_name=alternate_name,
            description=f"{description} {SYNTHETIC_NOTE}",
            email=email,
            website=website,
            year_incorporated=year,
            legal_status=legal_status,
            parent_organization_id=parent.id if parent else None,
        )
        # Every organisation is tagged as synthetic, so a filter can hide or purge the demo.
        self._add(
            "attributes",
            link_id=org.id,
            taxonomy_term_id=self.terms[_PROVENANCE_CODE],
            link_type="provenance",
            link_entity="organization",
            value="synthetic",
        )
        self.orgs.append(org)
        if anchor:
            self._anchors.setdefault(anchor, []).append(org)
        elif brand and not national:
            self._by_brand.setdefault(brand, []).append(org)
        else:
            self._by_type.setdefault(org_type, []).append(org)
        self._org_extras(org)
        return org

    def _org_extras(self, org: _Org) -> None:
        """Phones, contacts, identifiers and funding of an organisation."""
        rng = self.rng
        if org.org_type in ("council", "council_dept"):
            style = "non_geographic"
        elif org.national:
            style = "freephone"
        elif org.org_type in ("community", "faith") and self._chance(0.5):
            style = "mobile"
        else:
            style = "landline"
        if org.org_type != "council_dept" and self._chance(0.9):
            self._add(
                "phones",
                organization_id=org.id,
                number=self._phone_number(style),
                extension=rng.choice((2, 3, 4)) if style == "non_geographic" else None,
                type="cell" if style == "mobile" else "voice",
                description="Main number." if style != "mobile" else "Group organiser's mobile.",
            )
        if self._chance(0.35):
            person, handle = self._person()
            contact = self._add(
                "contacts",
                organization_id=org.id,
                name=person,
                title=rng.choice(("Chair", "Secretary", "Chief officer", "Manager", "Treasurer")),
                email=f"{handle}@{org.domain}" if org.website else org.email,
            )
            if self._chance(0.3):
                self._add(
                    "phones",
                    contact_id=contact["id"],
                    number=self._phone_number("mobile"),
                    type="cell",
                    description="Weekdays only, please.",
                )
        scheme = self._identifier_scheme(org)
        for identifier_scheme, identifier_type, identifier in scheme:
            self._add(
                "organization_identifiers",
                organization_id=org.id,
                identifier_scheme=identifier_scheme,
                identifier_type=identifier_type,
                identifier=identifier,
            )
        if org.org_type in ("council", "nhs", "leisure") or (
            org.org_type not in ("council_dept", "pcn", "gp") and self._chance(0.3)
        ):
            funders = (
                _FUNDERS["council"] if org.org_type == "council"
                else _FUNDERS["nhs"] if org.org_type == "nhs"
                else _FUNDERS["voluntary"]
            )  # fmt: skip
            self._add("funding", organization_id=org.id, source=rng.choice(funders))

    def _identifier_scheme(self, org: _Org) -> list[tuple[str, str, str]]:
        rng = self.rng
        # Charity numbers above 1,300,000 and company numbers above 18,000,000 have not been
        # issued yet, so these identifiers cannot point at a real body.
        charity = ("GB-CHC", "Charity number", str(rng.randint(1_300_000, 1_399_999)))
        company = ("GB-COH", "Company number", f"{rng.randint(18_000_000, 19_999_999):08d}")
        kind = org.org_type
        if kind == "council":
            return [("GB-LAE", "Local authority code", "WGN")]
        if kind == "leisure":
            return [charity, company]
        if kind == "brand":
            return [charity]
        if kind == "charity":
            return [charity, company] if self._chance(0.3) else [charity]
        if kind == "social_enterprise":
            return [company]
        if (kind == "faith" and self._chance(0.4)) or (kind == "community" and self._chance(0.12)):
            return [charity]
        return []

    def _build_organizations(self, count: int) -> None:
        if count <= 0:
            return
        anchors = self._anchor_specs()
        for spec in anchors[:count]:
            spec()
        for _ in range(count - min(count, len(anchors))):
            self._new_local_org()
        for org in self.orgs:
            self._eager_premises(org)

    def _anchor_specs(self) -> list[Callable[[], None]]:
        """The borough's big providers, in the order they are kept when organisations are few."""
        wigan = self._town_named("Wigan")
        specs: list[Callable[[], None]] = []
        holder: dict[str, _Org] = {}

        def council() -> None:
            holder["council"] = self._new_org(
                name="Wigan Council", org_type="council", town=wigan, focus="volunteering",
                description="The local authority for the Wigan borough, providing parks, "
                "libraries, family hubs, public health and welfare services.",
                legal_status="Local authority", year=1974, weight=10.0,
                domain="wigan-council.example.org", anchor="council",
                alternate_name="Wigan Metropolitan Borough Council",
            )  # fmt: skip

        def dept(anchor: str, name: str, focus: str, description: str) -> Callable[[], None]:
            def make() -> None:
                self._new_org(
                    name=name, org_type="council_dept", town=wigan, focus=focus,
                    description=description, legal_status="Local authority service", year=None,
                    weight=5.0, domain="wigan-council.example.org", anchor=anchor,
                    parent=holder.get("council"),
                )  # fmt: skip

            return make

        def leisure() -> None:
            self._new_org(
                name="Active Borough Leisure Trust", org_type="leisure", town=wigan,
                focus="leisure_centre",
                description="A not-for-profit leisure trust running leisure centres, pools and "
                "sports halls across the borough on behalf of the council.",
                legal_status="Charitable company limited by guarantee",
                year=self.rng.randint(2002, 2012), weight=5.0, anchor="leisure",
            )  # fmt: skip

        def nhs() -> None:
            holder["nhs"] = self._new_org(
                name="Wigan Borough Community Health Services NHS", org_type="nhs", town=wigan,
                focus="stop_smoking",
                description="NHS community health services for the borough, including health "
                "improvement, talking therapies and community clinics.",
                legal_status="NHS body", year=self.rng.randint(2007, 2016), weight=5.0,
                domain="community-health.nhs.example.org", anchor="nhs",
            )  # fmt: skip

        def pcn(area: str, towns: tuple[str, ...]) -> Callable[[], None]:
            def make() -> None:
                self._new_org(
                    name=f"{area} Primary Care Network", org_type="pcn",
                    town=self._town_named(towns[0]), focus="health_check",
                    description=f"The GP practices of {', '.join(towns[:-1])} and {towns[-1]} "
                    "working together to offer extra services such as social prescribing and "
                    "health checks.",
                    legal_status="Primary care network", year=2019, weight=2.0, anchor="pcn",
                    parent=holder.get("nhs"),
                )  # fmt: skip

            return make

        def brand(key: str, name: str, kinds: tuple[str, ...], year: int) -> Callable[[], None]:
            def make() -> None:
                self._brand_orgs[key] = self._new_org(
                    name=name, org_type="brand", town=wigan, focus=f"helpline:{key}",
                    description=f"A national charity offering {_KIND_BY_KEY[kinds[0]].activity} "
                    "across England, through a national helpline and local branches.",
                    legal_status="Registered charity", year=year, weight=1.0, brand=key,
                    national=True,
                )  # fmt: skip

            return make

        specs.append(council)
        specs.append(
            dept(
                "parks",
                "Wigan Council Parks and Green Spaces",
                "park",
                "The council service that looks after the borough's parks, woodlands, "
                "nature reserves, towpaths and cycle routes.",
            )
        )
        specs.append(leisure)
        specs.append(
            dept(
                "livewell",
                "Live Well Wigan Borough",
                "stop_smoking",
                "The council's healthy lifestyles service: stop smoking, health walks, "
                "weight management and exercise.",
            )
        )
        specs.append(nhs)
        specs.append(
            dept(
                "familyhubs",
                "Wigan Family Hubs",
                "early_years",
                "The council's family hubs, offering help for families with children "
                "from pregnancy to 19 (25 with SEND).",
            )
        )
        specs.append(
            dept(
                "welfare",
                "Wigan Council Welfare Support",
                "welfare_advice",
                "The council's welfare rights and hardship support team.",
            )
        )
        specs.append(
            dept(
                "libraries",
                "Wigan Libraries",
                "social",
                "The borough's public libraries: books, computers, activities and "
                "community spaces.",
            )
        )
        for key, name, kinds, year in _BRANDS:
            specs.append(brand(key, name, kinds, year))
        for area, towns in _PCNS:
            specs.append(pcn(area, towns))
        return specs

    def _new_local_org(self) -> None:
        rng = self.rng
        org_type = self._pick([(t, share) for t, share, _ in _ORG_TYPES])
        focus_options = {t: kinds for t, _, kinds in _ORG_TYPES}[org_type]
        town = self._town()
        hood = rng.choice(town.hoods)
        # Sizes follow a long tail: most groups run one or two things, a few run many.
        weight = rng.paretovariate(1.6)
        slots = {"town": town.name, "hood": hood, "street": self._street(town),
                 "saint": rng.choice(_SAINTS)}  # fmt: skip
        if org_type == "branch" and self._brand_orgs:
            key = rng.choice(sorted(self._brand_orgs))
            brand_org = self._brand_orgs[key]
            kinds = next(b[2] for b in _BRANDS if b[0] == key)
            taken = {o.name for o in self._by_brand.get(key, [])}
            areas = [a for a in _BRANCH_AREAS if f"{brand_org.name} {a[0]}" not in taken]
            if areas:
                area, town_name = rng.choice(areas)
                town = self._town_named(town_name)
                focus = rng.choice(kinds)
                self._new_org(
                    name=f"{brand_org.name} {area}", org_type="branch", town=town, focus=focus,
                    description=f"The {area} branch of {brand_org.name}, a national charity. "
                    f"Locally we offer {_KIND_BY_KEY[focus].activity}.",
                    legal_status="Branch of a registered charity",
                    year=rng.randint(1970, 2015), weight=weight * 2, brand=key, parent=brand_org,
                )  # fmt: skip
                return
            org_type = "charity"
            focus_options = {t: kinds for t, _, kinds in _ORG_TYPES}["charity"]
        elif org_type == "branch":
            org_type = "charity"
            focus_options = {t: kinds for t, _, kinds in _ORG_TYPES}["charity"]
        focus = self._pick(focus_options)
        activity = _KIND_BY_KEY[focus].activity
        if org_type == "community":
            name = rng.choice(_COMMUNITY_NAMES[focus]).format_map(slots)
            self._new_org(
                name=name, org_type="community", town=town, focus=focus,
                description=f"A volunteer-led community group in {hood}, {town.name}, running "
                f"{activity}.",
                legal_status=rng.choice(("Unincorporated association", "Community group",
                                         "Charitable incorporated organisation")),
                year=rng.randint(1965, self.as_of.year), weight=weight, webmail=self._chance(0.5),
                hood=hood,
            )  # fmt: skip
        elif org_type == "faith":
            name_t, hall_t = rng.choice(_FAITH_NAMES)
            org = self._new_org(
                name=name_t.format_map(slots), org_type="faith", town=town, focus=focus,
                description=f"A faith community in {town.name} whose members and volunteers run "
                f"{activity} for the whole community, whatever their faith or none.",
                legal_status=rng.choice(("Registered charity", "Excepted charity")),
                year=rng.randint(1840, 1995), weight=weight, webmail=self._chance(0.3),
                hood=hood,
            )  # fmt: skip
            self._faith_hall(org, hall_t.format_map(slots))
        elif org_type == "social_enterprise":
            name = rng.choice(_SOCIAL_ENTERPRISE_NAMES[focus]).format_map(slots)
            self._new_org(
                name=name, org_type="social_enterprise", town=town, focus=focus,
                description=f"A community interest company in {town.name} that reinvests its "
                f"surplus in {activity}.",
                legal_status="Community interest company", year=rng.randint(2008, self.as_of.year),
                weight=weight * 1.5,
            )  # fmt: skip
        elif org_type == "gp":
            pcn = self._pcn_for(town)
            self._new_org(
                name=rng.choice(_GP_NAMES).format_map(slots), org_type="gp", town=town,
                focus=focus,
                description=f"An NHS GP practice in {town.name} offering health checks, clinics "
                "and social prescribing as well as GP appointments.",
                legal_status="GP partnership", year=rng.randint(1948, 2015), weight=weight,
                parent=pcn,
            )  # fmt: skip
        else:
            name = rng.choice(_CHARITY_NAMES[focus]).format_map(slots)
            self._new_org(
                name=name, org_type="charity", town=town, focus=focus,
                description=f"A local registered charity based in {town.name}, providing "
                f"{activity} across the borough.",
                legal_status=rng.choice(("Registered charity",
                                         "Charitable incorporated organisation")),
                year=rng.randint(1975, self.as_of.year), weight=weight * 2,
            )  # fmt: skip

    def _pcn_for(self, town: _Town) -> _Org | None:
        for org in self._anchors.get("pcn", []):
            area = org.name.removesuffix(" Primary Care Network")
            towns = next(t for a, t in _PCNS if a == area)
            if town.name in towns:
                return org
        return None

    # --- locations --------------------------------------------------------------------------
    def _physical(
        self,
        org: _Org,
        name: str,
        town: _Town | None,
        *,
        categories: tuple[str, ...] = (),
        outdoor: bool = False,
        confidential: bool = False,
        description: str | None = None,
        alternate_name: str | None = None,
        phone: bool = False,
        hood: str | None = None,
        place_kind: str = "Community venue",
    ) -> _Loc:
        rng = self.rng
        place = self._place_in(town)
        if place.town is not town:
            hood = None
        town = place.town
        pc = place.postcode
        hood = hood or rng.choice(town.hoods)
        # A uniform point in a disc around the centroid; lat/lon move by the same metres, using
        # the local length of a degree (grid north and true north differ by under half a
        # degree here, about a metre over this distance).
        radius = _JITTER_M * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        d_east = radius * math.cos(angle)
        d_north = radius * math.sin(angle)
        easting = round(pc.easting + d_east)
        northing = round(pc.northing + d_north)
        phi = math.radians(pc.latitude)
        m_per_deg_lat = 111_132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
        m_per_deg_lon = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
        latitude = round(pc.latitude + (northing - pc.northing) / m_per_deg_lat, 6)
        longitude = round(pc.longitude + (easting - pc.easting) / m_per_deg_lon, 6)
        ward = f" ({pc.ward_name} ward)" if pc.ward_name else ""
        if description is None:
            description = f"{place_kind} in {hood}, {town.name}{ward}."
        name = self._unique(self._location_names, name, (hood, town.name))
        row = self._add(
            "locations",
            location_type="physical",
            organization_id=org.id,
            name=name,
            alternate_name=alternate_name,
            description=description,
            transportation=None if confidential else f"{town.transport} {rng.choice(_PARKING)}",
            latitude=latitude,
            longitude=longitude,
            easting=easting,
            northing=northing,
            confidential=confidential,
        )
        loc = _Loc(str(row["id"]), name, town, hood, True, categories, confidential, pc)
        street = self._street(town)
        if confidential:
            # Chosen from the location's (random) id rather than by a further draw, so that the
            # rest of the borough stays exactly as each seed has always made it.
            street = _REFUGE_STREETS[int(loc.id[:8], 16) % len(_REFUGE_STREETS)]
        if outdoor:
            address_1 = f"{rng.choice(('Main entrance', 'Car park entrance', 'Gates'))}, {street}"
        else:
            address_1 = f"{rng.randint(1, 240)} {street}"
        self._add(
            "addresses",
            location_id=loc.id,
            address_1=address_1,
            address_2=rng.choice((None, None, None, "Ground floor", "Rear entrance", hood)),
            city=town.name,
            region="North West",
            state_province="Greater Manchester",
            postal_code=pc.postcode,
            country="GB",
            address_type="physical",
        )
        if confidential:
            self._add(
                "accessibility",
                location_id=loc.id,
                description="Ground-floor rooms available.",
                details="Tell the referral line about any access needs before you arrive.",
            )
            return loc
        self._physical_public += 1
        bank = _ACCESS_OUTDOOR if outdoor else _ACCESS_BUILDING
        for description_text, details in rng.sample(bank, rng.randint(1, 3)):
            self._add(
                "accessibility",
                location_id=loc.id,
                description=description_text,
                details=details,
                url=f"{org.website}accessibility" if org.website and self._chance(0.2) else None,
            )
        if phone:
            self._add(
                "phones",
                location_id=loc.id,
                number=self._phone_number(
                    "non_geographic" if org.org_type == "council_dept" else "landline"
                ),
                type="voice",
                description="Reception.",
            )
        for category in categories:
            self._venues.setdefault(category, []).append(loc)
            self._venues_by_town.setdefault((category, town.name), []).append(loc)
        return loc

    def _virtual(self, org: _Org) -> _Loc:
        if org.online is None:
            base = org.website or f"https://www.{org.domain}/"
            row = self._add(
                "locations",
                location_type="virtual",
                url=f"{base}online",
                organization_id=org.id,
                name=f"{org.name} online",
                description="Online sessions by video call, chat or app.",
                confidential=False,
            )
            org.online = _Loc(str(row["id"]), str(row["name"]), None, None, False)
        return org.online

    def _faith_hall(self, org: _Org, hall: str) -> None:
        org.premises.append(
            self._physical(
                org, hall, org.town, categories=("community", "family"), hood=org.hood,
                place_kind="A place of worship with a hall for community use",
            )
        )  # fmt: skip

    def _eager_premises(self, org: _Org) -> None:
        """Buildings that other groups use as venues exist before any service is placed."""
        rng = self.rng
        if org.anchor == "libraries":
            for town in self._towns:
                org.premises.append(self._physical(
                    org, f"{town.name} Library", town, categories=("community", "family"),
                    phone=True, place_kind="Public library"))  # fmt: skip
        elif org.anchor == "familyhubs":
            for town in self._towns[:: max(1, len(self._towns) // 8)]:
                org.premises.append(self._physical(
                    org, f"{town.name} Family Hub", town, categories=("family", "community"),
                    phone=True, place_kind="Family hub"))  # fmt: skip
        elif org.anchor == "council":
            for name in ("Wigan", "Leigh"):
                town = self._town_named(name)
                org.premises.append(self._physical(
                    org, f"{town.name} Town Hall", town, categories=("community",), phone=True,
                    place_kind="Council offices with public meeting rooms"))  # fmt: skip
        elif org.anchor == "nhs":
            for town in self._towns[:: max(1, len(self._towns) // 6)]:
                org.premises.append(self._physical(
                    org, f"{town.name} Health Centre", town, categories=("health",),
                    phone=True, place_kind="NHS health centre"))  # fmt: skip
        elif org.org_type == "gp":
            org.premises.append(self._physical(
                org, org.name, org.town, categories=("health",), phone=True, hood=org.hood,
                place_kind="GP surgery"))  # fmt: skip
            if self._chance(0.15):
                org.premises.append(self._physical(
                    org, f"{org.name} branch surgery", self._town(), categories=("health",),
                    phone=True, place_kind="GP branch surgery"))  # fmt: skip
        elif org.org_type == "community" and org.focus == "community_centre":
            org.premises.append(self._physical(
                org, f"{org.hood} Community Centre", org.town,
                categories=("community", "family"), phone=self._chance(0.7), hood=org.hood,
                place_kind="Community centre"))  # fmt: skip
        elif org.org_type in ("branch", "charity"):
            for _ in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1)):
                town = org.town if not org.premises else self._town()
                label = "Centre" if org.org_type == "branch" else "office"
                name = f"{org.name} {label}" if not org.premises else f"{org.name}, {town.name}"
                org.premises.append(
                    self._physical(
                        org, name, town, phone=True, place_kind="Offices and drop-in centre"
                    )
                )

    def _premises(self, org: _Org) -> _Loc:
        if not org.premises:
            org.premises.append(self._physical(
                org, org.name, org.town, phone=self._chance(0.5), hood=org.hood,
                place_kind="Premises"))  # fmt: skip
        return self.rng.choice(org.premises)

    def _venue(self, category: str, town: _Town) -> _Loc | None:
        local = self._venues_by_town.get((category, town.name))
        # Most groups meet in their own town; people travel further to a leisure centre.
        if local and self._chance(0.3 if category == "leisure" else 0.8):
            return self.rng.choice(local)
        anywhere = self._venues.get(category)
        return self.rng.choice(anywhere) if anywhere else None

    def _asset(self, kind: _Kind, variant: _Variant, org: _Org) -> tuple[_Loc, dict[str, str]]:
        """A park, route, garden or leisure centre: a new place, named after itself."""
        rng = self.rng
        facts: dict[str, str] = {}
        if kind.key == "park":
            if self._unused_parks:
                name, town_name, features = self._unused_parks.pop(
                    rng.randrange(len(self._unused_parks))
                )
                town = self._town_named(town_name)
            else:
                town = self._town()
                suffix = rng.choice(
                    (
                        "Park",
                        "Recreation Ground",
                        "Playing Fields",
                        "Woods",
                        "Local Nature Reserve",
                        "Memorial Park",
                        "Green",
                    )
                )
                name = self._fresh_place_name(f"{{hood}} {suffix}", town, rng.choice(town.hoods))
                features = tuple(rng.sample(("a children's play area", "sports pitches",
                                             "a skate park", "an outdoor gym", "wildflower "
                                             "meadows", "a multi-use games area", "woodland "
                                             "paths", "a pond"), 2))  # fmt: skip
            facts["features"] = " and ".join(features)
            loc = self._physical(org, name, town, categories=("outdoor",), outdoor=True,
                                 place_kind="Public park")  # fmt: skip
        elif kind.key == "cycle_route":
            if self._unused_routes:
                name, town_name, km, route = self._unused_routes.pop(
                    rng.randrange(len(self._unused_routes))
                )
                town = self._town_named(town_name)
            else:
                town = self._town()
                km = rng.randint(3, 12)
                a, b = (
                    rng.sample(town.hoods, 2) if len(town.hoods) > 1 else (town.name, "the canal")
                )
                name = f"{a} to {b} greenway"
                route = f"between {a} and {b}"
            facts["route"] = f"about {km} km long, running {route}"
            loc = self._physical(
                org,
                name,
                town,
                categories=("outdoor",),
                outdoor=True,
                description=f"Start of the route, {town.name}.",
            )
        elif kind.key == "leisure_centre":
            town = self._town()
            existing = [v for v in self._venues.get("leisure", []) if v.town is town]
            base = rng.choice(("Leisure Centre", "Sports Centre", "Swimming and Fitness Centre"))
            name = f"{town.name} {base}" if not existing else f"{rng.choice(town.hoods)} {base}"
            facts["features"] = " and ".join(
                rng.sample(
                    (
                        "a 25-metre pool",
                        "a learner pool",
                        "a gym",
                        "a sports hall",
                        "a fitness studio",
                        "squash courts",
                        "an outdoor 3G pitch",
                        "a sauna and steam room",
                    ),
                    3,
                )
            )
            loc = self._physical(org, name, town, categories=("leisure",), phone=True,
                                 place_kind="Leisure centre")  # fmt: skip
        else:  # community gardens and allotments
            template = self.rng.choice(variant.asset_names or ("{hood} Community Garden",))
            name = self._fresh_place_name(template, org.town, org.hood)
            loc = self._physical(org, name, org.town, outdoor=True, categories=("outdoor",),
                                 hood=org.hood, place_kind="Community growing space")  # fmt: skip
        return loc, facts

    def _fresh_place_name(self, template: str, town: _Town, hood: str) -> str:
        """A place name not used yet, trying the town's other neighbourhoods first."""
        for candidate in (hood, *town.hoods):
            name = template.format(town=town.name, hood=candidate)
            if name not in self._location_names:
                return name
        return template.format(town=town.name, hood=hood)

    # --- planning ---------------------------------------------------------------------------
    def _pool(self, selector: str) -> tuple[list[_Org], list[float]]:
        if selector not in self._pools:
            prefix, _, key = selector.partition(":")
            if prefix == "focus":
                orgs = [o for o in self.orgs if o.focus == key and not o.anchor]
            else:
                orgs = (self._anchors if prefix == "anchor" else self._by_brand
                        if prefix == "brand" else self._by_type).get(key, [])  # fmt: skip
            cumulative: list[float] = []
            total = 0.0
            for org in orgs:
                total += org.weight
                cumulative.append(total)
            self._pools[selector] = (orgs, cumulative)
        return self._pools[selector]

    def _provider(self, kind_key: str) -> _Org:
        # Groups founded around an activity run more of it (a food bank opens a second site, a
        # walking group adds a Nordic walk), so their focus gets a share of the draws.
        if self._chance(0.35) and self._pool(f"focus:{kind_key}")[0]:
            orgs, cumulative = self._pool(f"focus:{kind_key}")
            return self.rng.choices(orgs, cum_weights=cumulative)[0]
        options = [(s, w) for s, w in _PROVIDERS[kind_key] if self._pool(s)[0]]
        if not options:
            # Too few organisations for the usual provider: anyone local will do.
            return self.rng.choice(self.orgs)
        orgs, cumulative = self._pool(self._pick(options))
        return self.rng.choices(orgs, cum_weights=cumulative)[0]

    def _plan(self, count: int) -> list[tuple[_Org, str]]:
        plan: list[tuple[_Org, str]] = []
        # Every organisation lists at least one service: its focus.
        for org in self.orgs[:count]:
            plan.append((org, org.focus))
        remaining = count - len(plan)
        forced = [k.key for k in _KINDS][: max(0, remaining)]
        keys = list(_KIND_WEIGHTS)
        weights = list(_KIND_WEIGHTS.values())
        drawn = forced + self.rng.choices(keys, weights=weights, k=max(0, remaining - len(forced)))
        if self.orgs:
            for kind_key in drawn:
                plan.append((self._provider(kind_key), kind_key))
        for org, _ in plan:
            org.planned += 1
        # Places first (so groups can meet in parks), refuges last (they are a share of the
        # other physical locations).
        order = {"park": 0, "cycle_route": 0, "leisure_centre": 0, "garden": 1, "refuge": 9}
        plan.sort(key=lambda item: order.get(item[1].split(":")[0], 5))
        return plan

    def _build_programs(self) -> None:
        # HSDS allows one program per organisation (program.organization_id is unique).
        phrases = {
            "physical-activity": ("Active Lives", "Move More"),
            "health-and-well-being": ("Healthy Minds and Bodies", "Live Well"),
            "money-and-advice": ("Cost of Living Support", "Money and Food Support"),
            "family-and-children": ("Best Start in Life", "Growing Up Well"),
            "community-life": ("Connected Communities", "Ageing Well"),
            "volunteering": ("Volunteering Together",),
        }
        for org in self.orgs:
            eligible = org.org_type in ("council", "council_dept", "leisure", "nhs", "pcn",
                                        "branch", "charity", "social_enterprise")  # fmt: skip
            if not eligible or org.planned < 3 or org.focus.startswith("helpline"):
                continue
            top = _TOP_BY_TERM[_KIND_BY_KEY[org.focus].term]
            phrase = self.rng.choice(phrases[top])
            row = self._add(
                "programs",
                organization_id=org.id,
                name=f"{phrase} programme",
                description=f"{org.name}'s {phrase.lower()} programme groups its services for "
                f"{_KIND_BY_KEY[org.focus].activity}. {SYNTHETIC_NOTE}",
            )
            org.program_id = str(row["id"])
            org.program_top = top

    # --- services ---------------------------------------------------------------------------
    def _locations_for(
        self, mode: str, kind: _Kind, variant: _Variant, org: _Org
    ) -> tuple[list[_Loc], dict[str, str]]:
        rng = self.rng
        if org.national and mode not in ("phone", "virtual"):
            mode = "phone"
        if mode == "phone":
            return [], {}
        if mode == "virtual":
            return [self._virtual(org)], {}
        if mode == "asset":
            loc, facts = self._asset(kind, variant, org)
            return [loc], facts
        if mode == "premises":
            chosen = [self._premises(org)]
            if len(org.premises) > 1 and self._chance(0.4):
                chosen = rng.sample(org.premises, rng.randint(2, len(org.premises)))
            return chosen, {}
        if mode == "refuge":
            return [], {}  # _build_service adds the confidential locations
        category = {"leisure": "leisure", "outdoor": "outdoor", "family": "family",
                    "health": "health"}.get(mode, "community")  # fmt: skip
        # Some services run at several venues across the borough (clinics, advice drop-ins).
        sites = rng.randint(2, 4) if self._chance(kind.multi_site) else 1
        locs: list[_Loc] = []
        for _ in range(sites):
            town = org.town if not locs else self._town()
            found = self._venue(category, town) or self._venue("community", town)
            venue = found if found is not None else self._premises(org)
            if all(venue.id != other.id for other in locs):
                locs.append(venue)
        return locs, {}

    def _build_service(self, org: _Org, kind_key: str, refuges_left: list[int]) -> None:
        rng = self.rng
        if kind_key.startswith("helpline:"):
            self._build_helpline(org, kind_key.split(":")[1])
            return
        kind = _KIND_BY_KEY[kind_key]
        variant = rng.choice(kind.variants)
        mode = self._pick(variant.modes or kind.modes)
        locs, facts = self._locations_for(mode, kind, variant, org)
        if kind.key == "refuge":
            wanted = refuges_left.pop(0) if refuges_left else 0
            for n in range(wanted):
                locs.append(self._physical(
                    org, f"Refuge {n + 1} – {org.name}", org.town,
                    confidential=True,
                    description="Confidential address: never publish. Referrals through the "
                    "24-hour phone line only."))  # fmt: skip
        service_id = self._id()
        first = locs[0] if locs else None
        town = first.town if first and first.town else org.town
        hood = (first.hood if first and first.hood else None) or org.hood
        venue_name = first.name if first and first.physical else town.name
        # Walking groups and the like are named after the park they meet in, else the town.
        park = venue_name if first and "outdoor" in first.categories else town.name
        pattern = variant.schedule or kind.schedule
        sites = 1 if kind.key == "refuge" else max(1, len(locs))
        schedules = [self._schedule(pattern) for _ in range(sites)]
        day = next((s["byday"] for s in schedules[0] if s.get("byday")), "MO")
        day_name = _DAY_NAMES.get(str(day).split(",")[0][-2:], "Monday")
        slots = {"town": town.name, "hood": hood, "venue": venue_name, "park": park,
                 "day": day_name, "org": org.name, "asset": venue_name}  # fmt: skip
        if len(locs) > 1 and kind.key != "refuge":
            # A service run at several venues is known by its provider, not by one venue.
            slots["venue"] = org.name
        name = rng.choice(variant.names).format_map(slots)
        if kind.key == "leisure_centre":
            name = f"{name}: gym, pool and classes"
        # Repeated sessions at one venue are told apart by their day, as on a noticeboard.
        provider = org.name.split(" (")[0]
        qualifiers = (
            (*self._when_qualifiers(schedules[0]), town.name, hood, provider)
            if first and first.physical
            else (provider, town.name)
        )
        name = self._unique(self._service_names, name, qualifiers)
        status = self._pick((("active", 0.94), ("temporarily closed", 0.03), ("inactive", 0.03)))
        description = self._description(kind, variant, slots, facts, locs)
        assured = self._assured_date()
        edits = self._metadata(service_id, name, status, assured)
        last_change = max([assured, *edits])
        last_modified = datetime.datetime.combine(
            last_change,
            datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59),
                          rng.randint(0, 999) * 1000),
            tzinfo=datetime.UTC,
        )  # fmt: skip
        languages = self._extra_languages()
        interpretation = None
        if languages:
            names = [n for n, _ in languages]
            interpretation = (
                "Support available in "
                + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
                + "."
            )
        fees, costs = self._costs(self._pick(variant.costs or kind.costs))
        program_id = (
            org.program_id
            if org.program_id and _TOP_BY_TERM[kind.term] == org.program_top and self._chance(0.8)
            else None
        )
        self._add(
            "services",
            id=service_id,
            organization_id=org.id,
            program_id=program_id,
            name=name,
            alternate_name=variant.alternate_name,
            description=description,
            url=f"{org.website}{_slug(name)}" if org.website and self._chance(0.6) else None,
            email=self._service_email(org, name),
            status=status,
            interpretation_services=interpretation,
            application_process=rng.choice(kind.application),
            fees_description=fees,
            accreditations=rng.choice(kind.accreditations)
            if kind.accreditations and self._chance(0.4) else None,
            eligibility_description=variant.eligibility,
            minimum_age=variant.min_age,
            maximum_age=variant.max_age,
            assured_date=assured,
            assurer_email=_DIRECTORY_EMAIL if self._chance(0.7) else org.email,
            alert=self._alert(status),
            last_modified=last_modified,
        )  # fmt: skip
        for cost in costs:
            self._add("cost_options", service_id=service_id, **cost)
        self._attributes(service_id, kind, variant)
        self._languages(service_id, languages)
        self._service_area(service_id, org, town, locs, mode)
        if kind.documents and self._chance(kind.document_share):
            self._add("required_documents", service_id=service_id,
                      document=rng.choice(kind.documents),
                      uri=f"{org.website}documents" if org.website and self._chance(0.3)
                      else None)  # fmt: skip
        if self._chance(0.2):
            funders = (
                _FUNDERS["council"]
                if org.org_type == "council_dept"
                else (
                    _FUNDERS["nhs"]
                    if org.org_type in ("nhs", "pcn", "gp")
                    else _FUNDERS["voluntary"]
                )
            )
            self._add("funding", service_id=service_id, source=rng.choice(funders))
        if self._chance(0.55):
            person, handle = self._person()
            contact = self._add(
                "contacts", service_id=service_id, name=person,
                title=rng.choice(kind.contact_titles),
                department=rng.choice(("Community services", "Public health", "Operations"))
                if org.org_type in ("council_dept", "nhs", "leisure") else None,
                email=f"{handle}@{org.domain}" if org.website else org.email,
            )  # fmt: skip
            if self._chance(0.25):
                self._add("phones", contact_id=contact["id"], type="voice",
                          number=self._phone_number("landline"),
                          description="Direct line.")  # fmt: skip
        # Helplines and refuges must always be reachable by phone; most others list a number.
        if mode in ("phone", "refuge") or kind.key == "refuge" or self._chance(0.45):
            style = (
                "freephone"
                if mode in ("phone", "refuge") or kind.key == "refuge"
                else ("non_geographic" if org.org_type == "council_dept" else "landline")
            )
            phone_note = (
                "24-hour referral line." if kind.key == "refuge"
                else "Free from landlines and mobiles." if style == "freephone" else None
            )  # fmt: skip
            phone = self._add("phones", service_id=service_id, number=self._phone_number(style),
                              type="voice", description=phone_note)  # fmt: skip
            if mode == "phone" and self._chance(0.3):
                self._add("phones", service_id=service_id,
                          number="18001 " + str(phone["number"]), type="textphone",
                          description="Relay UK textphone.")  # fmt: skip
            if languages and mode == "phone":
                for lang_name, code in languages:
                    self._add("languages", phone_id=phone["id"], name=lang_name, code=code,
                              note="Telephone interpreting available on request.")  # fmt: skip
        if kind.key == "refuge" or not locs:
            # Refuges' hours belong to the service's phone line, never to the (hidden) address.
            for spec in schedules[0]:
                self._add("schedules", service_id=service_id, **spec)
            if kind.key != "refuge":
                return
        if kind.key == "refuge":
            for loc in locs:
                self._add("service_at_location", service_id=service_id, location_id=loc.id,
                          description=self._sal_description(name, loc, []))  # fmt: skip
            return
        for loc, specs in zip(locs, schedules, strict=True):
            sal = self._add(
                "service_at_location",
                service_id=service_id,
                location_id=loc.id,
                description=self._sal_description(name, loc, specs),
            )
            for spec in specs:
                self._add("schedules", service_at_location_id=sal["id"], **spec)
            if len(locs) > 1 and self._chance(0.3):
                self._add("phones", service_at_location_id=sal["id"],
                          number=self._phone_number("landline"), type="voice",
                          description=f"For the {loc.name} sessions.")  # fmt: skip

    def _build_helpline(self, org: _Org, brand_key: str) -> None:
        """A national charity's helpline: phone-only, with a webchat for some."""
        rng = self.rng
        kinds = next(b[2] for b in _BRANDS if b[0] == brand_key)
        kind = _KIND_BY_KEY[kinds[0]]
        service_id = self._id()
        name = self._unique(self._service_names, f"{org.name} national helpline", ())
        assured = self._assured_date()
        self._add(
            "services",
            id=service_id, organization_id=org.id, name=name,
            description=f"Free, confidential national helpline for {kind.activity}, answered "
            f"by trained advisers and volunteers. {SYNTHETIC_NOTE}",
            url=f"{org.website}helpline", email=org.email, status="active",
            interpretation_services="Telephone interpreting in over 100 languages.",
            application_process="Call the helpline, or use the webchat on our website.",
            fees_description="Free.", eligibility_description="Anyone in England.",
            assured_date=assured, assurer_email=org.email,
            last_modified=datetime.datetime.combine(assured, _t(9, 30), tzinfo=datetime.UTC),
        )  # fmt: skip
        phone = self._add("phones", service_id=service_id, type="voice",
                          number=self._phone_number("freephone"),
                          description="Free from landlines and mobiles.")  # fmt: skip
        self._add(
            "phones",
            service_id=service_id,
            type="textphone",
            number="18001 " + str(phone["number"]),
            description="Relay UK textphone.",
        )
        for spec in self._schedule("helpline"):
            self._add("schedules", service_id=service_id, **spec)
        self._attributes(service_id, kind, kind.variants[0])
        self._languages(service_id, [])
        self._add(
            "service_areas",
            service_id=service_id,
            name="England",
            description="Anyone in England.",
            uri=f"{_STATGEO}E92000001",
        )
        if rng.random() < 0.5:
            loc = self._virtual(org)
            self._add(
                "service_at_location",
                service_id=service_id,
                location_id=loc.id,
                description="Webchat on our website.",
            )

    def _description(
        self,
        kind: _Kind,
        variant: _Variant,
        slots: dict[str, str],
        facts: dict[str, str],
        locs: list[_Loc],
    ) -> str:
        rng = self.rng
        opening = variant.blurb.format_map(slots)
        if "features" in facts:
            opening += f", with {facts['features']}"
        if "route" in facts:
            opening += f", {facts['route']}"
        sentences = [opening + "."]
        sentences.extend(rng.sample(kind.details, min(len(kind.details), rng.randint(1, 2))))
        if len(locs) > 1 and kind.key != "refuge":
            sentences.append(f"Runs at {len(locs)} places across the borough.")
        sentences.append(SYNTHETIC_NOTE)
        return " ".join(sentences)

    def _when_qualifiers(self, specs: list[Row]) -> tuple[str, ...]:
        spec = specs[0] if specs else None
        if spec is None or not spec.get("byday") or spec.get("freq") != "WEEKLY":
            return ()
        days = str(spec["byday"]).split(",")
        opens = spec.get("opens_at")
        if len(days) > 2 or not isinstance(opens, datetime.time):
            return ()
        day = _DAY_NAMES[days[0]]
        part = "morning" if opens.hour < 12 else "afternoon" if opens.hour < 17 else "evening"
        return (f"{day}s", f"{day} {part}s")

    def _sal_description(self, name: str, loc: _Loc, specs: list[Row]) -> str:
        if not loc.physical:
            return f"{name}, online."
        if loc.confidential:
            return "Confidential address; referrals through the 24-hour phone line only."
        when = next((str(s["description"]) for s in specs if s.get("description")), None)
        return f"{loc.name}: {when}" if when else f"At {loc.name}."

    def _service_email(self, org: _Org, name: str) -> str | None:
        roll = self.rng.random()
        if roll < 0.3 and org.website:
            return f"{_slug(name)[:24].strip('-')}@{org.domain}"
        return org.email if roll < 0.85 else None

    def _assured_date(self) -> datetime.date:
        if self._chance(_STALE_SHARE):
            return self._date_before(_FRESH_DAYS + 2, _OLDEST_DAYS)
        return self._date_before(1, _FRESH_DAYS)

    def _alert(self, status: str) -> str | None:
        if status != "temporarily closed":
            return None
        reopen = self.as_of + datetime.timedelta(days=self.rng.randint(14, 90))
        reason = self.rng.choice(
            (
                "for refurbishment",
                "while we recruit new volunteers",
                "because the venue is being repaired",
            )
        )
        return f"Closed {reason}; we expect to reopen by {reopen.day} {reopen:%B %Y}."

    def _metadata(
        self, service_id: str, name: str, status: str, assured: datetime.date
    ) -> list[datetime.date]:
        """A little change history, consistent with the service's current values."""
        rng = self.rng
        dates: list[datetime.date] = []
        officer = f"{rng.choice(_FIRST_NAMES)[0]}. {rng.choice(_SURNAMES)} (directory team)"
        if status != "active":
            when = self._date_before(1, 60)
            self._add("metadata", resource_id=service_id, resource_type="service",
                      last_action_date=when, last_action_type="update", field_name="status",
                      previous_value="active", replacement_value=status,
                      updated_by=officer)  # fmt: skip
            dates.append(when)
        if self._chance(0.25):
            previous = assured - datetime.timedelta(days=rng.randint(90, 200))
            self._add("metadata", resource_id=service_id, resource_type="service",
                      last_action_date=assured, last_action_type="update",
                      field_name="assured_date", previous_value=previous.isoformat(),
                      replacement_value=assured.isoformat(), updated_by=officer)  # fmt: skip
        if " – " in name and self._chance(0.15):
            # A typical edit: a place added to a generic name.
            when = self._date_before(1, 150)
            self._add("metadata", resource_id=service_id, resource_type="service",
                      last_action_date=when, last_action_type="update", field_name="name",
                      previous_value=name.split(" – ")[0], replacement_value=name,
                      updated_by=officer)  # fmt: skip
            dates.append(when)
        return dates

    def _extra_languages(self) -> list[tuple[str, str]]:
        if not self._chance(0.18):
            return []
        names = [n for n, _, _ in _LANGUAGES]
        weights = [w for _, _, w in _LANGUAGES]
        picked: list[tuple[str, str]] = []
        for _ in range(1 if self._chance(0.75) else 2):
            name = self.rng.choices(names, weights=weights)[0]
            code = next(c for n, c, _ in _LANGUAGES if n == name)
            if (name, code) not in picked:
                picked.append((name, code))
        return picked

    def _languages(self, service_id: str, extra: list[tuple[str, str]]) -> None:
        self._add("languages", service_id=service_id, name="English", code="en")
        for name, code in extra:
            note = self.rng.choice(_LANGUAGE_NOTES).format(name=name)
            self._add("languages", service_id=service_id, name=name, code=code, note=note)

    def _attributes(self, service_id: str, kind: _Kind, variant: _Variant) -> None:
        codes = [kind.term]
        extras = list(dict.fromkeys(variant.extra_terms + kind.extra_terms))
        for code in extras:
            if len(codes) < 3 and code not in codes and self._chance(0.5):
                codes.append(code)
        for code in codes:
            self._add("attributes", link_id=service_id, taxonomy_term_id=self.terms[code],
                      link_type="service_category", link_entity="service")  # fmt: skip

    def _service_area(
        self, service_id: str, org: _Org, town: _Town, locs: list[_Loc], mode: str
    ) -> None:
        local = org.org_type in ("community", "faith", "gp") and mode not in ("phone", "virtual")
        roll = self.rng.random()
        if local and roll < 0.6:
            self._add("service_areas", service_id=service_id, name=town.name,
                      description=f"People living in and around {town.name}.")  # fmt: skip
            return
        if local and roll < 0.8 and locs:
            ward = self._ward_of(locs[0])
            if ward:
                code, ward_name = ward
                self._add("service_areas", service_id=service_id, name=f"{ward_name} ward",
                          description=f"Residents of the {ward_name} ward.",
                          uri=f"{_STATGEO}{code}")  # fmt: skip
                return
        self._add("service_areas", service_id=service_id, name="Wigan borough",
                  description=f"Residents of the Wigan borough (local authority {_LAD_CODE}).",
                  uri=f"{_STATGEO}{_LAD_CODE}")  # fmt: skip

    def _ward_of(self, loc: _Loc) -> tuple[str, str] | None:
        pc = loc.postcode
        if pc is None or not pc.ward_code or not pc.ward_name:
            return None
        return pc.ward_code, pc.ward_name

    # --- costs ------------------------------------------------------------------------------
    def _costs(self, pattern: str) -> tuple[str, list[dict[str, object]]]:
        rng = self.rng
        if pattern == "free":
            if self._chance(0.4):
                return "Free.", [{"option": "Free", "currency": "GBP", "amount": Decimal("0.00"),
                                  "amount_description": "No charge."}]  # fmt: skip
            return "Free.", []
        if pattern == "donation":
            return "Free. Donations welcome.", []
        if pattern == "small_fee":
            amount = Decimal(rng.choice(("1.00", "1.50", "2.00", "2.50", "3.00", "3.50", "4.00",
                                         "5.00")))  # fmt: skip
            options: list[dict[str, object]] = [{
                "option": "Per session", "currency": "GBP", "amount": amount,
                "amount_description": "Pay on the day; first session free.",
            }]  # fmt: skip
            text = f"£{amount} per session."
            if self._chance(0.4):
                concession = (amount / 2).quantize(Decimal("0.01"))
                options.append({"option": "Concessions", "currency": "GBP", "amount": concession,
                                "amount_description": "For people on benefits, students and "
                                "over 60s."})  # fmt: skip
                text += f" Concessions £{concession}."
            return text, options
        if pattern == "lunch":
            amount = Decimal(rng.choice(("3.50", "4.00", "4.50", "5.00")))
            return f"£{amount} for a two-course lunch.", [{
                "option": "Two-course lunch", "currency": "GBP", "amount": amount,
                "amount_description": "Includes tea or coffee.",
            }]  # fmt: skip
        if pattern == "pantry":
            amount = Decimal(rng.choice(("3.00", "3.50", "4.00", "5.00")))
            return f"£{amount} a visit for members.", [{
                "option": "Weekly membership visit", "currency": "GBP", "amount": amount,
                "amount_description": "Choose around £15 to £20 worth of food.",
            }]  # fmt: skip
        if pattern == "membership":
            amount = Decimal(rng.choice(("10.00", "15.00", "20.00", "25.00", "30.00")))
            return f"Annual membership £{amount}; your first sessions are free.", [{
                "option": "Annual membership", "currency": "GBP", "amount": amount,
                "amount_description": "Per person per year.",
            }]  # fmt: skip
        if pattern == "room_hire":
            amount = Decimal(rng.choice(("10.00", "12.00", "15.00", "18.00", "20.00", "25.00")))
            return f"Most activities are free. Rooms from £{amount} an hour.", [{
                "option": "Room hire (per hour)", "currency": "GBP", "amount": amount,
                "amount_description": "Reduced rate for local charities and community groups.",
            }]  # fmt: skip
        # Leisure prices hold for the council's financial year.
        start, end = self._financial_year
        swim = Decimal(rng.choice(("4.80", "5.20", "5.60", "5.90")))
        options = [
            {"option": "Adult swim", "amount": swim, "amount_description": "Per swim."},
            {"option": "Junior swim (under 16)",
             "amount": (swim * Decimal("0.6")).quantize(Decimal("0.01")),
             "amount_description": "Per swim."},
            {"option": "Concession swim",
             "amount": (swim * Decimal("0.7")).quantize(Decimal("0.01")),
             "amount_description": "For people on benefits, students and over 60s."},
            {"option": "Monthly membership",
             "amount": Decimal(rng.choice(("24.99", "27.50", "29.99", "32.00"))),
             "amount_description": "Gym, pool and classes at every centre."},
        ]  # fmt: skip
        for option in options:
            option.update(currency="GBP", valid_from=start, valid_to=end)
        return f"Adult swim £{swim}; concessions and memberships available.", options

    # --- schedules --------------------------------------------------------------------------
    def _sched(
        self,
        days: Sequence[str],
        opens: datetime.time | None,
        closes: datetime.time | None,
        *,
        description: str | None = None,
        attending: str | None = "In person",
        interval: int | None = None,
        monthly: str | None = None,
        valid: tuple[datetime.date, datetime.date] | None = None,
        notes: str | None = None,
    ) -> Row:
        if monthly:
            byday = monthly
            ordinal = int(monthly[:-2])
            when = f"{_ORDINALS[ordinal]} {_DAY_NAMES[monthly[-2:]]} of the month"
        else:
            byday = ",".join(days)
            when = _days_text(days)
            if interval == 2:
                when = f"Every other {_DAY_NAMES[days[0]]}"
        if description is None:
            hours = f", {_hours_text(opens, closes)}" if opens and closes else ""
            description = f"{when}{hours}."
        row: Row = {
            "freq": "MONTHLY" if monthly else "WEEKLY",
            "byday": byday,
            "opens_at": opens,
            "closes_at": closes,
            "description": description,
            "attending_type": attending,
            "notes": notes,
        }
        if interval:
            # A fortnightly pattern needs a first date to count from.
            weekday = _DAYS.index(days[0])
            back = (self.as_of.weekday() - weekday) % 7 + 7 * self.rng.randint(0, 1)
            row.update(interval=interval, wkst="MO",
                       dtstart=self.as_of - datetime.timedelta(days=back))  # fmt: skip
        if valid:
            row.update(valid_from=valid[0], valid_to=valid[1])
        elif self._chance(0.25):
            row["valid_from"] = self._date_before(30, 400)
        return row

    def _session_days(self, weekend: float = 0.12) -> list[str]:
        if self._chance(weekend):
            return [self.rng.choice(("SA", "SA", "SU"))]
        days = self.rng.sample(_WEEKDAYS, 2 if self._chance(0.15) else 1)
        return sorted(days, key=_DAYS.index)

    def _schedule(self, pattern: str) -> list[Row]:
        rng = self.rng
        if pattern == "park":
            roll = rng.random()
            if roll < 0.35:
                return [self._sched(_DAYS, _t(0), _t(23, 59), attending=None,
                                    description="Open 24 hours, every day.")]  # fmt: skip
            if roll < 0.8:
                return [
                    self._sched(
                        _DAYS,
                        None,
                        None,
                        attending=None,
                        description="Open every day from dawn until dusk.",
                    )
                ]
            summer = datetime.date(self.as_of.year, 4, 1), datetime.date(self.as_of.year, 9, 30)
            winter_year = self.as_of.year if self.as_of.month >= 4 else self.as_of.year - 1
            winter = (datetime.date(winter_year, 10, 1), datetime.date(winter_year + 1, 3, 31))
            return [
                self._sched(_DAYS, _t(8), _t(20), attending=None, valid=summer,
                            description="April to September: gates open 8am to 8pm."),
                self._sched(_DAYS, _t(8), _t(16, 30), attending=None, valid=winter,
                            description="October to March: gates open 8am to 4:30pm."),
            ]  # fmt: skip
        if pattern == "route":
            return [self._sched(_DAYS, _t(0), _t(23, 59), attending=None,
                                description="Open at all times.")]  # fmt: skip
        if pattern == "leisure":
            weekday_open = rng.choice((_t(6, 30), _t(7)))
            weekday_close = rng.choice((_t(21), _t(21, 30), _t(22)))
            weekend_close = rng.choice((_t(16), _t(17), _t(18)))
            return [
                self._sched(_WEEKDAYS, weekday_open, weekday_close),
                self._sched(("SA", "SU"), _t(8), weekend_close),
            ]
        if pattern in ("office", "appointment"):
            attending = "By appointment" if pattern == "appointment" else "In person or by phone"
            if self._chance(0.7):
                opens = rng.choice((_t(9), _t(9), _t(8, 30), _t(10)))
                closes = rng.choice((_t(17), _t(16, 30), _t(16)))
                rows = [self._sched(_WEEKDAYS, opens, closes, attending=attending)]
                if self._chance(0.15):
                    rows.append(
                        self._sched(
                            ("TH",),
                            _t(17),
                            _t(19),
                            attending=attending,
                            description="Late opening on Thursdays until 7pm.",
                        )
                    )
                return rows
            days = sorted(rng.sample(_WEEKDAYS, 3), key=_DAYS.index)
            return [self._sched(days, _t(10), _t(15), attending=attending)]
        if pattern == "drop_in":
            opens = rng.choice((_t(9, 30), _t(10), _t(13), _t(13, 30)))
            closes = _add_minutes(opens, rng.choice((120, 150, 180)))
            days = sorted(rng.sample(_WEEKDAYS, rng.choice((1, 1, 2, 3))), key=_DAYS.index)
            return [self._sched(days, opens, closes, attending="Drop in, no appointment needed")]
        if pattern == "helpline":
            roll = rng.random()
            if roll < 0.3:
                return [self._sched(_DAYS, _t(0), _t(23, 59), attending="Phone",
                                    description="24 hours a day, 7 days a week.")]  # fmt: skip
            rows = [self._sched(_WEEKDAYS, _t(9), rng.choice((_t(17), _t(20))),
                                attending="Phone")]  # fmt: skip
            if roll > 0.8:
                rows.append(self._sched(("SA",), _t(10), _t(13), attending="Phone"))
            return rows
        if pattern == "refuge":
            return [self._sched(_DAYS, _t(0), _t(23, 59), attending="Phone",
                                description="Referral line open 24 hours a day.")]  # fmt: skip
        if pattern == "centre":
            rows = [self._sched(_WEEKDAYS, _t(9), rng.choice((_t(16), _t(21), _t(22))))]
            if self._chance(0.6):
                rows.append(self._sched(("SA",), _t(9), _t(13)))
            return rows
        if pattern == "holiday":
            start = self.as_of + datetime.timedelta(days=rng.randint(20, 70))
            end = start + datetime.timedelta(days=rng.choice((4, 11, 25)))
            return [self._sched(("MO", "TU", "WE", "TH"), _t(10), _t(14), valid=(start, end),
                                description=f"School holidays, Monday to Thursday, 10am to 2pm "
                                f"({start.day} {start:%B} to {end.day} {end:%B}).")]  # fmt: skip
        if pattern == "monthly":
            day = rng.choice(("MO", "TU", "WE", "TH", "FR", "SA"))
            ordinal = rng.choice((1, 1, 2, 3, -1))
            opens = rng.choice((_t(10), _t(13, 30), _t(18, 30)))
            return [self._sched((), opens, _add_minutes(opens, rng.choice((90, 120))),
                                monthly=f"{ordinal}{day}")]  # fmt: skip
        if pattern == "saturday":
            opens = rng.choice((_t(9), _t(9, 30), _t(10)))
            return [self._sched(("SA",), opens, _add_minutes(opens, rng.choice((60, 90, 120))))]
        if pattern == "walk":
            opens = rng.choice((_t(9, 30), _t(10), _t(10, 30), _t(13, 30), _t(18), _t(18, 30)))
            return [self._sched(self._session_days(0.2), opens,
                                _add_minutes(opens, rng.choice((60, 90, 120))))]  # fmt: skip
        if pattern == "run":
            if self._chance(0.4):
                opens = rng.choice((_t(18), _t(18, 30), _t(19)))
                days = sorted(rng.sample(("MO", "TU", "WE", "TH"), rng.choice((1, 2))),
                              key=_DAYS.index)  # fmt: skip
            else:
                opens = rng.choice((_t(9), _t(9, 30)))
                days = [rng.choice(("SA", "SU"))]
            return [self._sched(days, opens, _add_minutes(opens, rng.choice((45, 60, 75))))]
        if pattern == "lunch":
            opens = rng.choice((_t(11, 30), _t(12)))
            return [self._sched(self._session_days(0.05), opens, _add_minutes(opens, 120))]
        # Weekly group sessions, sometimes fortnightly or monthly.
        if pattern == "morning":
            opens = rng.choice((_t(9), _t(9, 30), _t(10), _t(10, 30)))
        elif pattern == "evening":
            opens = rng.choice((_t(17, 30), _t(18), _t(18, 30), _t(19)))
        else:
            opens = rng.choice((_t(9, 30), _t(10), _t(10, 30), _t(11), _t(13), _t(13, 30),
                                _t(14), _t(18), _t(18, 30), _t(19)))  # fmt: skip
        closes = _add_minutes(opens, rng.choice((60, 90, 90, 120, 120, 150, 180)))
        roll = rng.random()
        if roll < 0.12:
            return [self._sched(self._session_days(), opens, closes, interval=2)]
        if roll < 0.22:
            day = rng.choice(_WEEKDAYS + ("SA",))
            return [self._sched((), opens, closes, monthly=f"{rng.choice((1, 2, 3, -1))}{day}")]
        return [
            self._sched(
                self._session_days(),
                opens,
                closes,
                notes="Term time only." if self._chance(0.15) else None,
            )
        ]

    # --- refuges ----------------------------------------------------------------------------
    def _refuge_quota(self, plan: list[tuple[_Org, str]], public: int) -> list[int]:
        """How many confidential locations each refuge service gets (refuges are planned last)."""
        services = sum(1 for _, k in plan if k == "refuge")
        if not services:
            return []
        # Refuges are this share of all physical locations, including themselves.
        total = round(public * _CONFIDENTIAL_SHARE / (1 - _CONFIDENTIAL_SHARE))
        quota = [total // services] * services
        for n in range(total % services):
            quota[n] += 1
        return quota

    # --- the whole directory ----------------------------------------------------------------
    def run(self, services: int, organizations: int) -> Tables:
        self._build_taxonomies()
        self._build_organizations(organizations)
        plan = self._plan(services)
        self._build_programs()
        quota: list[int] = []
        quota_ready = False
        for org, kind_key in plan:
            if kind_key == "refuge" and not quota_ready:
                quota = self._refuge_quota(plan, self._physical_public)
                quota_ready = True
            self._build_service(org, kind_key, quota)
        return self.tables


def generate_directory(
    postcodes: Sequence[PostcodeLike],
    *,
    seed: int = 0,
    services: int = 1500,
    organizations: int | None = None,
    as_of: datetime.date,
) -> dict[str, list[dict[str, object]]]:
    """Generate a synthetic directory of ``services`` services for the demo borough.

    ``postcodes`` are the borough's postcode centroids (``geography.borough_postcodes()``);
    every physical location sits within 150 m of one of them. ``organizations`` defaults to
    40% of ``services``; every organisation gets at least one service while there are enough.
    About 5% of physical locations are confidential refuges. Dates are relative to ``as_of``.
    """
    if services < 0:
        raise ValueError("services must be zero or more")
    if organizations is None:
        organizations = round(services * _ORGANIZATIONS_PER_SERVICE)
    if organizations < 0:
        raise ValueError("organizations must be zero or more")
    if services and not organizations:
        raise ValueError("services need at least one organisation")
    if not postcodes:
        raise ValueError("at least one postcode is needed to place locations")
    return _Generator(postcodes, seed=seed, as_of=as_of).run(services, organizations)
