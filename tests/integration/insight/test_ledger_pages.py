"""The evaluation's and the savings ledger's pages: who may open each (one table of page ×
named persona), the public page before and after an evaluation is published, the ledger's
figures and CSV, and the staff entering costs and settings, each change recorded with who and
when.

Ade is an analyst, Dana an administrator, Ola a practitioner, Sam a resident with an account.
"""

import csv
import io
import string
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import accounts as personas
from tests.factories.casework import ade
from tests.factories.evaluation import cost, estimate, run
from thedeal.insight import ledger
from thedeal.insight.models import EvaluationRun, LedgerSettings, ProgrammeCost

pytestmark = pytest.mark.django_db


# --- Who may open each page --------------------------------------------------------------------

PAGES = {
    "achieved": lambda: "/insight/achieved/",
    "ledger CSV": lambda: "/insight/achieved/savings-ledger.csv",
    "evaluation": lambda: "/insight/evaluation/",
    "costs": lambda: "/insight/costs/",
    "add a cost": lambda: "/insight/costs/new/",
    "change a cost": lambda: f"/insight/costs/{ProgrammeCost.objects.get().pk}/",
    "remove a cost": lambda: f"/insight/costs/{ProgrammeCost.objects.get().pk}/remove/",
    "ledger settings": lambda: "/insight/costs/settings/",
}
PERSONAS = {
    "anonymous": lambda: None,
    "Sam (resident)": personas.sam,
    "Ola (practitioner)": personas.ola,
    "Ade (analyst)": ade,
    "Dana (administrator)": personas.dana,
}
# 302: to sign in. 403: signed in, not an analyst or an administrator.
TABLE = """
page             | anonymous | Sam (resident) | Ola (practitioner) | Ade (analyst) | Dana (administrator)
achieved         | 200       | 200            | 200                | 200           | 200
ledger CSV       | 200       | 200            | 200                | 200           | 200
evaluation       | 302       | 403            | 403                | 200           | 200
costs            | 302       | 403            | 403                | 200           | 200
add a cost       | 302       | 403            | 403                | 200           | 200
change a cost    | 302       | 403            | 403                | 200           | 200
remove a cost    | 302       | 403            | 403                | 200           | 200
ledger settings  | 302       | 403            | 403                | 200           | 200
"""


def _cells():
    lines = [line for line in TABLE.strip().splitlines()]
    names = [cell.strip() for cell in lines[0].split("|")][1:]
    for line in lines[1:]:
        page, *codes = (cell.strip() for cell in line.split("|"))
        for persona, code in zip(names, codes, strict=True):
            yield page, persona, int(code)


def test_the_table_covers_every_page_and_persona():
    assert {(p, q) for p, q, _ in _cells()} == {(p, q) for p in PAGES for q in PERSONAS}


@pytest.mark.parametrize(("page", "persona", "expected"), list(_cells()))
def test_who_may_open_each_page(client, page, persona, expected):
    run(published=True)
    cost("1000.00")
    user = PERSONAS[persona]()
    if user is not None:
        client.force_login(user)

    response = client.get(PAGES[page]())

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/sign-in/")


def test_staff_pages_refuse_a_post_from_someone_who_is_not_staff(client):
    target = run()
    client.force_login(personas.ola())

    response = client.post("/insight/evaluation/", {"run": target.pk})

    assert response.status_code == 403
    assert not EvaluationRun.objects.filter(published=True).exists()


# --- The public page ----------------------------------------------------------------------------


def test_achieved_says_plainly_when_nothing_is_published(client):
    run()  # saved, not published

    response = client.get("/insight/achieved/")

    page = response.content.decode()
    assert "No evaluation of the Deal's prevention programme has been published yet" in page
    assert "<svg" not in page
    assert client.get("/insight/achieved/savings-ledger.csv").status_code == 404


def test_achieved_shows_the_boroughs_healthy_life_expectancy_by_sex_once_computed(client):
    from tests.factories import insight

    assert "Healthy life expectancy in" not in client.get("/insight/achieved/").content.decode()
    periods = ("2021/22 - 23/24", "2022/23 - 24/25", "2023/24 - 25/26")
    insight.load_borough(
        periods=periods,
        levels=("borough",),
        slugs=("healthy-life-expectancy-birth",),
    )
    from thedeal.insight.models import IndicatorValue

    women = IndicatorValue.objects.get(sex="Female", period_label="2023/24 - 25/26")

    page = client.get("/insight/achieved/").content.decode()

    assert "Healthy life expectancy in" in page
    assert 'id="chart-healthy-life-title"' in page  # the chart, named
    for period in periods:
        assert f'<th scope="row" class="govuk-table__header">{period}</th>' in page
    assert f"{women.value:,.1f}" in page
    assert f"{women.lower95:,.1f} to {women.upper95:,.1f}" in page


def test_achieved_shows_the_primary_estimate_first_in_words(client):
    run(published=True)

    page = client.get("/insight/achieved/").content.decode()

    assert "18% fewer emergency admissions (between 9% and 26% fewer)" in page
    assert "probably between 200 and 600" in page
    # The primary analysis comes before the others, and the naive one is called biased.
    assert page.index("Stepped wedge (the primary analysis)") < page.index("Matched comparison")
    assert "Takers against non-takers (biased)" in page
    assert "synthetic borough" in page
    assert "What these figures cannot say" in page
    assert "Healthy life expectancy changes slowly and has many causes" in page


def test_achieved_says_when_an_interval_includes_no_effect(client):
    run(published=True, primary=estimate("intention_to_treat", 0.97, 0.88, 1.07, 30.0, -60.0,
                                          110.0, "Poisson"))  # fmt: skip

    page = client.get("/insight/achieved/").content.decode()

    assert "3% fewer emergency admissions (between 12% fewer and 7% more" in page
    assert "no change at all cannot be ruled out" in page
    assert "cannot rule out that the programme changed nothing" in page


def test_achieved_draws_the_intervals_chart_with_its_text_alternative(client):
    run(published=True)

    page = client.get("/insight/achieved/").content.decode()

    assert 'role="img"' in page
    assert '<title id="chart-estimates-title">' in page
    assert '<desc id="chart-estimates-desc">' in page
    assert 'aria-labelledby="estimates-caption"' in page  # the table beside it
    assert "style=" not in page  # the Content Security Policy forbids inline styles


def test_achieved_ledger_uses_the_national_cost_until_staff_change_it(client):
    run(published=True)
    cost("100000.00", payer="council")
    cost("50000.00", payer="nhs")

    page = client.get("/insight/achieved/").content.decode()

    gross = 400 * ledger.NCC_COST_PER_ADMISSION  # £1,038,172
    assert f"£{gross:,.0f}" in page
    assert f"£{gross - 150000:,.0f}" in page  # net of both payers' costs
    assert "For each £1 spent" in page
    assert "£6.92" in page  # 1,038,172 / 150,000
    assert "National Cost Collection 2023/24" in page
    assert "None of it is counted as cash" in page


def test_achieved_says_when_net_savings_could_be_either_side_of_nothing(client):
    run(published=True)
    cost("900000.00")

    page = client.get("/insight/achieved/").content.decode()

    assert "cannot say whether the programme saved more than it cost" in page


def test_ledger_csv_matches_the_ledger_to_the_penny(client):
    run(published=True)
    LedgerSettings.objects.create(
        cost_per_admission=Decimal("2000.00"),
        cost_source="Our own figure",
        council_share=Decimal("0.250"),
        cashable_share=Decimal("0.100"),
    )
    cost("100000.00", payer="council")

    response = client.get("/insight/achieved/savings-ledger.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["item"] == ["estimate_pounds", "lower_95_pounds", "upper_95_pounds"]
    assert rows["Gross savings"] == ["800000.00", "400000.00", "1200000.00"]
    assert rows["Savings to the NHS, cash"] == ["60000.00", "30000.00", "90000.00"]
    assert rows["Savings to the council, not cash (capacity freed)"] == [
        "180000.00", "90000.00", "270000.00"
    ]  # fmt: skip
    assert rows["Costs paid by the council"] == ["-100000.00"] * 3
    assert rows["Net savings"] == ["700000.00", "300000.00", "1100000.00"]
    assert rows["Net savings to the council"] == ["100000.00", "0.00", "200000.00"]
    assert rows["Gross savings for each £1 spent"] == ["8.00", "4.00", "12.00"]
    parts = [k for k in rows if k.startswith("Savings to the")]
    assert sum(Decimal(rows[k][0]) for k in parts) == Decimal(rows["Gross savings"][0])


# --- The staff's pages --------------------------------------------------------------------------


def test_evaluation_page_shows_every_analysis_and_the_balance(client):
    run()
    client.force_login(ade())

    page = client.get("/insight/evaluation/").content.decode()

    for name in ("Stepped wedge", "Matched comparison", "Interrupted time series",
                 "Takers against non-takers"):  # fmt: skip
        assert name in page
    assert "Risk score" in page
    assert "0.520" in page and "0.080" in page
    assert "Publish run" in page


def test_publishing_a_run_replaces_the_one_published_and_records_who(client):
    old = run(published=True)
    new = run()
    analyst = ade()
    client.force_login(analyst)

    response = client.post("/insight/evaluation/", {"run": new.pk})

    assert response.status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.published, new.published) == (False, True)
    assert new.published_by == analyst
    assert LogEntry.objects.filter(user=analyst, object_id=str(new.pk)).exists()
    follow = client.get("/insight/evaluation/").content.decode()
    assert "Published" in follow


def test_publishing_a_run_that_does_not_exist_is_not_found(client):
    client.force_login(ade())

    assert client.post("/insight/evaluation/", {"run": 999}).status_code == 404


def test_staff_add_change_and_remove_a_cost_each_recorded(client):
    dana = personas.dana()
    client.force_login(dana)
    year = str(timezone.localdate().year - 1)

    response = client.post("/insight/costs/new/", {
        "financial_year": year, "category": "grants", "payer": "council",
        "amount": "£12,500.50", "description": "Grants to walking groups",
    })  # fmt: skip

    assert response.status_code == 302
    added = ProgrammeCost.objects.get()
    assert added.amount == Decimal("12500.50")
    assert added.period_start.isoformat() == f"{year}-04-01"
    assert added.entered_by == dana

    client.post(f"/insight/costs/{added.pk}/", {
        "financial_year": year, "category": "grants", "payer": "nhs",
        "amount": "13000", "description": "Grants to walking groups",
    })  # fmt: skip
    added.refresh_from_db()
    assert (added.payer, added.amount) == ("nhs", Decimal("13000.00"))

    client.post(f"/insight/costs/{added.pk}/remove/")
    assert not ProgrammeCost.objects.exists()

    page = client.get("/insight/costs/").content.decode()
    assert "dana@example.gov.uk: added" in page
    assert "dana@example.gov.uk: changed" in page and "payer" in page and "amount" in page
    assert "dana@example.gov.uk: removed" in page
    assert LogEntry.objects.filter(user=dana).count() == 3


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("", "Enter the amount, in pounds"),
        ("lots", "Enter the amount as a number, like 42,500.00"),
        ("-5", "greater than or equal to 0"),
        ("1" * 20, "no more than"),
        ("nan", "Enter the amount as a number"),
    ],
)
def test_a_cost_that_is_not_money_is_refused_beside_its_field(client, amount, error):
    client.force_login(ade())

    response = client.post("/insight/costs/new/", {
        "financial_year": str(timezone.localdate().year), "category": "other",
        "payer": "nhs", "amount": amount, "description": "Leaflets",
    })  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert error in page
    assert 'id="id_amount-error"' in page
    assert not ProgrammeCost.objects.exists()


def test_changing_the_settings_saves_one_row_and_records_who(client):
    analyst = ade()
    client.force_login(analyst)
    form = {
        "cost_per_admission": "3,100.00",
        "cost_source": "Our trust's own costing, 2024/25",
        "council_share": "10",
        "cashable_share": "12.5%",
    }

    response = client.post("/insight/costs/settings/", form)
    client.post("/insight/costs/settings/", form | {"council_share": "20"})

    assert response.status_code == 302
    saved = LedgerSettings.objects.get()
    assert saved.cost_per_admission == Decimal("3100.00")
    assert (saved.council_share, saved.cashable_share) == (Decimal("0.200"), Decimal("0.125"))
    assert saved.changed_by == analyst
    assert LogEntry.objects.filter(user=analyst).count() == 2
    # The form shows the shares back as percentages.
    page = client.get("/insight/costs/settings/").content.decode()
    assert 'value="20"' in page and 'value="12.5"' in page


def test_a_share_over_100_percent_is_refused(client):
    client.force_login(ade())

    response = client.post("/insight/costs/settings/", {
        "cost_per_admission": "3000", "cost_source": "x", "council_share": "120",
        "cashable_share": "0",
    })  # fmt: skip

    assert "less than or equal to 100" in response.content.decode()
    assert not LedgerSettings.objects.exists()


# Control characters, NUL, non-Latin scripts; numbers too big, too small, not numbers at all.
typed = st.one_of(
    st.text(
        alphabet=st.sampled_from(list(string.printable) + ["\x00", "é", "漢", "🙂", "\u202e"]),
        max_size=12,
    ),
    st.sampled_from(["nan", "inf", "-1", "1e309", "9" * 40, "£1,000.005", "100.01%", "0.0001"]),
    st.sampled_from([299, 300, 301, 2000, 2001]).map(lambda n: "x" * n),
)


@pytest.fixture
def administrator_and_a_published_run(client):
    client.force_login(personas.dana())
    run(published=True)


@pytest.mark.slow
@hypothesis_settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(values=st.lists(typed, min_size=7, max_size=7))
def test_whatever_is_typed_into_the_ledger_forms_gets_a_message_or_is_saved(
    client, administrator_and_a_published_run, values
):
    amount, description, year, cost_, source, council, cashable = values

    responses = [
        client.post("/insight/costs/new/", {
            "financial_year": year, "category": "grants", "payer": "nhs", "amount": amount,
            "description": description,
        }),
        client.post("/insight/costs/settings/", {
            "cost_per_admission": cost_, "cost_source": source, "council_share": council,
            "cashable_share": cashable,
        }),
    ]  # fmt: skip

    # 200: the form again, with its messages; 302: saved; 400: a NUL character. Never a 500.
    assert all(r.status_code in (200, 302, 400) for r in responses)
    # What was saved reads back, and the public page's ledger still adds up.
    list(ProgrammeCost.objects.values())
    assert client.get("/insight/achieved/").status_code == 200
