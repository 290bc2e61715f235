"""Template filters for the Deal's pages."""

from django import template

register = template.Library()


@register.filter
def mid_sentence(title: str) -> str:
    """A title as it reads mid-sentence: "Register with a GP" becomes "register with a GP".
    Only the first letter is lowered, and not when the first word is an abbreviation ("NHS")."""
    first = title.split(" ", 1)[0]
    if not title or (len(first) > 1 and first.isupper()):
        return title
    return title[0].lower() + title[1:]
