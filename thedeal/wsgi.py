import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thedeal.settings")
application = get_wsgi_application()

# The commitments' pages compute with pandas and SciPy, which commands leave unloaded to start
# quickly (thedeal/deal/views.py); a web server loads them now, not on a resident's request.
import thedeal.deal.progress  # noqa: E402, F401
