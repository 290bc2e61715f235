"""Casework's records, one module per part of the work:

- people: a person's record, their consents, GP practices, and the audit log;
- conversations: the conversations held with a person, the risks recorded, and their
  well-being measures;
- plans: the person's plan (goals in their own words, actions) and signposting;
- referrals: referrals made to organisations (and received from GPs and others), with every
  change of status;
- safeguarding: safeguarding concerns, escalated to the safeguarding lead;
- erasure: requests to erase a person's record, and what became of them (no personal data).
- api_tokens: the tokens other systems sign their FHIR API requests with.
- outreach: outreach from prevention worklists, the re-identification table kept apart, and
  each re-identification.
- teams: teams of practitioners, their caseloads, and "break glass" uses.

Everything here is imported from `thedeal.casework.models`, never from the modules.
"""

from thedeal.casework.models.api_tokens import *  # noqa: F403
from thedeal.casework.models.conversations import *  # noqa: F403
from thedeal.casework.models.erasure import *  # noqa: F403
from thedeal.casework.models.outreach import *  # noqa: F403
from thedeal.casework.models.people import *  # noqa: F403
from thedeal.casework.models.plans import *  # noqa: F403
from thedeal.casework.models.referrals import *  # noqa: F403
from thedeal.casework.models.safeguarding import *  # noqa: F403
from thedeal.casework.models.teams import *  # noqa: F403
