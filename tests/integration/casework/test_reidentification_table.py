"""`thedeal casework_reidentification load --data DIR`, and load_demo's part: the table is
replaced all or nothing, only from a synthetic borough, with progress."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.outreach import ScoringRunFactory
from tests.unit.casework.test_identities import NUMBERS, write_borough
from thedeal.casework import outreach_demo
from thedeal.casework.models import ResidentIdentity
from thedeal.prevention.models import Worklist

pytestmark = pytest.mark.django_db


def load(folder):
    out, err = io.StringIO(), io.StringIO()
    call_command("casework_reidentification", "load", "--data", str(folder), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rows(count, **extra):
    return [{"resident_id": 10**11 + i, **extra} for i in range(count)]


def test_loading_a_synthetic_borough_names_every_resident(tmp_path):
    folder = write_borough(
        tmp_path / "borough",
        [*rows(4), {"resident_id": 7, "nhs_number": NUMBERS[0], "opted_out": True}],
    )
    out, err = load(folder)
    assert "holds 5 residents" in out
    assert "5 of 5 residents named" in err
    kept = ResidentIdentity.objects.get(resident_id=7)
    assert kept.nhs_number == NUMBERS[0] and kept.opted_out
    assert str(folder.resolve()) in kept.source


def test_a_failed_load_leaves_the_table_as_it_was(tmp_path):
    load(write_borough(tmp_path / "first", rows(3)))
    before = list(
        ResidentIdentity.objects.order_by("resident_id").values_list("resident_id", "family_name")
    )
    broken = write_borough(
        tmp_path / "broken", [*rows(6), {"resident_id": 99, "nhs_number": "9990000019"}]
    )
    with pytest.raises(CommandError, match="resident_id 99.*Nothing was loaded"):
        load(broken)
    after = list(
        ResidentIdentity.objects.order_by("resident_id").values_list("resident_id", "family_name")
    )
    assert after == before


def test_a_real_borough_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a synthetic borough"):
        load(write_borough(tmp_path / "real", rows(2), synthetic=False))
    assert not ResidentIdentity.objects.exists()


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        load(tmp_path / "nowhere")


def test_load_demo_names_the_residents_of_the_newest_worklist(tmp_path):
    assert outreach_demo.load() == 0  # no worklists: nothing to name
    folder = write_borough(tmp_path / "borough", rows(8))
    run = ScoringRunFactory(data_path=str(folder))
    Worklist.objects.create(run=run, size=0)
    assert outreach_demo.load() == 8 and ResidentIdentity.objects.count() == 8
    assert outreach_demo.load() == 0  # once: a table already there is kept


def test_the_demo_practitioner_is_an_outreach_lead_who_may_re_identify():
    from tests.factories.accounts import ola

    user = ola()
    assert not user.has_perm("casework.reidentify")
    assert outreach_demo.make_outreach_leads() == ["ola@example.nhs.uk"]
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    assert user.has_perm("casework.reidentify")
