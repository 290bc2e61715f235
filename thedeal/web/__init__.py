"""Pieces of the web site that every app shares, below all of them: the GOV.UK form base and
postcode field (forms.py), and the one rate limiter with its "try again later" page
(ratelimit.py). Nothing here imports an app (docs/adr/0004-layers.md)."""
