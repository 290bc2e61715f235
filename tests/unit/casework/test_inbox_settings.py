"""The chasing settings stop start-up with a message naming the variable when they are wrong."""

from tests.unit.test_env import import_settings


def test_settings_refuse_chasing_after_no_working_days(tmp_path):
    error = import_settings(tmp_path, REFERRAL_CHASE_AFTER_WORKING_DAYS="0")

    assert "REFERRAL_CHASE_AFTER_WORKING_DAYS must be at least 1" in error


def test_settings_refuse_a_closure_day_that_is_no_date(tmp_path):
    error = import_settings(tmp_path, COUNCIL_CLOSURE_DAYS="2026-12-29,29/12/2026")

    assert "COUNCIL_CLOSURE_DAYS must be dates like 2026-12-29, comma-separated" in error
