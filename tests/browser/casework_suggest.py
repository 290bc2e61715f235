"""The pages of suggesting services, signposting and referring, for the accessibility and
reflow crawls: for a person (made by casework_pages), a goal with a long name, a signpost
printed and a referral sent to the best suggestion in the borough's directory."""


def suggest_pages(person, ola) -> dict[str, str]:
    from django.utils import timezone

    from thedeal.casework import suggest_actions, suggest_queries
    from thedeal.casework.models import Goal, Plan
    from thedeal.directory.models import Service, TaxonomyTerm

    term = TaxonomyTerm.objects.filter(parent__isnull=False, attributes__isnull=False).first()
    # The person's open plan (casework_pages agrees one), else a new one.
    plan = Plan.objects.filter(person=person, closed_on=None).first() or Plan.objects.create(
        person=person, agreed_on=timezone.localdate()
    )
    goal = Goal.objects.create(
        plan=plan,
        in_their_words="To get back to the Ashton-in-Makerfield allotments-and-gardening society",
        importance=9,
        category=term,
    )
    found = suggest_queries.suggest(person, suggest_queries.Ask(category=term))
    service = Service.objects.select_related("organization").get(pk=found[0].candidate.service_id)
    signpost = suggest_actions.signpost(
        person=person, service=service, goal=goal, method="printed", reasons=found[0].fits, by=ola
    )
    referral = suggest_actions.refer(
        person=person,
        service=service,
        goal=goal,
        reason="Would like company; please phone after 10am",
        reasons_suggested=found[0].fits,
        consent_now=True,
        by=ola,
    )
    base = f"/casework/people/{person.reference}/"
    return {
        "services that could help": f"{base}services/",
        "services for a goal": f"{base}goals/{goal.pk}/services/",
        "services, filtered": f"{base}services/?within=2&slots=weekends&needs=step-free&free_first=on",
        "give them the details": f"{base}services/{service.pk}/signpost/?goal={goal.pk}",
        "refer": f"{base}services/{service.pk}/refer/?goal={goal.pk}",
        "details to print": f"{base}signposts/{signpost.pk}/print/",
        "a referral": f"{base}referrals/{referral.pk}/",
        "cancel a referral": f"{base}referrals/{referral.pk}/cancelled/",
    }
