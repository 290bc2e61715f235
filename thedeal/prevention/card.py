"""The model card: what the model is for, how it was made and checked, and where it falls short.

Written beside the model as model_card.html and its Markdown twin model_card.md, with charts
drawn offline to SVG (Altair, rendered by vl-convert: no browser, no network) in charts/, and a
table under every chart as its text alternative. The governance documents (the data protection
impact assessment outline and the clinical safety hazard log) are copied beside it.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import vl_convert
from sklearn.metrics import roc_curve

from thedeal.prevention import evaluation

DOCS = Path(__file__).parent / "docs"
GROUP_NAMES = {
    "sex": "Sex",
    "age_band": "Age band",
    "ethnic_group": "Ethnic group",
    "deprivation_quintile": "Deprivation quintile",
}


def _svg(chart: alt.Chart) -> str:
    return vl_convert.vegalite_to_svg(chart.to_json())


def _roc_points(y: np.ndarray, score: np.ndarray, label: str, points: int = 150) -> pd.DataFrame:
    fpr, tpr, _ = roc_curve(y, score)
    keep = np.unique(np.linspace(0, len(fpr) - 1, points).astype(int))
    return pd.DataFrame(
        {"false_positive_rate": fpr[keep], "true_positive_rate": tpr[keep], "score": label}
    )


def roc_chart(frame: pd.DataFrame, baselines: dict[str, np.ndarray]) -> tuple[str, pd.DataFrame]:
    y = frame.outcome.to_numpy()
    curves = [_roc_points(y, frame.risk.to_numpy(), "The model")]
    for label, score in baselines.items():
        curves.append(_roc_points(y, score, label))
    if "true_risk" in frame:
        curves.append(_roc_points(y, frame.true_risk.to_numpy(), "True risk (best achievable)"))
    data = pd.concat(curves)
    chart = (
        alt.Chart(data, title="ROC curves on the test year")
        .mark_line()
        .encode(
            x=alt.X("false_positive_rate", title="False positive rate"),
            y=alt.Y("true_positive_rate", title="True positive rate (sensitivity)"),
            color=alt.Color("score", title=None, legend=alt.Legend(orient="bottom", columns=2)),
            strokeDash=alt.StrokeDash("score", legend=None),
        )
        .properties(width=380, height=340)
    )
    # The text alternative: sensitivity at a few false positive rates, for each score.
    rows = []
    for label, part in data.groupby("score", sort=False):
        row = {"Score": label}
        for rate in (0.05, 0.1, 0.2, 0.3):
            row[f"Sensitivity at {rate:.0%} false positives"] = (
                f"{np.interp(rate, part.false_positive_rate, part.true_positive_rate):.2f}"
            )
        rows.append(row)
    return _svg(chart), pd.DataFrame(rows)


def calibration_chart(frame: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    table = evaluation.calibration_bins(frame.outcome.to_numpy(), frame.risk.to_numpy())
    line = pd.DataFrame(
        {"predicted": [0, table.predicted.max()], "observed": [0, table.predicted.max()]}
    )
    points = (
        alt.Chart(table, title="Calibration: observed against predicted, 20 equal groups")
        .mark_circle(size=60)
        .encode(
            x=alt.X("predicted", title="Mean predicted risk", axis=alt.Axis(format="%")),
            y=alt.Y("observed", title="Observed share admitted", axis=alt.Axis(format="%")),
        )
    )
    diagonal = (
        alt.Chart(line)
        .mark_line(strokeDash=[4, 4], color="grey")
        .encode(x="predicted", y="observed")
    )
    chart = (diagonal + points).properties(width=380, height=340)
    text = pd.DataFrame({
        "Group": range(1, len(table) + 1),
        "Residents": table.n.map("{:,}".format),
        "Mean predicted": table.predicted.map("{:.1%}".format),
        "Observed": table.observed.map("{:.1%}".format),
    })  # fmt: skip
    return _svg(chart), text


def groups_chart(fairness: dict) -> tuple[str, pd.DataFrame]:
    rows = []
    for attribute, groups in fairness.items():
        for group, entry in groups.items():
            rows.append({
                "attribute": GROUP_NAMES[attribute], "group": group, "n": entry["n"],
                "auroc": entry["auroc"], "oracle_auroc": entry["oracle_auroc"],
                "ratio": entry["calibration_ratio"], "lower": entry["calibration_ratio_lower"],
                "upper": entry["calibration_ratio_upper"], "selection_rate": entry["selection_rate"],
            })  # fmt: skip
    data = pd.DataFrame(rows)
    quintiles = {"1": "1 (most deprived)", "5": "5 (least deprived)"}
    data["label"] = (
        data.attribute
        + ": "
        + [
            quintiles.get(g, g) if a == GROUP_NAMES["deprivation_quintile"] else g
            for a, g in zip(data.attribute, data.group, strict=True)
        ]
    )
    base = alt.Chart(data).encode(
        y=alt.Y("label", title=None, sort=None, axis=alt.Axis(labelLimit=300))
    )
    auroc = (
        base.mark_point(filled=True, size=60).encode(
            x=alt.X(
                "auroc", title="AUROC (dot) and best achievable (tick)", scale=alt.Scale(zero=False)
            )
        )
        + base.mark_tick(color="grey").encode(x="oracle_auroc")
    ).properties(width=260, title="Discrimination by group")
    ratio = (
        base.mark_rule().encode(
            x=alt.X(
                "lower",
                title="Observed / predicted, with 95% interval",
                scale=alt.Scale(zero=False),
            ),
            x2="upper",
        )
        + base.mark_point(filled=True, size=60).encode(x="ratio")
        + alt.Chart(pd.DataFrame({"one": [1.0]}))
        .mark_rule(strokeDash=[4, 4], color="grey")
        .encode(x="one")
    ).properties(width=260, title="Calibration by group")
    chart = alt.hconcat(auroc, ratio)
    text = pd.DataFrame({
        "Group": data.label,
        "Residents": data.n.map("{:,}".format),
        "AUROC": data.auroc.map("{:.3f}".format),
        "Best achievable AUROC": data.oracle_auroc.map(lambda v: "—" if v is None else f"{v:.3f}"),
        "Observed / predicted (95% interval)": [f"{r:.3f} ({lo:.3f} to {hi:.3f})" for r, lo, hi in zip(data.ratio, data.lower, data.upper, strict=True)],
        "Selected for outreach": data.selection_rate.map("{:.1%}".format),
    })  # fmt: skip
    return _svg(chart), text


def _metrics_table(validation: dict, test: dict) -> pd.DataFrame:
    first = _metric_rows(validation)
    second = _metric_rows(test)
    return pd.DataFrame(
        [(name, a, b) for (name, a), (_, b) in zip(first, second, strict=True)],
        columns=[
            "Measure",
            f"Validation year ({validation['index_date']})",
            f"Test year ({test['index_date']})",
        ],
    )


def _metric_rows(metrics: dict) -> list[tuple[str, str]]:
    def f(value, fmt="{:.3f}"):
        return "—" if value is None else fmt.format(value)

    rows = [
        ("Residents", f"{metrics['n']:,}"),
        ("Admitted in the year", f"{metrics['outcomes']:,} ({metrics['outcome_rate']:.1%})"),
        ("AUROC", f(metrics["auroc"])),
        ("Best achievable AUROC (true risk)", f(metrics["oracle_auroc"])),
        ("AUROC, age and sex only", f(metrics["baseline_auroc"])),
        ("AUROC, prior admissions only", f(metrics["prior_admissions_auroc"])),
        ("Area under the precision-recall curve", f(metrics["auprc"])),
        ("Brier score", f(metrics["brier"], "{:.4f}")),
        ("Calibration slope", f(metrics["calibration_slope"])),
        ("Calibration intercept", f(metrics["calibration_intercept"])),
        ("Expected calibration error", f(metrics["ece"], "{:.4f}")),
        ("Share of the highest-risk tenth admitted (PPV)", f(metrics["top_decile_ppv"], "{:.1%}")),
        (
            "Share of admissions in the highest-risk tenth (sensitivity)",
            f(metrics["top_decile_sensitivity"], "{:.1%}"),
        ),
    ]
    return rows


def _targets_table(metrics: dict) -> pd.DataFrame:
    rows = []
    for name, check in metrics["targets"].items():
        value = check.get("value")
        detail = (
            f"{value:.3f}"
            if isinstance(value, float)
            else "; ".join(check.get("failures", [])) or "all groups"
        )
        rows.append(
            (name.replace("_", " "), check["target"], detail, "met" if check["met"] else "NOT MET")
        )
    return pd.DataFrame(rows, columns=["Target", "Aim", "Result", "Met"])


def _md_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join(str(v).replace("|", "/") for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def _html_table(frame: pd.DataFrame, caption: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def sections(meta: dict, validation: dict, test: dict | None) -> list[tuple[str, str]]:
    """The card's prose, as (heading, Markdown-ish paragraphs); shared by both formats."""
    trained = ", ".join(meta["training_index_dates"])
    test_text = (
        f"It was then tested on the following year ({test['index_date']}), which it never saw: "
        f"AUROC {test['auroc']:.3f} against a best achievable {test['oracle_auroc']:.3f}."
        if test and test.get("oracle_auroc")
        else ""
    )
    return [
        (
            "Purpose",
            (
                "Estimates each resident's chance of an emergency hospital admission in the next 12 months, "
                "so that link workers, care coordinators and GP practices can offer support early: a "
                "conversation, a local group, a falls prevention class, help to stop smoking. It ranks "
                "residents for an offer of help; it decides nothing about anyone's care or entitlements."
            ),
        ),
        (
            "Who may use it, for what",
            (
                "Practitioners in the council, the NHS and their partners who have a direct care "
                "relationship with the resident, or who act for those who do, through a worklist of "
                "pseudonymous ids that the data controller's re-identification process links to people "
                "(see dpia.md). Not for: rationing or refusing services, insurance or employment "
                "decisions, judging individuals' behaviour, or any use outside the borough's Deal. A "
                "model trained on the synthetic borough must not be used on real residents."
            ),
        ),
        (
            "Data",
            (
                "Linked records of every registered resident except those who registered a national "
                "data opt-out (excluded before any processing): demographics and household, long-term "
                "conditions and the electronic Frailty Index's deficits, smoking, weight, activity and "
                "loneliness records, and GP contacts, A&E attendances, emergency admissions, adult "
                "social care contacts and prescriptions. "
                + (
                    f"This model was made from a synthetic borough (data fingerprint {meta['data_fingerprint']}); "
                    "nobody in it exists, and it refuses to score data that is not synthetic."
                    if meta.get("trained_on") == "synthetic"
                    else f"Data fingerprint {meta['data_fingerprint']}."
                )
            ),
        ),
        (
            "Method",
            (
                f"Gradient-boosted trees (LightGBM, {meta['trees']} trees) on {len(meta['features'])} "
                "features built by one definition that runs on DuckDB or Spark. Ethnic group is not an "
                "input; fairness across it is checked instead. Trained on index dates "
                f"{trained} ({meta['training_rows']:,} resident-years), with early stopping and Platt "
                f"calibration on {meta['validation_index_date']} ({meta['validation_rows']:,} residents). "
                "Two baselines are trained the same way: age and sex only, and prior admissions only. "
                "Each score's reasons are its SHAP contributions, summed into factors a person would "
                "recognise and written from the resident's record."
            ),
        ),
        (
            "Validation",
            (
                f"The model was early-stopped and calibrated on the validation year "
                f"({meta['validation_index_date']}), later than any year it was trained on. "
                + test_text
                + " The metrics table gives both years; the targets and the charts are the test "
                "year's, because the validation year's calibration is good by construction."
            ),
        ),
        (
            "Limits",
            (
                "It knows only what is recorded: residents who rarely see services, or whose records "
                "are incomplete, will be scored too low. It predicts admissions, not need: someone at "
                "low risk may still want support. Groups smaller than 2,000 residents have wide "
                "intervals and are not held to the targets. Performance on real data will be lower than "
                "on the synthetic borough, whose generating model the features match; published UK "
                "models reach AUROC 0.74 to 0.78. Drift is checked at every scoring run; a run with "
                "population stability above 0.2 on the scores or a key feature is flagged and should be "
                "reviewed before its worklists are used."
            ),
        ),
        (
            "Governance",
            (
                "dpia.md (data protection impact assessment outline) and hazard-log.md (clinical safety "
                "hazard log in the style of DCB0129) are beside this card. The deploying organisation's "
                "clinical safety officer completes DCB0160."
            ),
        ),
    ]


CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}
table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .6rem;text-align:left}
caption{text-align:left;font-weight:bold}figure{margin:1.5rem 0}figcaption{font-weight:bold}
details{margin:.5rem 0 1.5rem}.unmet{color:#d4351c;font-weight:bold}"""


def write(folder: Path, meta: dict, test_frame: pd.DataFrame, baselines: dict[str, np.ndarray],
          validation: dict, test: dict) -> None:  # fmt: skip
    """Write model_card.html, model_card.md, charts/*.svg, dpia.md and hazard-log.md.

    The charts and the targets are the test year's: the year after validation, which neither
    training nor calibration saw (the validation year's calibration is good by construction).
    """
    charts = folder / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    figures = []
    for name, title, (svg, text) in (
        ("roc", "ROC curves: the model, its baselines and the best achievable", roc_chart(test_frame, baselines)),
        ("calibration", "Calibration: observed against predicted risk", calibration_chart(test_frame)),
        ("groups", "Discrimination and calibration in each group", groups_chart(test["fairness"])),
    ):  # fmt: skip
        (charts / f"{name}.svg").write_text(svg)
        figures.append((name, title, text))
    for document in ("dpia.md", "hazard-log.md"):
        shutil.copyfile(DOCS / document, folder / document)

    title = f"Model card: emergency admission risk ({meta['version']})"
    prose = sections(meta, validation, test)
    metrics = _metrics_table(validation, test)
    targets = _targets_table(test)

    md = [f"# {title}", "", f"Created {meta['created']}. Outreach band: the highest-risk tenth (risk of "
          f"{meta['outreach_threshold']:.1%} or more).", ""]  # fmt: skip
    for heading, text in prose:
        md += [f"## {heading}", "", text, ""]
    md += ["## Metrics", "", _md_table(metrics), "", f"### Targets, on the test year ({test['index_date']})", "",
           _md_table(targets), ""]  # fmt: skip
    for name, caption, text in figures:
        md += [f"### {caption}", "", f"![{caption}. The table below gives the same figures.](charts/{name}.svg)", "",
               _md_table(text), ""]  # fmt: skip
    (folder / "model_card.md").write_text("\n".join(md))

    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>Created {html.escape(meta['created'])}. Outreach band: the highest-risk tenth "
            f"(risk of {meta['outreach_threshold']:.1%} or more).</p>"]  # fmt: skip
    for heading, text in prose:
        body += [f"<h2>{html.escape(heading)}</h2>", f"<p>{html.escape(text)}</p>"]
    body += ["<h2>Metrics</h2>", _html_table(metrics, "The validation year and the test year")]
    body += [_html_table(targets, f"Targets, on the test year ({test['index_date']})")]
    for name, caption, text in figures:
        svg = (charts / f"{name}.svg").read_text()
        body += [
            f'<figure role="group" aria-labelledby="{name}-caption"><figcaption id="{name}-caption">{html.escape(caption)}</figcaption>',
            f'<div role="img" aria-label="{html.escape(caption)}. The table that follows gives the same figures.">{svg}</div>',
            f"<details open><summary>The figures in this chart</summary>{_html_table(text, caption)}</details></figure>",
        ]
    page = (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n")  # fmt: skip
    (folder / "model_card.html").write_text(page)
