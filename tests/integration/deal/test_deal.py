"""The Deal's two parts, as residents and staff see them."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from thedeal import geography
from thedeal.deal import actions, demo, tasks
from thedeal.deal.models import CheckIn, Commitment, Measurement, Pledge, PledgeType
from thedeal.indicators import proportion

pytestmark = pytest.mark.django_db


@pytest.fixture
def the_deal():
    demo.load(seed=1)


def keep_active():
    return PledgeType.objects.get(slug="keep-active")


def test_our_part_shows_each_commitment_with_its_latest_figure(client, the_deal):
    html = client.get("/deal/our-part/").content.decode()
    assert "Fewer adults smoke" in html and "14.7% (2022)" in html and "12.0% by 2026" in html
    assert html.count("Example figures") == Commitment.objects.filter(synthetic=True).count()


def test_the_smoking_commitment_uses_wigans_published_figures(client, the_deal):
    html = client.get("/deal/our-part/fewer-adults-smoke/").content.decode()
    for year, value in demo.WIGAN_SMOKING.items():
        assert re.search(rf">{year}</th>\s*<td[^>]*>{value}", html), year
    assert "12.7" in html  # England, 2022
    assert 'role="img"' in html and '<title id="progress-title">' in html  # the chart...
    assert "<caption" in html  # ...and its text alternative, a table
    assert "made up for the demonstration" not in html


def test_synthetic_figures_are_marked_and_small_counts_hidden(client):
    commitment = Commitment.objects.create(
        slug="example", title="Example", owner="Us", indicator="Quit at four weeks", unit="%",
        direction="higher", synthetic=True,
    )  # fmt: skip
    Measurement.objects.create(commitment=commitment, year=2023, numerator=5, denominator=20)
    Measurement.objects.create(commitment=commitment, year=2024, numerator=12, denominator=30)

    html = client.get("/deal/our-part/example/").content.decode()

    assert "made up for the demonstration" in html
    assert "Too few to show" in html and "(5 of 20)" not in html
    expected = proportion(
        __import__("pandas").DataFrame({"x": [12], "n": [30]}), "x", "n", multiplier=100
    ).iloc[0]
    assert f"{expected.lowercl:.1f} to {expected.uppercl:.1f}" in html
    assert "40.0" in html and "(12 of 30)" in html


def make(client, slug="keep-active", **data):
    return client.post(f"/deal/your-part/{slug}/", data)


def private_link(client) -> str:
    html = client.get("/deal/your-part/made/").content.decode()
    return re.search(r'id="private-link">https?://[^/]+(/deal/pledges/[^/]+/)<', html).group(1)


def test_a_resident_makes_a_pledge_without_an_account_and_keeps_the_private_link(client, the_deal):
    response = make(client, postcode="wn1 1aa")
    assert response.status_code == 302 and response["Location"] == "/deal/your-part/made/"
    link = private_link(client)

    # The link is shown once; only its hash is kept.
    assert client.get("/deal/your-part/made/").status_code == 302
    pledge = Pledge.objects.get()
    token = link.split("/")[-2]
    assert token not in pledge.token_hash and pledge.token_hash == actions.hash_token(token)
    assert pledge.ward_name == geography.lookup_postcode("WN1 1AA").ward_name
    assert pledge.email == ""

    page = client.get(link).content.decode()
    assert "Keep active" in page and "Check in" in page


def test_a_resident_checks_in_withdraws_and_deletes(client, the_deal):
    pledge, token = actions.make_pledge(pledge_type=keep_active())
    link = f"/deal/pledges/{token}/"

    assert client.post(link, {"progress": "well"}).status_code == 302
    assert "Going well" in client.get(link).content.decode()
    assert "Select how your pledge is going" in client.post(link, {}).content.decode()

    assert "Withdraw your pledge?" in client.get(f"{link}withdraw/").content.decode()
    client.post(f"{link}withdraw/")
    pledge.refresh_from_db()
    assert pledge.withdrawn and "You withdrew this pledge" in client.get(link).content.decode()

    assert "cannot be undone" in client.get(f"{link}delete/").content.decode()
    client.post(f"{link}delete/")
    assert not Pledge.objects.exists() and not CheckIn.objects.exists()
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "sam@example.org"}, "Tick the box to agree to reminder emails"),
        ({"reminders": "on"}, "Enter an email address for your reminders"),
        ({"postcode": "WN1"}, "Enter a real postcode, like WN1 1AA"),
    ],
)
def test_an_email_address_is_kept_only_with_consent(client, the_deal, data, message):
    response = make(client, **data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Pledge.objects.exists()


def test_reminders_carry_a_signed_link_that_expires(
    client, the_deal, settings, monkeypatch, django_capture_on_commit_callbacks
):
    pledge, _ = actions.make_pledge(pledge_type=keep_active(), email="sam@example.org",
                                    reminders=True)  # fmt: skip
    actions.make_pledge(pledge_type=keep_active())  # no reminders asked for

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_pledge_reminders.call() == 1
    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    link = re.search(r"https?://[^/\s]+(/deal/pledges/\S+/)", message.body).group(1)
    assert "Keep active" in client.get(link).content.decode()
    assert tasks.send_pledge_reminders.call() == 0  # not again this month

    later = timezone.now() + datetime.timedelta(days=settings.PLEDGE_LINK_DAYS + 1)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
    assert client.get(link).status_code == 404


def test_the_retention_schedule_deletes_withdrawn_and_inactive_pledges(the_deal, settings):
    now = timezone.now()
    kept, _ = actions.make_pledge(pledge_type=keep_active())
    withdrawn_long_ago, _ = actions.make_pledge(pledge_type=keep_active())
    withdrawn_long_ago.withdrawn_at = now - datetime.timedelta(
        days=settings.PLEDGE_KEEP_WITHDRAWN_DAYS + 1
    )
    withdrawn_long_ago.save()
    recently_withdrawn, _ = actions.make_pledge(pledge_type=keep_active())
    actions.withdraw(recently_withdrawn)
    forgotten, _ = actions.make_pledge(pledge_type=keep_active())
    Pledge.objects.filter(pk=forgotten.pk).update(
        last_active_at=now - datetime.timedelta(days=settings.PLEDGE_KEEP_INACTIVE_DAYS + 1)
    )

    assert tasks.apply_pledge_retention.call() == 2
    assert set(Pledge.objects.values_list("pk", flat=True)) == {kept.pk, recently_withdrawn.pk}


def test_participation_by_neighbourhood_hides_small_counts(client, the_deal):
    for ward, count in (("Atherton", 3), ("Douglas", 10), ("Leigh West", 9)):
        for _ in range(count):
            pledge, _ = actions.make_pledge(pledge_type=keep_active())
            Pledge.objects.filter(pk=pledge.pk).update(ward_name=ward)

    html = client.get("/deal/your-part/neighbourhoods/").content.decode()

    rows = dict(
        re.findall(
            r'<th scope="row" class="govuk-table__header">([^<]+)</th><td[^>]*>([^<]+)</td>', html
        )
    )
    # Atherton's 3 is hidden, and so is Leigh West's 9, so the total of 22 cannot reveal it.
    assert rows == {"Atherton": "Too few to show", "Douglas": "10", "Leigh West": "Too few to show"}
    assert "22 pledges in all" in html


def test_each_pledge_links_to_services_that_help(client, the_deal):
    from tests.factories import directory as factories

    term = factories.TaxonomyTermFactory(code="physical-activity", name="Physical activity")
    sal = factories.ServiceAtLocationFactory(service=factories.ServiceFactory(name="Parkrun"))
    factories.AttributeFactory(link_id=sal.service.pk, taxonomy_term=term)

    html = client.get("/deal/your-part/keep-active/").content.decode()
    assert "What helps" in html and "Parkrun" in html


def test_a_pledge_needs_nothing_personal(client, the_deal):
    assert make(client).status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.email, pledge.postcode, pledge.ward_name, pledge.user) == ("", "", "", None)
