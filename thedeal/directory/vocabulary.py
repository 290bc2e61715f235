"""What search understands beyond the words typed, the same on SQLite and PostgreSQL.

- Word forms that stemming misses: both engines' Porter stemmers make "loneliness" "loneli" and
  "lonely" "lone", so neither finds the other. `forms` tries a few English derivations
  (-iness/-y, -iety/-ious, ...) and keeps those that are words of the directory's listings.
- Synonyms and compounds that directory staff keep (models.SearchSynonym: "loneliness" also
  finds "befriending"; "foodbank" finds "food bank"), expanded one level only.
- Stop words ("to", "with") are left out of a search on both engines, as PostgreSQL's english
  configuration does, so "someone to talk to" means the same on SQLite.
- "Did you mean": `suggestion` proposes a spelling from the directory's own words (and the
  synonyms' terms) when that would find more. It only suggests; nothing here changes a search
  because of it.

`expand` returns a search as groups of alternatives (each a tuple of words, all of which must
be found, as if typed): a listing matches when it has one alternative of every group. The words
typed are always one of their group's alternatives, so expanding a search never finds less.
search.py writes that as each engine's query.

The listings' words and the synonyms are read once per process for each version of the
database (models.SearchVersion: its token changes with every index or synonym write), so a
search costs one small query for the token on top of the search itself.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db import connection

from thedeal.directory import searchable
from thedeal.directory.models import SearchSynonym, SearchVersion

# Words that must all be found (an alternative), and the alternatives for one typed term.
Words = tuple[str, ...]
Group = tuple[Words, ...]

# Only the first words of a search are expanded: the feed takes up to 20 words, and 20 groups
# of a dozen alternatives would cost more than any resident's search needs.
MAX_EXPANDED_WORDS = 8
# At most this many word forms of one word.
MAX_FORMS = 3

# PostgreSQL's english.stop (the Snowball list), which its english configuration leaves out of
# both documents and queries; left out of queries on SQLite too, so both engines agree.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself "
    "she her hers herself it its itself they them their theirs themselves what which who whom "
    "this that these those am is are was were be been being have has had having do does did "
    "doing a an the and but if or because as until while of at by for with about against "
    "between into through during before after above below to from up down in out on off over "
    "under again further then once here there when where why how all any both each few more "
    "most other some such no nor not only own same so than too very s t can will just don "
    "should now".split()
)

# English derivations the Porter stemmer does not undo (suffix, its counterpart), tried both
# ways; a form counts only if it is a word of the listings, so a rule cannot invent one.
_DERIVATIONS = (
    ("iness", "y"),  # loneliness / lonely, happiness / happy
    ("ness", ""),  # sadness / sad, illness / ill
    ("iety", "ious"),  # anxiety / anxious
    ("ility", "le"),  # disability / disable(d)
    ("ion", "ed"),  # isolation / isolated, depression / depressed
    ("ement", "ed"),  # bereavement / bereaved, management / managed
    ("er", "ing"),  # carer / caring, swimmer / swimming
    ("ism", "ist"),  # autism / autistic is beyond rules; alcoholism / alcoholist is not
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Knowledge:
    """What search knows at one version of the database."""

    # word -> number of listings that use it (names, organisations, categories, descriptions)
    listing_words: Counter[str]
    # a term's words -> its alternatives (each a tuple of words, all needed)
    synonyms: dict[Words, tuple[Words, ...]]

    def longest_term(self) -> int:
        return max((len(t) for t in self.synonyms), default=0)

    @cached_property
    def spellings(self) -> dict[str, list[tuple[str, int]]]:
        """The words "did you mean" may propose, by first letter, with how often each is used:
        the listings' words used more than once (one use may be a typing slip of its own), and
        the synonyms' one-word terms (they find something)."""
        uses: Counter[str] = Counter(
            {w: n for w, n in self.listing_words.items() if n >= 2 and w.isalpha() and len(w) > 2}
        )
        for term in self.synonyms:
            if len(term) == 1 and term[0].isalpha():
                uses[term[0]] += 2
        found: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for word, n in uses.items():
            found[word[0]].append((word, n))
        return dict(found)


_lock = threading.Lock()
_known: dict[tuple[str, object], Knowledge] = {}


def knowledge() -> Knowledge:
    """The listings' words and the synonyms, read again only when the database has changed."""
    key = (connection.alias, _version())
    found = _known.get(key)
    if found is None:
        found = _read()
        with _lock:
            # Only the newest version is worth keeping.
            _known.clear()
            _known[key] = found
    return found


def _version() -> object:
    token = SearchVersion.objects.values_list("token", flat=True).first()
    # No row (a test database emptied by a flush): nothing to key by, so nothing is reused.
    return token if token is not None else object()


def changed() -> None:
    """Say that what search knows has changed (called in the transaction that changed it)."""
    if not SearchVersion.objects.update(token=uuid.uuid4()):
        SearchVersion.objects.create()


def _read() -> Knowledge:
    counts: Counter[str] = Counter()
    for _id, name, keywords, body in searchable.documents():
        counts.update(set(_WORD.findall(f"{name} {keywords} {body}".lower())))
    synonyms: dict[Words, tuple[Words, ...]] = {}
    for entry in SearchSynonym.objects.all():
        # Alternatives as written: on PostgreSQL their stop words are left out by the engine.
        alternatives = tuple(tuple(a.split()) for a in entry.alternative_list())
        if entry.term and alternatives:
            # Keyed as a search is read: stop words left out ("someone to talk to").
            synonyms[_searched(entry.term.split())] = alternatives
    return Knowledge(listing_words=counts, synonyms=synonyms)


def _searched(words: list[str]) -> Words:
    """The words of a search that are searched for: all but the stop words, unless that is
    all of them."""
    return tuple(w for w in words if w not in STOP_WORDS) or tuple(words)


def forms(word: str, known: Knowledge) -> list[str]:
    """Other forms of a word that the listings use and stemming would not match."""
    found = []
    for a, b in _DERIVATIONS:
        for suffix, other in ((a, b), (b, a)):
            if suffix and word.endswith(suffix) and len(word) - len(suffix) >= 3:
                candidate = word[: len(word) - len(suffix)] + other
                if candidate != word and known.listing_words[candidate]:
                    found.append(candidate)
    return list(dict.fromkeys(found))[:MAX_FORMS]


def _split_compound(word: str, known: Knowledge) -> Words | None:
    """A word the listings never use, read as two that they do ("foodbank": "food bank")."""
    if len(word) < 6 or known.listing_words[word]:
        return None
    best, best_count = None, 1
    for i in range(3, len(word) - 2):
        left, right = word[:i], word[i:]
        if left in STOP_WORDS or right in STOP_WORDS:
            continue
        count = min(known.listing_words[left], known.listing_words[right])
        if count > best_count:
            best, best_count = (left, right), count
    return best


def expand(text: str) -> list[Group]:
    """A search as groups of alternatives: every group must match (see the module's doc)."""
    kept = list(_searched(searchable.words(text)))
    if not kept:
        return []
    known = knowledge()
    longest = known.longest_term()
    groups: list[Group] = []
    i = 0
    while i < len(kept):
        if len(groups) >= MAX_EXPANDED_WORDS:
            groups.extend(((w,),) for w in kept[i:])
            break
        for size in range(min(longest, len(kept) - i), 0, -1):
            term = tuple(kept[i : i + size])
            alternatives = known.synonyms.get(term)
            if alternatives is None and size == 1 and term[0].endswith("s"):
                # "foodbanks" as "foodbank": a plural finds what its singular finds.
                alternatives = known.synonyms.get((term[0][:-1],))
            if alternatives is not None:
                break
        else:
            size, term, alternatives = 1, (kept[i],), ()
        # A phrase that has an entry stays what it was as typed, each of its words a must.
        group: list[Words] = [term, *alternatives]
        if size == 1:
            group += [(f,) for f in forms(term[0], known)]
            if compound := _split_compound(term[0], known):
                group.append(compound)
        groups.append(tuple(dict.fromkeys(group)))
        i += size
    return groups


# --- "Did you mean" --------------------------------------------------------------------------


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with swapped neighbours counted once (optimal string alignment), or
    limit + 1 as soon as it must exceed the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _allowed(word: str) -> int:
    # One slip in a short word, two in a long one: more would turn nonsense into a word.
    return 1 if len(word) <= 5 else 2


def correction(word: str, known: Knowledge) -> str | None:
    """The likeliest word the directory knows for one it does not, or None."""
    if (
        len(word) < 3
        or not word.isalpha()
        or word in STOP_WORDS
        or known.listing_words[word]
        or (word,) in known.synonyms
    ):
        return None
    limit = _allowed(word)
    # A slip rarely changes the first letter; looking only there (or at the first two letters
    # swapped) keeps this quick.
    candidates = known.spellings.get(word[0], []) + [
        (w, n) for w, n in known.spellings.get(word[1], []) if w[:2] == word[1::-1]
    ]
    best: tuple[int, int, str] | None = None
    for candidate, uses in candidates:
        if abs(len(candidate) - len(word)) > limit:
            continue
        d = _distance(word, candidate, limit)
        if d <= limit and (best is None or (d, -uses) < best[:2]):
            best = (d, -uses, candidate)
    return best[2] if best else None
