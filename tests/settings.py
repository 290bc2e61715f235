"""The test suite's settings: the project's own (thedeal/settings.py), configured by demo.env.

The tests run the demo borough as `make run` serves it, DEBUG off, with two differences for a
fresh clone: a signing key made for the run (demo.env holds no secret, and the tests never read
a checkout's .env, which may name a real mail service or database), and static files served
from the source (the production manifest exists only after `collectstatic`). Real environment
variables still win, as everywhere: CI's DATABASE_URL chooses PostgreSQL.
"""

import os
import secrets
from pathlib import Path

# Whatever THEDEAL_ENV_FILE said: the tests check the demo borough's behaviour. Subprocesses
# that a test starts (`thedeal` commands, servers) inherit both and so read the same.
os.environ["THEDEAL_ENV_FILE"] = str(Path(__file__).resolve().parent.parent / "demo.env")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from thedeal.settings import *  # noqa: E402, F403, TID251 (the one module that extends them)

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The demo's worklist trains a risk model (about 15 s): only the tests of outreach in the demo
# ask load_demo for it (--worklist-residents).
DEMO_WORKLIST_RESIDENTS = 0

# The demo's insight draws and computes a 120,000-resident borough: the tests of insight draw
# their own small ones.
DEMO_INSIGHT_RESIDENTS = 0
