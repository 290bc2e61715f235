"""Scoring a population and making worklists: the writes that span the prevention models.

A scoring run reads the data folder's latest index date, scores every resident who has not
opted out, checks the model's drift against its validation year, and keeps the highest-risk
residents' scores with their reasons. A worklist takes the highest-risk residents of a ward (or
the borough) from a run and suggests two or three local services for each, matched to their
reasons and near their home.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from thedeal import storable
from thedeal.directory import publication
from thedeal.directory.models import Attribute, Location, Service, ServiceAtLocation
from thedeal.prevention import evaluation, explain, features, synthpop
from thedeal.prevention import model as risk_model
from thedeal.prevention.models import RiskScore, ScoringRun, Worklist, WorklistEntry

KEEP = 10_000  # scores kept (with reasons) per run: the highest-risk residents
NEAR_M = 8_000  # suggestions further than this from home are not offered
# Reasons kept per score: the first REASONS_SHOWN are shown; the rest widen the suggestions, so
# that three reasons all met by a link worker do not give three link workers.
REASONS_KEPT, REASONS_SHOWN = 8, 3
# One link worker is enough: a second is never suggested in place of another kind of support.
ONE_IS_ENOUGH = frozenset({"social-prescribing"})

# What each kind of support means in the directory: category codes, or words in a service's name
# (for kinds of support that have no category of their own, or whose category is too broad: the
# health checks category holds stop smoking services too, which suit only smokers).
SUPPORT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "stop-smoking": (("stop-smoking",), ()),
    "befriending": ((), ("befriend",)),
    "social-groups": (("social-groups",), ()),
    "walking-and-running-groups": (("walking-and-running-groups",), ()),
    "sport-and-exercise-classes": (("sport-and-exercise-classes",), ()),
    "falls-prevention": ((), ("falls prevention", "strength and balance")),
    "older-people": (("older-people",), ()),
    "social-prescribing": ((), ("social prescrib", "link worker")),
    "healthy-weight": ((), ("healthy weight", "weight management")),
}


class ScoringError(ValueError):
    pass


def train(
    data: Path, tables: dict[dt.date, object], *, progress=lambda message: None
) -> risk_model.RiskModel:
    """Train the risk model on a borough's records, given its feature tables by index date: all
    but the last two index dates to learn from, the second last to stop and calibrate on; the
    last is the test year, never seen in training or calibration (`thedeal risk train` scores
    the model on it). `tables` needs the training and validation dates; the test date's may be
    left out."""
    outcomes = pq.read_table(data / "outcomes.parquet")
    dates = sorted({d.as_py() for d in outcomes.column("index_date").unique()})
    *training_dates, validation_date, _test_date = dates
    model, _ = risk_model.train(
        [(tables[d], outcomes) for d in training_dates],
        (tables[validation_date], outcomes),
        data_fingerprint=synthpop.fingerprint(data),
        synthetic=synthpop.is_synthetic(data),
        progress=progress,
    )
    return model


def band(risk: float, meta: dict) -> RiskScore.Band:
    if risk >= meta["outreach_threshold"]:
        return RiskScore.Band.HIGH
    if risk >= meta["rising_threshold"]:
        return RiskScore.Band.RISING
    return RiskScore.Band.LOWER


def score_population(
    model_dir: Path, data_dir: Path, *, keep: int = KEEP, also_ward: str | None = None,
    also_top: int = 0, progress=lambda message: None,
) -> ScoringRun:  # fmt: skip
    """Score the latest index date of `data_dir`, record the run, keep the top `keep` scores
    (and the top `also_top` of `also_ward`, so that a ward's worklist is never short)."""
    started = timezone.now()
    model = risk_model.load(model_dir)
    refuse_synthetic_model_on_real_data(model, Path(data_dir))
    table = features.compute(data_dir)
    frame = table.to_pandas()
    if also_ward and also_ward not in set(frame.ward):
        wards = ", ".join(sorted(set(frame.ward.dropna())))
        raise ScoringError(f"--ward {also_ward!r}: no such ward in {data_dir}. Wards: {wards}.")
    progress(f"features for {len(frame):,} residents")
    risk = model.predict(frame)
    order = np.argsort(-risk, kind="stable")
    rank = np.empty(len(risk), dtype=np.int64)
    rank[order] = np.arange(1, len(risk) + 1)
    chosen = set(order[:keep].tolist())
    if also_ward:
        in_ward = order[frame.ward.to_numpy()[order] == also_ward]
        chosen |= set(in_ward[:also_top].tolist())
    chosen_rows = np.array(sorted(chosen, key=lambda i: rank[i]), dtype=np.int64)
    selected = frame.iloc[chosen_rows]
    found = explain.explain(model, selected, top=REASONS_KEPT)
    progress(f"reasons for the {len(chosen_rows):,} highest-risk residents")
    drift = risk_model.drift(model, frame, risk)
    make_up = outreach_make_up(frame, risk >= model.threshold)
    opted_out = pq.read_table(Path(data_dir) / "residents.parquet", columns=["opted_out"]).column(0)
    scores = [
        RiskScore(
            resident_id=int(row["resident_id"]),
            rank=int(rank[i]),
            risk=float(risk[i]),
            band=band(float(risk[i]), model.meta),
            reasons=[
                {"text": r.text, "factor": r.factor, "support": list(r.support)} for r in reasons
            ],
            efi_category=row["efi_category"] or "",
            lsoa_code=row["lsoa_code"],
            ward=row["ward"] or "",
            age=_whole(row["age"]),
            easting=_whole(row["easting"]),
            northing=_whole(row["northing"]),
        )
        for i, row, reasons in zip(chosen_rows, selected.to_dict("records"), found, strict=True)
    ]
    run = ScoringRun(
        model_version=model.version,
        model_path=str(Path(model_dir).resolve()),
        data_path=str(Path(data_dir).resolve()),
        data_fingerprint=synthpop.fingerprint(Path(data_dir)),
        index_date=features.LATEST_INDEX_DATE,
        started_at=started,
        finished_at=timezone.now(),
        residents_scored=len(frame),
        residents_opted_out=int(np.sum(opted_out.to_numpy(zero_copy_only=False))),
        mean_risk=float(risk.mean()),
        outreach_threshold=model.threshold,
        drift=drift,
        drift_alert=drift["alert"],
        outreach_make_up=make_up,
    )
    refuse_what_cannot_be_kept(run, scores, Path(data_dir))
    # Only the writes hold the database: the scoring above takes seconds to minutes.
    with transaction.atomic():
        run.save()
        for score in scores:
            score.run = run
        RiskScore.objects.bulk_create(scores, batch_size=2000)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run


def _whole(value: object) -> int | None:
    """A whole number, or None where the data has none (a resident's LSOA missing from
    lsoas.parquet leaves its grid reference empty), for refuse_what_cannot_be_kept to report."""
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


# Where each kept value of a score comes from, so that a refusal names what to correct.
SCORE_SOURCES = {
    "resident_id": ("residents.parquet", "resident_id"),
    "lsoa_code": ("residents.parquet", "lsoa_code"),
    "age": ("residents.parquet", "date_of_birth"),
    "ward": ("lsoas.parquet", "ward"),
    "easting": ("lsoas.parquet", "easting"),
    "northing": ("lsoas.parquet", "northing"),
}


def refuse_what_cannot_be_kept(run: ScoringRun, scores: list[RiskScore], data_dir: Path) -> None:
    """Refuse a run with a value its tables cannot store (text too long for its column, a NUL
    character, a number out of range or not finite), naming the data file and column it came
    from, before anything is written: the data folder checks say only what kind of value each
    column holds, and PostgreSQL refuses what SQLite would store."""
    for name, message in storable.problems(run).items():
        raise ScoringError(f"The scoring run's {name}: {message}. Nothing was recorded.")
    found: dict[str, tuple[str, int, int]] = {}  # field -> (problem, first resident, how many)
    for score in scores:
        # The run is linked as it is saved, below.
        for name, message in storable.problems(score, skip={"run"}).items():
            problem, first, count = found.get(name, (message, score.resident_id, 0))
            found[name] = (problem, first, count + 1)
    if found:
        lines = []
        for name, (problem, first, count) in found.items():
            file, column = SCORE_SOURCES.get(name, ("", name))
            where = f"{data_dir / file}, column {column!r}" if file else f"The scores' {name}"
            others = f" and {count - 1:,} more" if count > 1 else ""
            lines.append(f"{where}: {problem} (for resident_id {first}{others})")
        raise ScoringError("\n".join(lines) + "\nNothing was recorded.")


def refuse_synthetic_model_on_real_data(model: risk_model.RiskModel, data_dir: Path) -> None:
    """A model trained on a synthetic borough bears no relation to real residents' risk."""
    if model.meta.get("trained_on") == "synthetic" and not synthpop.is_synthetic(data_dir):
        raise ScoringError(
            f"{data_dir} is not a synthetic borough, and model {model.version} was trained on one: "
            "train a model on this data first (hazard H-015 in the hazard log)."
        )


def outreach_make_up(
    frame: pd.DataFrame, selected: np.ndarray
) -> dict[str, dict[str, dict[str, float]]]:
    """Each group's share of the outreach band beside its share of everyone scored, so that a
    group over- or under-selected is seen at every run (hazard H-003)."""
    groups = {
        "sex": frame.sex.to_numpy(),
        "age_band": evaluation.age_band(frame.age.to_numpy()),
        "ethnic_group": frame.ethnic_group.to_numpy(),
        "deprivation_quintile": frame.deprivation_quintile.astype(str).to_numpy(),
    }
    result = {}
    for attribute, values in groups.items():
        values = np.asarray(values, dtype=str)
        result[attribute] = {
            str(group): {
                "population_share": float(np.mean(values == group)),
                "outreach_share": float(np.mean(values[selected] == group))
                if selected.any()
                else 0.0,
            }
            for group in np.unique(values)
        }
    return result


def delete_expired_runs(now=None) -> int:
    """Delete scoring runs (with their scores and worklists) older than SCORING_KEEP_DAYS."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SCORING_KEEP_DAYS)
    expired = ScoringRun.objects.filter(started_at__lt=cutoff)
    count = expired.count()
    expired.delete()
    return count


# --- suggesting services ---------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    service_id: str
    name: str
    minimum_age: float | None
    maximum_age: float | None
    places: tuple[tuple[int, int], ...]  # (easting, northing) of its public physical places
    supports: frozenset[str]
    stale: bool = False  # overdue for re-verification: offered only after checked listings

    def suits(self, age: int) -> bool:
        return (self.minimum_age is None or self.minimum_age <= age) and (
            self.maximum_age is None or self.maximum_age >= age
        )

    def distance_m(self, easting: int, northing: int) -> float | None:
        if not self.places:
            return None  # by phone, online or at home: no distance
        return min(math.hypot(e - easting, n - northing) for e, n in self.places)


def offers() -> list[Offer]:
    """Active services that fit a kind of support, with their public places (never confidential)."""
    services = {
        s["id"]: s
        for s in Service.objects.filter(status=Service.Status.ACTIVE).values(
            "id", "name", "minimum_age", "maximum_age", "assured_date"
        )
    }
    today = timezone.localdate()
    terms: dict[object, set[str]] = {}
    for link_id, code in Attribute.objects.filter(link_id__in=services.keys()).values_list(
        "link_id", "taxonomy_term__code"
    ):
        terms.setdefault(link_id, set()).add(code)
    places: dict[object, list[tuple[int, int]]] = {}
    located = publication.public_services_at_locations(
        ServiceAtLocation.objects.filter(
            service_id__in=services.keys(),
            location__location_type=Location.LocationType.PHYSICAL,
            location__easting__isnull=False,
        )
    ).values_list("service_id", "location__easting", "location__northing")
    for service_id, easting, northing in located:
        places.setdefault(service_id, []).append((easting, northing))
    found = []
    for service_id, s in services.items():
        name = s["name"].lower()
        kinds = frozenset(
            kind
            for kind, (codes, words) in SUPPORT.items()
            if terms.get(service_id, set()) & set(codes) or any(word in name for word in words)
        )
        if kinds:
            stale = Service(assured_date=s["assured_date"]).is_stale(today)
            found.append(Offer(str(service_id), s["name"], s["minimum_age"], s["maximum_age"],
                               tuple(places.get(service_id, ())), kinds, stale))  # fmt: skip
    return found


def suggest(score: RiskScore, available: list[Offer], *, limit: int = 3) -> list[dict]:
    """Up to `limit` services for this resident. Each kind of support that fits their reasons
    (in the reasons' order) gives its nearest service, checked listings first, suitable for their
    age and within NEAR_M of home (or with no place); then, while there is room, the next nearest
    of those kinds (but never a second link worker). Each suggestion says which reason it answers."""
    because: dict[str, str] = {}
    for reason in score.reasons:
        for kind in reason["support"]:
            because.setdefault(kind, reason["text"])
    ranked: dict[str, list[tuple[tuple[bool, bool, float, str], Offer, float | None]]] = {
        kind: [] for kind in because
    }
    for offer in available:
        if not offer.suits(score.age):
            continue
        distance = offer.distance_m(score.easting, score.northing)
        if distance is not None and distance > NEAR_M:
            continue
        for kind in because:
            if kind in offer.supports:
                key = (offer.stale, distance is None, distance or 0.0, offer.name)
                ranked[kind].append((key, offer, distance))
    for candidates in ranked.values():
        candidates.sort(key=lambda candidate: candidate[0])
    chosen: list[dict] = []
    taken: set[str] = set()
    while len(chosen) < limit:
        before = len(chosen)
        for kind, candidates in ranked.items():
            fresh = [c for c in candidates if c[1].service_id not in taken]
            if not fresh or len(chosen) >= limit:
                continue
            if kind in ONE_IS_ENOUGH and any(c["for"] == kind for c in chosen):
                continue
            _, offer, distance = fresh[0]
            taken.add(offer.service_id)
            chosen.append({
                "service_id": offer.service_id,
                "name": offer.name,
                "for": kind,
                "because": because[kind],
                "distance_km": None if distance is None else round(distance / 1000, 1),
                "may_be_out_of_date": offer.stale,
            })  # fmt: skip
        if len(chosen) == before:
            break
    return chosen


@transaction.atomic
def make_worklist(run: ScoringRun, *, ward: str | None = None, top: int = 50) -> Worklist:
    scores = run.scores.all()
    if ward:
        scores = scores.filter(ward=ward)
    scores = list(scores.order_by("rank")[:top])
    available = offers()
    worklist = Worklist.objects.create(run=run, ward=ward or "", size=len(scores))
    WorklistEntry.objects.bulk_create(
        WorklistEntry(
            worklist=worklist, score=score, position=i, suggestions=suggest(score, available)
        )
        for i, score in enumerate(scores, start=1)
    )
    return worklist


WORKLIST_COLUMNS = (
    "resident_id", "position", "rank_in_borough", "risk", "risk_band", "reasons", "efi_category",
    "ward", "lsoa_code", "suggested_services", "suggested_service_ids",
)  # fmt: skip


def worklist_rows(worklist: Worklist) -> list[dict[str, object]]:
    rows = []
    for entry in worklist.entries.select_related("score"):
        score = entry.score
        rows.append({
            "resident_id": score.resident_id,
            "position": entry.position,
            "rank_in_borough": score.rank,
            "risk": f"{score.risk:.3f}",
            "risk_band": score.get_band_display(),
            "reasons": explain.sentence(
                [explain.Reason(r["factor"], r["text"], 0, ()) for r in score.reasons[:REASONS_SHOWN]]
            ),
            "efi_category": score.efi_category or "not assessed (under 65)",
            "ward": score.ward,
            "lsoa_code": score.lsoa_code,
            "suggested_services": "; ".join(
                s["name"]
                + ("" if s["distance_km"] is None else f" ({s['distance_km']} km)")
                + (" (listing may be out of date)" if s.get("may_be_out_of_date") else "")
                + f" – for: {s['because']}"
                for s in entry.suggestions
            ),
            "suggested_service_ids": "; ".join(s["service_id"] for s in entry.suggestions),
        })  # fmt: skip
    return rows


def worklist_frame(worklist: Worklist) -> pd.DataFrame:
    return pd.DataFrame(worklist_rows(worklist), columns=list(WORKLIST_COLUMNS))
