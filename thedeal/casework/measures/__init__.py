"""Well-being measures recorded at a first contact and at each review, and their change.

Pure Python (no Django, no NumPy), layer 0, so casework's pages and reports and insight can all
use it: ONS4 (ons4.py), SWEMWBS (swemwbs.py), the Patient Activation Measure's level (pam.py), and
one person's change between two days (change.py). Every value comes from the reference tables in
thedeal/casework/data/ (sources, licences and how far each is checked: data/LICENCE.md).

    >>> from thedeal.casework.measures import Ons4
    >>> str(Ons4.from_answers({"life_satisfaction": 6, "anxiety": 7}))
    'Life satisfaction: 6, medium; Anxiety: 7, high'

Every check raises MeasureError, whose message names the item and the range it allows.
"""

from . import ons4, pam, swemwbs
from ._scores import MeasureError
from .change import (
    BETTER,
    NO_CHANGE,
    WORSE,
    Ons4Change,
    Ons4ItemChange,
    SwemwbsChange,
    ons4_change,
    swemwbs_change,
)
from .ons4 import Band, Ons4, Ons4Item, Ons4Score
from .pam import PamLevel
from .swemwbs import Swemwbs, SwemwbsItem

__all__ = [
    "BETTER",
    "NO_CHANGE",
    "WORSE",
    "Band",
    "MeasureError",
    "Ons4",
    "Ons4Change",
    "Ons4Item",
    "Ons4ItemChange",
    "Ons4Score",
    "PamLevel",
    "Swemwbs",
    "SwemwbsChange",
    "SwemwbsItem",
    "ons4",
    "ons4_change",
    "pam",
    "swemwbs",
    "swemwbs_change",
]
