"""Worklist outreach's pages for the browser crawls (accessibility and reflow): a worklist with
an entry in each state, as Ola, an outreach lead, sees them."""

import datetime


def outreach_pages(ola):
    from django.contrib.auth.models import Group, Permission

    from tests.factories.outreach import worklist
    from thedeal.casework import outreach_actions
    from thedeal.casework.outreach_demo import OUTREACH_LEAD
    from thedeal.directory.models import Service
    from thedeal.prevention.models import WorklistEntry

    group = Group.objects.get_or_create(name=OUTREACH_LEAD)[0]
    group.permissions.add(Permission.objects.get(codename="reidentify"))
    ola.groups.add(group)
    ola = type(ola).objects.get(pk=ola.pk)  # permissions are cached on the instance
    made, entries = worklist((4, False), (9, False), (12, False), (15, True))
    service = Service.objects.order_by("name").first()
    # A long service name, for the reflow check.
    WorklistEntry.objects.filter(worklist=made).update(suggestions=[{
        "service_id": str(service.pk), "name": "Ashton-in-Makerfield Community Allotments Befriending",
        "for": "befriending", "because": "lives alone and reports feeling lonely",
        "distance_km": 1.2, "may_be_out_of_date": True,
    }])  # fmt: skip
    for entry in entries:
        entry.refresh_from_db()
    reached = outreach_actions.open_outreach(entry=entries[0], purpose="To offer support", by=ola)
    tried = outreach_actions.open_outreach(entry=entries[1], purpose="To offer support", by=ola)
    outreach_actions.record_attempt(outreach=tried, tried_on=datetime.date(2026, 3, 2),
                                    method="phone", outcome="no-answer", by=ola)  # fmt: skip
    outreach_actions.record_attempt(outreach=reached, tried_on=datetime.date(2026, 3, 2),
                                    method="letter", outcome="reached", by=ola)  # fmt: skip
    return {
        "worklist outreach": "/casework/outreach/",
        "a worklist": f"/casework/outreach/worklists/{made.pk}/",
        "open an outreach": f"/casework/outreach/entries/{entries[2].pk}/open/",
        "an outreach": f"/casework/outreach/{tried.pk}/",
        "an outreach reached": f"/casework/outreach/{reached.pk}/?done=attempt",
        "a person reached by outreach": f"/casework/people/{reached.person.reference}/",
    }
