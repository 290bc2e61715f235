"""The fuzz excuses exactly the refusals schemathesis.toml lists, and only when they apply."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.feed_fuzz_hooks import REFUSALS, documented_refusal

TOML = Path(__file__).resolve().parents[3] / "schemathesis.toml"


def answer(status, **body):
    return SimpleNamespace(status_code=status, content=json.dumps(body).encode())


def test_schemathesis_toml_lists_each_refusal_with_its_reason():
    text = TOML.read_text()

    listed = re.findall(r"^# - ([a-z-]+): \S", text, flags=re.MULTILINE)

    assert sorted(listed) == sorted(r.name for r in REFUSALS)
    assert 'hooks = "tests.feed_fuzz_hooks"' in text


@pytest.mark.parametrize(
    "query,body,excused",
    [
        ({"proximity": "5"}, {"parameters": ["proximity"]}, True),
        ({"proximity": "5", "postcode": "WN1 1AA"}, {"parameters": ["proximity"]}, False),
        ({"start_time": "18:00", "end_time": "17:00"}, {"parameters": ["start_time", "end_time"]}, True),
        ({"start_time": "09:00", "end_time": "17:00"}, {"parameters": ["start_time", "end_time"]}, False),
        ({"postcode": "WN9 9ZZ"}, {"parameters": ["postcode"]}, True),
        ({"postcode": "WN1 1AA"}, {"parameters": ["postcode"]}, False),
        ({"postcode": "not one"}, {"parameters": ["postcode"]}, False),
        ({"proximity": "5"}, {"parameters": ["per_page"]}, False),
    ],
)  # fmt: skip
def test_a_400_is_excused_only_for_the_rule_it_names(query, body, excused):
    case = SimpleNamespace(query=query)

    assert (documented_refusal(case, answer(400, **body)) is not None) == excused


def test_a_500_is_never_excused():
    case = SimpleNamespace(query={"proximity": "5"})

    assert documented_refusal(case, answer(500, parameters=["proximity"])) is None
