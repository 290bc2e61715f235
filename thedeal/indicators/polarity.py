"""Which direction of an indicator is good (its polarity) and the words a comparison with a
benchmark gives, as Fingertips has them (see methods/comparison.py for the rules).

Kept apart from the methods, with no import at all, so that the insight app's records and
catalogue can name them without loading NumPy and pandas into the web server.
"""

# Fingertips' "RAG - High is good", "RAG - Low is good" and "BOB - Blue orange blue" (a
# difference that is neither good nor bad, e.g. the share of older people).
HIGH_IS_GOOD = "high_is_good"
LOW_IS_GOOD = "low_is_good"
NO_JUDGEMENT = "no_judgement"
POLARITIES = (HIGH_IS_GOOD, LOW_IS_GOOD, NO_JUDGEMENT)

BETTER = "Better"
SIMILAR = "Similar"
WORSE = "Worse"
HIGHER = "Higher"
LOWER = "Lower"
NOT_COMPARED = "Not compared"
COMPARISONS = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, NOT_COMPARED)
