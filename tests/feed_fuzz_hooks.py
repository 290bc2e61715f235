"""schemathesis hooks for the ORUK feed (loaded through schemathesis.toml's `hooks`).

- NDJSON responses are read line by line, so each line is checked against the document's
  schema like a JSON response (schemathesis would otherwise skip them unchecked).
- The feed's refusals that OpenAPI cannot express. schemathesis generates "positive" requests
  from the document and expects each to be accepted. Three of the feed's rules cannot be written
  in OpenAPI 3.0, so a request can follow the document and still be refused with a 400. Each is
  said in its parameters' descriptions, listed with its reason in schemathesis.toml, and
  recognised here: a `positive_data_acceptance` failure is dropped only when the 400 names
  exactly that rule's parameters and the request really does break that rule. Every other
  failure stands; nothing else is excluded.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import schemathesis

from thedeal import geography


def _proximity_without_postcode(query: dict[str, Any]) -> bool:
    return "proximity" in query and "postcode" not in query


def _start_after_end(query: dict[str, Any]) -> bool:
    try:
        start = datetime.time.fromisoformat(str(query["start_time"]))
        end = datetime.time.fromisoformat(str(query["end_time"]))
    except (KeyError, ValueError):
        return False
    return start > end


def _unknown_postcode(query: dict[str, Any]) -> bool:
    text = str(query.get("postcode", ""))
    try:
        geography.normalise_postcode(text)
    except geography.InvalidPostcode:
        return False  # a malformed postcode breaks the document's pattern: no excuse
    return geography.lookup_postcode(text) is None


@schemathesis.deserializer("application/x-ndjson")
def ndjson(context: Any, response: Any) -> list[Any]:
    """One document a line, read as the array the document describes."""
    return [json.loads(line) for line in response.content.splitlines() if line.strip()]


@dataclass(frozen=True)
class Refusal:
    name: str
    parameters: list[str]
    applies: Callable[[dict[str, Any]], bool]


# The same three, with their reasons, are in schemathesis.toml.
REFUSALS = [
    Refusal("proximity-without-postcode", ["proximity"], _proximity_without_postcode),
    Refusal("start-time-after-end-time", ["start_time", "end_time"], _start_after_end),
    Refusal("postcode-that-does-not-exist", ["postcode"], _unknown_postcode),
]


def documented_refusal(case: Any, response: Any) -> Refusal | None:
    """The documented rule this 400 enforces, or None if it is not one of them."""
    if response.status_code != 400:
        return None
    try:
        named = json.loads(response.content).get("parameters")
    except (ValueError, AttributeError):
        return None
    query = dict(case.query or {})
    for refusal in REFUSALS:
        if named == refusal.parameters and refusal.applies(query):
            return refusal
    return None


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure except a documented refusal of schema-valid data."""
    if "positive_data_acceptance" not in getattr(failure, "checks", ()):
        return True
    return documented_refusal(case, response) is None
