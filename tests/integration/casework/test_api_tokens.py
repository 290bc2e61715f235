"""`thedeal api_token`: an administrator makes a token for a sending system, hands it over
once, lists and revokes tokens."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import accounts as personas
from tests.factories.directory import OrganizationFactory
from tests.integration.test_startup import modules_loaded_by
from thedeal.casework.models import ApiToken
from thedeal.directory.models import Organization, OrganizationIdentifier

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_alone_on_its_last_line_and_keeps_only_its_hash():
    walking = OrganizationFactory(name="Wigan Walking Group")

    printed = run("create", "--name", "Walking group CRM", "--organisation", str(walking.pk))

    token = printed.strip().splitlines()[-1]
    assert token.startswith("thedeal_") and " " not in token
    record = ApiToken.objects.get(name="Walking group CRM")
    assert record.organization == walking
    assert token not in record.token_hash
    assert ApiToken.authenticate(token) == record


def test_a_gp_practice_not_in_the_directory_is_added_by_its_ods_code():
    printed = run("create", "--name", "Pemberton Surgery EMIS", "--organisation", "p92001")

    identifier = OrganizationIdentifier.objects.get(identifier="P92001")
    assert identifier.identifier_scheme == "GB-NHS"
    assert ApiToken.objects.get().organization == identifier.organization
    assert ApiToken.authenticate(printed.strip().splitlines()[-1]) is not None
    # A second token for the same practice finds it, rather than adding it again.
    run("create", "--name", "Pemberton Surgery SystmOne", "--organisation", "P92001")
    assert Organization.objects.filter(organization_identifiers__identifier="P92001").count() == 1


@pytest.mark.parametrize(
    ("organisation", "message"),
    [
        ("00000000-0000-0000-0000-000000000000", "No organisation in the directory"),
        ("Pemberton", "neither a directory organisation's id nor a GP practice's ODS code"),
    ],
)
def test_create_refuses_an_organisation_it_cannot_find(organisation, message):
    with pytest.raises(CommandError, match=message):
        run("create", "--name", "Somewhere", "--organisation", organisation)
    assert not ApiToken.objects.exists()


def test_two_tokens_cannot_share_a_name():
    walking = OrganizationFactory()
    run("create", "--name", "CRM", "--organisation", str(walking.pk))

    with pytest.raises(CommandError, match="already exists"):
        run("create", "--name", "CRM", "--organisation", str(walking.pk))


def test_revoke_stops_a_token_and_list_says_so():
    walking = OrganizationFactory(name="Wigan Walking Group")
    token = (
        run("create", "--name", "CRM", "--organisation", str(walking.pk)).strip().splitlines()[-1]
    )

    assert "live" in run("list")
    run("revoke", "CRM")

    assert ApiToken.authenticate(token) is None
    assert "revoked" in run("list")
    with pytest.raises(CommandError, match="No token"):
        run("revoke", "Nobody")


@pytest.mark.slow
def test_the_site_starts_without_loading_the_fhir_models():
    # fhir.resources' models load when the API is first used, not with every command.
    loaded = modules_loaded_by("check")
    assert "fhir.resources.R4B.bundle" not in loaded


def test_administrators_see_the_tokens_in_the_admin_and_revoke_them_there(client):
    walking = OrganizationFactory(name="Wigan Walking Group")
    token = (
        run("create", "--name", "CRM", "--organisation", str(walking.pk)).strip().splitlines()[-1]
    )
    client.force_login(personas.dana())

    listing = client.get("/admin/casework/apitoken/")
    assert listing.status_code == 200 and "CRM" in listing.text and token not in listing.text
    assert client.get("/admin/casework/apitoken/add/").status_code == 403
    record = ApiToken.objects.get()
    client.post(
        "/admin/casework/apitoken/",
        {"action": "revoke", "_selected_action": [record.pk]},
    )

    assert ApiToken.authenticate(token) is None
    revoked = client.get("/admin/casework/apitoken/", {"state": "revoked"})
    assert "CRM" in revoked.text and "Revoked" in revoked.text
    assert "CRM" not in client.get("/admin/casework/apitoken/", {"state": "live"}).text


def test_practitioners_do_not_see_the_tokens(client):
    client.force_login(personas.ola())

    response = client.get("/admin/casework/apitoken/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
