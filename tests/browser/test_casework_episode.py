"""A whole episode of casework in a real browser, through the pages only: a practitioner who
leads outreach opens a worklist, reaches a resident, has the first conversation and takes
their well-being measures, agrees a plan with a goal, refers them to an organisation's service;
the organisation's editor accepts the referral and records that they came; the practitioner
reviews the measures, sees the change, and sees the referral counted in the reports.

Every page on the way is checked with axe-core (zero violations), with JavaScript on and off.
One long run: marked to run once (in the SQLite pass), not again on PostgreSQL."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_accessibility import TAGS

pytestmark = [pytest.mark.once, pytest.mark.slow]

PASSWORD = "correct horse battery staple"
PRACTITIONER = "ola@example.nhs.uk"
EDITOR = "priya@example.org"
GOAL = "Get out of the house and meet people again"


def an_episode_to_begin():
    """A Hindley Green worklist with one entry (its resident in the re-identification table),
    Ola (a practitioner, an outreach lead in Wigan Central's team) and Priya, the editor of the
    organisation running a service. Returns the service and its category."""
    from django.contrib.auth.models import Group, User

    from tests.factories.casework import PersonFactory
    from tests.factories.outreach import ola_outreach_lead, worklist
    from tests.factories.teams import WIGAN_CENTRAL, join
    from thedeal.accounts.models import OrganisationEditor, Role
    from thedeal.casework import inbox_actions
    from thedeal.casework.lifecycle import Party
    from thedeal.casework.models import Direction, Referral
    from thedeal.directory.forms import category_groups
    from thedeal.directory.models import Attribute, Service

    # The roles' groups, as the migrations make them (a transactional test's flush empties them).
    for role in Role:
        Group.objects.get_or_create(name=role)
    ola = ola_outreach_lead()
    ola.set_password(PASSWORD)
    ola.save()
    join(ola, WIGAN_CENTRAL)
    worklist((3, False))
    # A service the goal's kind of help finds: active, at no confidential place.
    for _, under in category_groups():
        for category in under:
            linked = Attribute.objects.filter(taxonomy_term=category).values("link_id")
            service = (
                Service.objects.filter(pk__in=linked, status=Service.Status.ACTIVE)
                .exclude(service_at_locations__location__confidential=True)
                .order_by("name")
                .first()
            )
            if service:
                break
        if service:
            break
    priya = User.objects.create_user(EDITOR, email=EDITOR, password=PASSWORD)
    priya.groups.add(Group.objects.get_or_create(name=Role.EDITOR)[0])
    OrganisationEditor.objects.create(user=priya, organization=service.organization)
    # Seven referrals to the service already this year, seen through: the episode's makes the
    # eighth, which the reports may count (counts of 1 to 7 are suppressed).
    for _ in range(7):
        earlier = Referral.objects.create(
            person=PersonFactory(), direction=Direction.OUTBOUND, reason="Lonely",
            requester_user=ola, performer_organization=service.organization, service=service,
        )  # fmt: skip
        earlier.record_start(by=Party.REQUESTER, user=ola)
        inbox_actions.answer(referral=earlier, to="accepted", by=priya)
        inbox_actions.answer(referral=earlier, to="completed", by=priya, outcome="Came")
    return service, category


class Walk:
    """The browser's walk through the episode: every page it lands on is checked with axe."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.failures = {}

    def check(self, name):
        self.page.wait_for_load_state("load")
        result = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": TAGS}})
        if result.violations_count:
            self.failures[name] = result.generate_report()

    def follow(self, link, name):
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link).first.click()
        self.check(name)

    def submit(self, button, name):
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button).click()
        self.check(name)

    def heading(self):
        return self.page.get_by_role("heading", level=1).inner_text()

    def sign_in(self, who):
        self.page.context.clear_cookies()
        self.page.goto("/accounts/sign-in/")
        self.page.get_by_label("Email address or username").fill(who)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.submit("Sign in", f"signed in as {who}")

    def choose(self, group, choice):
        self.page.get_by_role("group", name=group).get_by_label(choice, exact=True).check()

    def date(self, group, day):
        fields = self.page.get_by_role("group", name=group)
        fields.get_by_label("Day").fill(str(day.day))
        fields.get_by_label("Month").fill(str(day.month))
        fields.get_by_label("Year").fill(str(day.year))

    def measures(self, occasion, ons4, swemwbs):
        """Well-being measures: the four ONS4 answers and SWEMWBS's seven, in order."""
        from thedeal.casework.measures import ons4 as ons4_items
        from thedeal.casework.measures import swemwbs as swemwbs_items

        self.choose("When in their support", occasion)
        for item, answer in zip(ons4_items.items(), ons4, strict=True):
            self.choose(item.question, str(answer))
        for item, answer in zip(swemwbs_items.items(), swemwbs, strict=True):
            self.choose(item.statement, swemwbs_items.RESPONSES[answer])
        self.submit("Save measures", f"{occasion} measures saved")


def test_a_whole_episode_end_to_end(checked_page, borough):
    from django.utils import timezone

    service, category = an_episode_to_begin()
    walk = Walk(checked_page)
    page = checked_page
    today = timezone.localdate()

    # The practitioner finds the worklist and opens an outreach to its one resident.
    walk.sign_in(PRACTITIONER)
    page.goto("/casework/outreach/")
    walk.check("worklist outreach")
    walk.follow("Hindley Green", "a worklist")
    assert walk.heading() == "Hindley Green"
    walk.follow("Open an outreach to rank 3", "open an outreach")
    page.get_by_label("Why are you re-identifying this resident?").fill(
        "To offer support after two emergency admissions"
    )
    walk.submit("Re-identify and open", "an outreach")
    assert walk.heading() == "Worklist outreach"
    walk.date("Date of the attempt", today)
    walk.choose("How did you try to reach them?", "Phone call")
    walk.choose("What happened?", "Reached them: they would like support")
    walk.submit("Record attempt", "an outreach reached")
    assert page.get_by_text("Their first conversation has been started").count() == 1

    # Their record: the conversation the outreach started, and their first measures.
    walk.follow("record", "the person reached")
    person_url = page.url
    name = walk.heading()
    assert name.startswith("Edith Atherton")
    walk.follow("Listen and connect", "the first conversation")
    walk.follow("Record well-being measures", "record well-being measures")
    walk.measures("First contact", ons4=(3, 4, 3, 8), swemwbs=(2, 2, 1, 2, 3, 1, 3))

    # A plan, with a goal in their words and the kind of help it needs.
    page.goto(person_url)
    walk.check("the person, with first measures")
    walk.follow("Agree a plan", "agree a plan")
    walk.date("Date agreed", today)
    walk.submit("Agree plan", "the plan")
    walk.follow("Add a goal", "add a goal")
    page.get_by_label("The goal, in their words").fill(GOAL)
    walk.choose("How much it matters to them", "8")
    page.get_by_label("Kind of help").select_option(label=category.name)
    walk.submit("Add goal", "the plan with a goal")
    assert page.get_by_text(GOAL).count() >= 1

    # Services for the goal, and a referral to the organisation's, with consent to share.
    page.goto(person_url)
    walk.follow("Find services that could help", "find services")
    walk.follow(GOAL, "services for the goal")
    page.get_by_label("Words to look for").fill(service.name)
    walk.submit("Show suggestions", "services for the goal, narrowed")
    walk.follow(f"Refer to {service.name}", "refer")
    page.get_by_label("Reason for referral").fill("Lonely since her husband died; wants company")
    page.get_by_label("They agree to their details being shared with").check()
    walk.submit("Send referral", "the referral sent")
    # Each side reads the referral's status in its own words.
    assert page.get_by_text("Waiting for a reply", exact=True).count() >= 1

    # The organisation's editor accepts it, and later records that they came.
    walk.sign_in(EDITOR)
    page.goto("/referrals/")
    walk.check("the inbox")
    assert page.get_by_text("1 waiting", exact=True).count() == 1
    assert page.get_by_text("New referral", exact=True).count() == 1
    walk.follow(f"To {service.name}", "a new referral")
    assert walk.heading() == name
    walk.submit("Accept referral", "an accepted referral")
    assert page.get_by_text("Accepted", exact=True).count() >= 1
    walk.submit("Record that they have started", "an attending referral")
    assert page.get_by_text("Attending", exact=True).count() >= 1
    walk.submit("Mark as completed", "record the outcome")
    page.get_by_label("How it went").fill("Came every Wednesday; now helps with the teas")
    walk.submit("Mark as completed", "a completed referral")
    assert page.get_by_text("Completed", exact=True).count() >= 1

    # The practitioner reviews: a conversation, and measures with changed scores.
    walk.sign_in(PRACTITIONER)
    page.goto(person_url)
    walk.check("the person, referral completed")
    assert page.get_by_text("Completed", exact=True).count() >= 1
    walk.follow("Record a conversation", "record a conversation")
    walk.choose("Which conversation", "Build a good life")
    walk.choose("How it was held", "In person")
    walk.choose("Why we are talking", "We contacted them (from a prevention worklist)")
    page.get_by_label("A review of their plan").check()
    page.get_by_label("No known risks").check()
    walk.submit("Save conversation", "the review conversation")
    walk.follow("Record well-being measures", "record review measures")
    walk.measures("Review", ons4=(7, 8, 7, 3), swemwbs=(4, 4, 3, 4, 4, 4, 4))

    # The change, on their record: the chart's table has both days, first and latest.
    page.goto(person_url)
    walk.check("the person, with the change")
    assert page.get_by_role("heading", name="Change from first to latest").count() == 1
    ons4_rows = page.locator("#ons4-table tbody tr").all_inner_texts()
    assert [row.split()[-4:] for row in ons4_rows] == [["3", "4", "3", "8"], ["7", "8", "7", "3"]]
    for change in ("Anxiety: 8, high to 3, low (5 points better)",
                   "SWEMWBS: 15.32 to 24.11 (8.79 points better)"):  # fmt: skip
        assert page.get_by_text(change, exact=True).count() == 1

    # The reports count the referral: the service's eighth this year, so no longer suppressed.
    page.goto("/casework/reports/")
    walk.check("casework reports")
    assert walk.heading() == "Casework reports"
    by_service = page.locator("#by-service ~ div table").first
    row = by_service.get_by_role("row").filter(has_text=service.name)
    assert row.get_by_role("cell").last.inner_text() == "8"

    assert not walk.failures, "\n\n".join(f"{n}:\n{r}" for n, r in walk.failures.items())
