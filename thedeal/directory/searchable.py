"""What search reads: the words of a search, and the searchable text of each listing.

search.py indexes that text and answers searches with it; vocabulary.py learns the listings'
words from it (for word forms and "did you mean"). Both read it here, so neither imports the
other's internals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from uuid import UUID

from thedeal.directory.models import Attribute, Service

# Letters and digits, split at anything else (underscores too), as FTS5's unicode61 does.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The distinct words of a search, without the engines' query syntax (quotes, operators)."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(text)))


# PostgreSQL refuses a search document over 1 MB, and a listing's text has no limit (HSDS sets
# none): only this many characters of each part (name, keywords, body) are searched. That is some
# 6,000 words, far more than any real listing; at worst (distinct two-character words in
# Chinese) a part indexes to about 190 KB, so the three stay well under the limit.
INDEXED_CHARACTERS = 40_000


def documents(service_ids: list[UUID] | None = None) -> list[tuple[UUID, str, str, str]]:
    """(service id, name text, keyword text, body text) for each service."""
    services = Service.objects.all()
    if service_ids is not None:
        services = services.filter(id__in=service_ids)
    rows = list(
        services.values_list(
            "id",
            "name",
            "alternate_name",
            "organization__name",
            "description",
            "eligibility_description",
        )
    )
    terms: dict[UUID, list[str]] = defaultdict(list)
    attributes = Attribute.objects.filter(link_entity="service", taxonomy_term__isnull=False)
    if service_ids is not None:
        attributes = attributes.filter(link_id__in=service_ids)
    for link_id, term in attributes.values_list("link_id", "taxonomy_term__name"):
        terms[link_id].append(term)
    return [
        (
            service_id,
            f"{name} {alternate}"[:INDEXED_CHARACTERS],
            f"{organisation or ''} {' '.join(terms.get(service_id, []))}"[:INDEXED_CHARACTERS],
            f"{description} {eligibility}"[:INDEXED_CHARACTERS],
        )
        for service_id, name, alternate, organisation, description, eligibility in rows
    ]
