"""Insight's public pages as a reader sees them: the borough's indicators, a ward's profile and
an indicator across the wards, with their charts, their tables and the tables' CSVs; small
numbers never shown, anywhere."""

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import insight as factories
from thedeal.insight.models import Area, AreaKind, Indicator, IndicatorValue, Sex

pytestmark = pytest.mark.django_db

PERIODS = ("2023/24", "2024/25", "2025/26")
LATEST = PERIODS[-1]


@pytest.fixture
def borough():
    """Every computed indicator for the borough and its wards in three years; emergency
    admissions for the LSOAs too."""
    factories.load_borough(seed=3, periods=PERIODS, levels=(AreaKind.BOROUGH, AreaKind.WARD))
    factories.load_borough(
        seed=4, periods=PERIODS, levels=(AreaKind.LSOA,), slugs=("emergency-admissions",)
    )


def ward_code(name: str = "Abram") -> str:
    return Area.objects.get(kind=AreaKind.WARD, name=name).code


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def value(slug, area_code, *, period=LATEST, sex=Sex.PERSONS) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator__slug=slug, area__code=area_code, period_label=period, sex=sex
    )


def test_the_list_shows_each_indicator_with_the_boroughs_latest_value(client, borough):
    page = text(client.get("/insight/"))
    admissions = value("emergency-admissions", factories.BOROUGH_CODE)
    assert "Emergency hospital admissions, all ages" in page
    assert f"{admissions.value:,.1f}" in page
    assert f"{admissions.lower95:,.1f} to {admissions.upper95:,.1f}" in page
    assert "Healthy life expectancy at birth" in page
    for group in ("Hospital admissions and deaths", "How people live"):
        assert group in page
    assert "Abram" in page and "Worsley Mesnes" in page  # the wards, each a link


def test_the_lists_csv_has_the_same_figures(client, borough):
    found = rows(client.get("/insight/indicators.csv"))
    admissions = value("emergency-admissions", factories.BOROUGH_CODE)
    row = next(r for r in found if r[0] == "Emergency hospital admissions, all ages")
    assert row[1:5] == ["Wigan", LATEST, "Persons", f"{admissions.value:.1f}"]


def test_a_wards_profile_sets_each_figure_against_the_borough(client, borough):
    code = ward_code()
    response = client.get(f"/insight/wards/{code}/")
    page = text(response)
    assert response.status_code == 200
    smoking = value("smoking", code)
    assert f"{smoking.value:,.1f}" in page
    assert f"{smoking.lower95:,.1f} to {smoking.upper95:,.1f}" in page
    borough_smoking = value("smoking", factories.BOROUGH_CODE)
    expected = (
        "Similar"
        if smoking.lower95 <= borough_smoking.value <= smoking.upper95
        else "Worse"
        if smoking.lower95 > borough_smoking.value
        else "Better"
    )
    table = page.split("Abram's figures", 1)[1]
    row = table.split("Smoking prevalence, adults", 1)[1].split("Obesity", 1)[0]
    assert expected in row
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="spine-title">' in html
    assert html.count("<svg") == 1 + 11  # the spine, and a trend for each indicator


def test_a_wards_profile_shows_men_or_women_when_asked(client, borough):
    code = ward_code()
    women = value("life-expectancy-birth", code, sex=Sex.FEMALE)
    men = value("life-expectancy-birth", code, sex=Sex.MALE)
    page = text(client.get(f"/insight/wards/{code}/?sex=Female"))
    assert f"{women.value:,.1f}" in page
    assert f"{men.value:,.1f}" not in page.split("Over time")[0]
    assert (
        'value="Female" selected'
        in client.get(f"/insight/wards/{code}/?sex=Female").content.decode()
    )


def test_a_wards_csv_has_its_tables_figures(client, borough):
    code = ward_code()
    found = rows(client.get(f"/insight/wards/{code}/profile.csv?sex=Persons"))
    assert found[0][:5] == ["Indicator", "Area", "Period", "Sex", "Value"]
    smoking = next(r for r in found if r[0] == "Smoking prevalence, adults")
    assert smoking[4] == f"{value('smoking', code).value:.1f}"
    trends = rows(client.get(f"/insight/wards/{code}/trends.csv?indicator=smoking"))
    assert [r[2] for r in trends[1:]] == list(PERIODS)


def suppress(slug: str, code: str) -> IndicatorValue:
    found = value(slug, code)
    found.value = found.lower95 = found.upper95 = found.count = None
    found.suppressed = True
    found.value_note = "Suppressed: fewer than 8 people"
    found.save()
    return found


def test_a_suppressed_ward_says_so_in_its_profile_and_its_csv(client, borough):
    code = ward_code()
    suppress("loneliness", code)
    page = text(client.get(f"/insight/wards/{code}/")).split("Abram's figures", 1)[1]
    row = page.split("Loneliness, adults", 1)[1].split("Moderate or severe frailty", 1)[0]
    assert "suppressed" in row and "Not compared" in row
    found = rows(client.get(f"/insight/wards/{code}/profile.csv"))
    loneliness = next(r for r in found if r[0] == "Loneliness, adults")
    assert loneliness[4:10] == ["suppressed", "%", "suppressed", "suppressed", "suppressed", ""]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(min_value=1, max_value=7),
    # Far from any other figure on these pages, so that finding it can only mean a leak.
    shown=st.floats(min_value=2_000, max_value=2_999),
)
def test_a_small_count_never_shows_its_value_anywhere(client, borough, count, shown):
    # A value stored unsuppressed but from 1 to 7 people: nothing of it may be published.
    code = ward_code("Ince")
    row = value("obesity", code)
    row.value, row.lower95, row.upper95 = round(shown, 3), round(shown - 1, 3), round(shown + 1, 3)
    row.count, row.suppressed = count, False
    row.save()
    pages = {
        "profile": client.get(f"/insight/wards/{code}/"),
        "profile.csv": client.get(f"/insight/wards/{code}/profile.csv"),
        "trends.csv": client.get(f"/insight/wards/{code}/trends.csv"),
        "indicator": client.get("/insight/indicators/obesity/"),
        "values.csv": client.get("/insight/indicators/obesity/values.csv"),
    }
    for name, response in pages.items():
        assert response.status_code == 200
        body = response.content.decode() if name.endswith(".csv") else text(response)
        for figure in (row.value, row.lower95, row.upper95):
            for written in (f"{figure:,.1f}", f"{figure:.1f}"):
                assert written not in body, (name, written)
    map_title = re.search(r"<title>Ince: ([^<]*)</title>", pages["indicator"].content.decode())
    assert map_title.group(1) == "suppressed"
    ince = next(r for r in rows(pages["values.csv"]) if r[1] == "Ince")
    assert ince[5] == ince[7] == ince[8] == ince[9] == "suppressed"


def test_an_indicators_page_has_its_definition_funnel_map_and_table(client, borough):
    response = client.get("/insight/indicators/smoking/")
    html = response.content.decode()
    page = text(response)
    assert "Adults (18+) whose latest recorded smoking status is a current smoker." in page
    assert "Wilson" in page and "Lower is better" in page
    assert "Synthetic data" in page  # the batch came from the synthetic borough
    assert "funnel plot" in page and '<title id="funnel-title">' in html
    assert "Ward shapes are approximate" in page
    assert "66 of 200 LSOAs cross a ward boundary" in page
    assert "Contains OS data © Crown copyright" in page
    assert html.count("insight-map__area") == 25  # every ward on the map, each a link
    abram = value("smoking", ward_code())
    assert f"{abram.value:,.1f}" in page


def test_the_map_legend_names_every_class_on_it(client, borough):
    html = client.get("/insight/indicators/emergency-admissions/").content.decode()
    svg = html[html.index('<svg class="deal-chart insight-map"') :]
    svg = svg[: svg.index("</svg>")]
    used = set(re.findall(r'<path d="[^"]*" fill="(#[0-9a-f]{6})"', svg))
    keyed = set(re.findall(r'class="insight-map__key" [^>]*fill="(#[0-9a-f]{6})"', svg))
    assert used and used <= keyed
    assert len(keyed) == 5 and "Lowest fifth" in svg and "Highest fifth" in svg


def test_an_indicator_by_lsoa_maps_the_lsoas(client, borough):
    page = client.get("/insight/indicators/emergency-admissions/?level=lsoa").content.decode()
    assert page.count("insight-map__area") == 200
    assert "LSOA" in text(client.get("/insight/indicators/emergency-admissions/?level=lsoa"))


def test_a_period_and_sex_can_be_chosen(client, borough):
    code = ward_code()
    earlier = value("obesity", code, period="2023/24", sex=Sex.MALE)
    page = text(client.get("/insight/indicators/obesity/?period=2023/24&sex=Male"))
    assert f"{earlier.value:,.1f}" in page
    found = rows(client.get("/insight/indicators/obesity/values.csv?period=2023/24&sex=Male"))
    abram = next(r for r in found if r[1] == "Abram")
    assert abram[3:6] == ["2023/24", "Male", f"{earlier.value:.1f}"]


def test_life_expectancy_has_no_funnel_and_says_why(client, borough):
    page = text(client.get("/insight/indicators/life-expectancy-birth/"))
    assert "Life expectancy has no count to draw a funnel plot from." in page


@pytest.mark.parametrize(
    "url",
    ["/insight/wards/E05999999/", "/insight/wards/E01006212/", "/insight/indicators/nothing/",
     "/insight/indicators/nothing/values.csv", "/insight/wards/E05999999/profile.csv"],
)  # fmt: skip
def test_an_unknown_ward_or_indicator_is_not_found(client, borough, url):
    assert client.get(url).status_code == 404


def test_a_wards_profile_takes_a_few_queries(client, borough, django_assert_max_num_queries):
    code = ward_code()
    client.get(f"/insight/wards/{code}/")  # the session and the like, once
    with django_assert_max_num_queries(6):
        assert client.get(f"/insight/wards/{code}/").status_code == 200


def test_an_imported_indicator_with_no_judgement_is_higher_or_lower(client, borough):
    # As `thedeal insight import` leaves a Fingertips indicator: no polarity until staff set one.
    imported = factories.IndicatorFactory(
        slug="older-people",
        name="Population aged 65 and over",
        value_type="Proportion",
        polarity="no_judgement",
        computed=False,
        fingertips_id=93_000,
    )
    batch = factories.BatchFactory(
        kind="import", file_name="indicators-ward.data.csv", generator_version=""
    )
    wards = Area.objects.filter(kind=AreaKind.WARD).order_by("code")
    for n, area in enumerate([Area.objects.get(code=factories.BOROUGH_CODE), *wards]):
        share = 20.0 if n == 0 else 10.0 + n
        factories.IndicatorValueFactory(
            indicator=imported, area=area, batch=batch, value=share, lower95=share - 0.8,
            upper95=share + 0.8, count=share * 100, denominator=10_000,
        )  # fmt: skip
    listing = text(client.get("/insight/"))
    assert "Imported from Fingertips" in listing and "Population aged 65 and over" in listing
    page = text(client.get("/insight/indicators/older-people/"))
    assert "Neither higher nor lower is better" in page
    assert "Imported from indicators-ward.data.csv" in page and "Synthetic data" not in page
    assert "Higher" in page and "Lower" in page and "Better" not in page.split(", by ward")[-1]
    profile = text(client.get(f"/insight/wards/{wards[0].code}/")).split("figures", 2)[-1]
    assert "Population aged 65 and over" in profile


def test_a_csv_never_hands_a_spreadsheet_a_formula(client, borough):
    Indicator.objects.filter(slug="smoking").update(name='=HYPERLINK("http://example.org","x")')
    found = rows(client.get("/insight/indicators/smoking/values.csv"))
    assert {r[0] for r in found[1:]} == {'\'=HYPERLINK("http://example.org","x")'}


def test_before_anything_is_loaded_the_list_says_so(client):
    response = client.get("/insight/")
    assert response.status_code == 200
    assert "No indicators have been loaded yet." in text(response)
