"""The rules of forgiving search that must hold for every search typed (no database: the
directory's words and synonyms are given)."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thedeal.directory import vocabulary
from thedeal.directory.models import SYNONYM_MAX_ALTERNATIVES
from thedeal.directory.searchable import words as words_of

LISTING_WORDS = Counter(
    {"lonely": 20, "befriending": 40, "food": 90, "bank": 80, "walking": 150, "anxious": 5,
     "isolated": 3, "caring": 12, "bereaved": 4, "group": 300, "walk": 60, "club": 200}
)  # fmt: skip
# Chains (a -> b -> c) and a long list, to check that expansion is bounded whatever staff write.
SYNONYMS = {
    ("loneliness",): (("lonely",), ("befriending",), ("isolation",)),
    ("lonely",): (("befriending",), ("friendship", "group")),
    ("befriending",): (("loneliness",),),
    ("foodbank",): (("food", "bank"),),
    ("gp",): tuple((f"w{i}",) for i in range(SYNONYM_MAX_ALTERNATIVES)),
    ("someone", "talk"): (("befriending",), ("talking", "therapies")),
}
KNOWN = vocabulary.Knowledge(listing_words=LISTING_WORDS, synonyms=SYNONYMS)


@pytest.fixture(autouse=True)
def _known(monkeypatch):
    monkeypatch.setattr(vocabulary, "knowledge", lambda: KNOWN)


def test_word_forms_stemming_misses_are_found_when_the_listings_use_them():
    assert vocabulary.forms("loneliness", KNOWN) == ["lonely"]
    assert vocabulary.forms("anxiety", KNOWN) == ["anxious"]
    assert vocabulary.forms("isolation", KNOWN) == ["isolated"]
    assert vocabulary.forms("bereavement", KNOWN) == ["bereaved"]
    assert vocabulary.forms("carer", KNOWN) == ["caring"]
    assert vocabulary.forms("happiness", KNOWN) == []  # "happy" is not in the listings


def test_loneliness_also_finds_its_synonyms_but_not_their_synonyms():
    (group,) = vocabulary.expand("Loneliness")

    assert group[0] == ("loneliness",)
    assert set(group) == {("loneliness",), ("lonely",), ("befriending",), ("isolation",)}


def test_a_compound_finds_its_words_and_a_phrase_its_entry():
    assert vocabulary.expand("foodbank") == [(("foodbank",), ("food", "bank"))]
    assert vocabulary.expand("someone to talk to")[0][0] == ("someone", "talk")


def test_stop_words_are_left_out_unless_they_are_all_there_is():
    assert vocabulary.expand("walking with a group") == [(("walking",),), (("group",),)]
    assert vocabulary.expand("the") == [(("the",),)]


# Words from a small alphabet of known terms and stop words, so synonyms and forms are hit.
typed_words = st.lists(
    st.sampled_from(["loneliness", "lonely", "befriending", "foodbank", "gp", "someone", "to",
                     "talk", "walking", "the", "anxiety", "xqzvbn", "with"])
    | st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    max_size=20,
)  # fmt: skip


@given(typed_words)
def test_expansion_is_bounded_and_never_finds_less_than_the_words_typed(typed):
    text = " ".join(typed)
    groups = vocabulary.expand(text)
    searched = [w for w in words_of(text) if w not in vocabulary.STOP_WORDS] or words_of(text)

    # Every word that would be searched is searched for, each in its group's first alternative.
    assert [w for group in groups for w in group[0]] == searched
    for i, group in enumerate(groups):
        assert len(group) == len(set(group)) >= 1
        # The term, its synonyms (one level), its forms and a compound split, at most.
        assert len(group) <= 1 + SYNONYM_MAX_ALTERNATIVES + vocabulary.MAX_FORMS + 1
        if i >= vocabulary.MAX_EXPANDED_WORDS:
            assert len(group) == 1
        extra = set(group[1:]) - set(SYNONYMS.get(group[0], ()))
        for alternative in extra:
            # Anything beyond the term's own entry is a form or a split of the word itself.
            assert len(group[0]) == 1
            assert alternative[0] in LISTING_WORDS


@given(st.text(max_size=60))
def test_any_text_expands_to_searchable_words_only(text):
    for group in vocabulary.expand(text):
        for alternative in group:
            for word in alternative:
                assert word and all(c.isalnum() for c in word)


# --- "Did you mean" -------------------------------------------------------------------------


def _full_distance(a: str, b: str) -> int:
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))  # fmt: skip
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


short_words = st.text(alphabet="abcde", max_size=8)


@given(short_words, short_words, st.integers(min_value=0, max_value=3))
def test_the_bounded_distance_agrees_with_the_full_one_up_to_its_limit(a, b, limit):
    full = _full_distance(a, b)
    bounded = vocabulary._distance(a, b, limit)

    assert bounded == (full if full <= limit else limit + 1)
    assert vocabulary._distance(b, a, limit) == bounded


def test_a_slip_is_corrected_to_the_word_the_directory_uses_most():
    assert vocabulary.correction("lonliness", KNOWN) == "loneliness"  # a synonym's term
    assert vocabulary.correction("walkng", KNOWN) == "walking"
    assert vocabulary.correction("bfriending", KNOWN) == "befriending"
    assert vocabulary.correction("wlaking", KNOWN) == "walking"  # first two letters swapped


@pytest.mark.parametrize("word", ["xqzvbn", "walking", "gp", "the", "qwerty", "zzzz", "ab"])
def test_nonsense_known_and_tiny_words_are_not_corrected(word):
    assert vocabulary.correction(word, KNOWN) is None


@given(st.from_regex(r"[a-z]{3,12}", fullmatch=True))
def test_a_correction_is_always_a_word_search_knows_and_close_to_what_was_typed(word):
    fixed = vocabulary.correction(word, KNOWN)
    if fixed is not None:
        assert fixed != word
        assert LISTING_WORDS[fixed] >= 2 or (fixed,) in SYNONYMS
        assert _full_distance(word, fixed) <= (1 if len(word) <= 5 else 2)
