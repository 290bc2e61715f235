"""Casework's records, one module per part of the work:

- people: a person's record, their consents, GP practices, and the audit log;
- conversations: the conversations held with a person, the risks recorded, and their
  well-being measures;
- plans: the person's plan (goals in their own words, actions) and signposting;
- referrals: referrals made to organisations (and received from GPs and others), with every
  change of status;
- teams: teams of practitioners, their caseloads, and "break glass" uses.

Everything here is imported from `thedeal.casework.models`, never from the modules.
"""

from thedeal.casework.models.conversations import *  # noqa: F403
from thedeal.casework.models.people import *  # noqa: F403
from thedeal.casework.models.plans import *  # noqa: F403
from thedeal.casework.models.referrals import *  # noqa: F403
from thedeal.casework.models.teams import *  # noqa: F403
