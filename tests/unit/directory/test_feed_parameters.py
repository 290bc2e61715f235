"""The patterns the OpenAPI document gives the feed's parameters say exactly what the feed
accepts: a client that checks a value against the document gets the feed's own answer."""

import re

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from thedeal import geography
from thedeal.directory.api import params

bounded = settings(derandomize=True, max_examples=300, deadline=None)


def accepted(parameter, value, reader):
    query = params.Query(QueryDict(mutable=True), (parameter,), endpoint="/test")
    query.data = {parameter.name: value}
    try:
        reader(query)
    except params.ParameterError:
        return False
    return True


words = st.lists(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8), min_size=0, max_size=25
).map(" ".join)


@bounded
@given(words)
def test_search_pattern_counts_words_as_the_search_does(text):
    text = text[: params.MAX_SEARCH_LENGTH]

    by_pattern = re.search(params.SEARCH_PATTERN, text) is not None

    assert by_pattern == accepted(params.SEARCH, text, lambda q: q.search())


@bounded
@given(
    st.one_of(
        st.from_regex(r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}", fullmatch=True),
        st.text(max_size=12),
    )
)
def test_postcode_pattern_is_the_postcode_rule(text):
    try:
        geography.normalise_postcode(text)
        well_formed = True
    except geography.InvalidPostcode:
        well_formed = False

    assert (re.search(params.POSTCODE_PATTERN, text) is not None) == well_formed


@bounded
@given(
    st.one_of(
        st.times().map(lambda t: t.isoformat()),
        st.times(timezones=st.timezones()).map(lambda t: t.isoformat()),
        st.text(alphabet="0123456789:.+-Z ", max_size=14),
    )
)
def test_time_pattern_is_what_start_time_accepts(text):
    by_pattern = re.search(params.TIME_PATTERN, text) is not None

    assert by_pattern == accepted(params.START_TIME, text, lambda q: q.time("start_time"))
