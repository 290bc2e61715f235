"""Who may open casework pages: practitioners and administrators (teams and "break glass" are
still to come: until then every practitioner may see every person)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from thedeal.accounts.models import does_casework
from thedeal.accounts.views import verified_staff
from thedeal.casework.models import Person


def may_see(user: Any, person: Person) -> bool:
    """Whether this user may open this person's record (the one place teams will narrow)."""
    return does_casework(user)


def casework_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in (else to sign in), past two-factor, never cached, and a casework role (else
    403: the page exists, but not for them)."""

    @verified_staff
    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not does_casework(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
