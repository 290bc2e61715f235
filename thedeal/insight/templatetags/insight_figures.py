"""How insight's pages write a figure: thousands separated, to the indicator's decimals, and
"suppressed" where it may not be published (insight.queries decides which)."""

from django import template

from thedeal.insight import queries

register = template.Library()


@register.filter
def figure(value, decimals=1):
    return queries.number(value, int(decimals))


@register.filter
def limits(f, decimals=1):
    return queries.interval(f, int(decimals))


@register.filter
def count(f):
    if not f.shown:
        return queries.SUPPRESSED
    return queries.count_text(f.count) or "not given"
