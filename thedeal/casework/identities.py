"""Who the synthetic borough's residents are: the demo's re-identification table, drawn from a
synthetic borough's residents (`thedeal synthpop`), the same for the same seed.

The borough's residents table gives each pseudonymous resident id a date of birth, sex, LSOA,
a test-range NHS number and whether they opted out; nobody in it has a name or an address.
This module gives each a name from Faker's UK locale (a fixed seed), a made-up street address
at a real postcode in their own LSOA (thedeal.geography), and a phone number in Ofcom's range
for drama. Nobody here exists. No Django: a council's real table comes from its own linked data
instead, through the same loader.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from thedeal import geography
from thedeal.casework.nhs_number import InvalidNHSNumber, normalise_nhs_number

SEED = 20260401  # fixed: the same borough gives the same names
COLUMNS = ("resident_id", "nhs_number", "date_of_birth", "sex", "lsoa_code", "opted_out")


class IdentitiesError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Identity:
    resident_id: int
    given_name: str
    family_name: str
    date_of_birth: date
    nhs_number: str | None
    address: str
    postcode: str
    phone: str
    opted_out: bool


def read_residents(data_dir: Path):  # type: ignore[no-untyped-def]
    """The residents table of a synthetic borough (a pyarrow Table), checked for the columns
    needed; IdentitiesError naming the file and what is missing otherwise."""
    import pyarrow.parquet as pq

    path = Path(data_dir) / "residents.parquet"
    if not path.exists():
        raise IdentitiesError(f"{path}: no such file (make a borough with `thedeal synthpop`).")
    names = set(pq.read_schema(path).names)
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise IdentitiesError(f"{path}: no column {', '.join(missing)}.")
    return pq.read_table(path, columns=list(COLUMNS))


def _checked_nhs_number(value: str | None, resident_id: int) -> str | None:
    if value is None:
        return None
    try:
        return normalise_nhs_number(value)
    except InvalidNHSNumber as error:
        raise IdentitiesError(f"resident_id {resident_id}: NHS number {error}.") from None


def draw(
    data_dir: Path, *, seed: int = SEED, progress: Callable[[int, int], None] = lambda d, t: None
) -> Iterator[Identity]:
    """Each resident's identity, in the residents table's order."""
    from faker import Faker  # only the demo needs it (in the dev extra)

    table = read_residents(data_dir)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    in_lsoa: dict[str, list[str]] = {}
    everywhere = []
    for place in geography.borough_postcodes():
        everywhere.append(place.postcode)
        if place.lsoa_code:
            in_lsoa.setdefault(place.lsoa_code, []).append(place.postcode)
    total = table.num_rows
    columns = {name: table.column(name).to_pylist() for name in COLUMNS}
    for i in range(total):
        resident_id = columns["resident_id"][i]
        born = columns["date_of_birth"][i]
        if resident_id is None or born is None:
            raise IdentitiesError(
                f"{Path(data_dir) / 'residents.parquet'}, row {i + 1}: no resident_id or "
                "date_of_birth."
            )
        female = columns["sex"][i] == "female"
        given = fake.first_name_female() if female else fake.first_name_male()
        # A resident whose LSOA has no postcode in the borough's list lives somewhere in it.
        postcodes = in_lsoa.get(columns["lsoa_code"][i] or "") or everywhere
        yield Identity(
            resident_id=int(resident_id),
            given_name=given,
            family_name=fake.last_name(),
            date_of_birth=born,
            nhs_number=_checked_nhs_number(columns["nhs_number"][i], resident_id),
            address=f"{fake.building_number()} {fake.street_name()}",
            postcode=rng.choice(postcodes),
            phone=f"07700 900{rng.randrange(1000):03d}",
            opted_out=bool(columns["opted_out"][i]),
        )
        if (i + 1) % 10_000 == 0 or i + 1 == total:
            progress(i + 1, total)
