"""The programme's configuration (`program.toml`): one validated model, unknown keys are errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from scoring.errors import StageStopped
from scoring.record import FIELDS, QUOTA_FIELDS

StaffCategory = Literal[tuple(FIELDS["staff_category"].values)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Program(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    locale: Literal["nb", "en"] = "nb"
    application_deadline: dt.date
    timezone: str = "Europe/Oslo"
    hr_email: str
    rescore_cron: str = "0 2 * * *"
    rescore_threshold: float = Field(5.0, ge=0, description="score points worth reporting")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except Exception as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Eligibility(Strict):
    max_age: int = Field(35, gt=0)
    reference_date: dt.date | None = None
    require_consent: bool = True
    staff_categories: tuple[StaffCategory, ...] = tuple(  # type: ignore[valid-type]
        FIELDS["staff_category"].values)


class Criterion(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    weight: float = Field(gt=0)


class Scorecard(Strict):
    scale: tuple[int, int] = (1, 5)
    min_reviews: int = Field(2, ge=1)
    disagreement: int = Field(2, ge=1)
    criteria: tuple[Criterion, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Scorecard:
        lo, hi = self.scale
        if lo >= hi:
            raise ValueError(f"scale {list(self.scale)} must go from low to high")
        keys = [c.key for c in self.criteria]
        if not keys:
            raise ValueError("criteria must name at least one criterion")
        if len(set(keys)) != len(keys):
            raise ValueError(f"criteria keys must be unique, got {keys}")
        return self

    @property
    def criterion_keys(self) -> list[str]:
        return [c.key for c in self.criteria]


class Quota(Strict):
    field: Literal[QUOTA_FIELDS]  # type: ignore[valid-type]
    value: str
    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Quota:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"quota {self.field}={self.value}: max {self.max} < min {self.min}")
        return self

    @property
    def label(self) -> str:
        return f"{self.field}={self.value}"


class Selection(Strict):
    count: int = Field(gt=0)
    quota: tuple[Quota, ...] = ()


class SelectionSteps(Strict):
    invite: Selection


class Video(Strict):
    max_seconds: float = Field(90, gt=0)
    min_seconds: float = Field(20, ge=0)
    questions: tuple[str, str, str]
    submission_deadline: dt.date
    min_height: int = Field(360, gt=0)
    max_megabytes: float = Field(500, gt=0)
    grace_days: int = Field(3, ge=1, description="days to send a video after a letter that "
                                                 "comes when the call's deadline has passed")
    audio_only: bool = Field(False, description="sound alone will do: only ever one applicant's "
                                                "own rules, by HR's accommodation")

    @field_validator("audio_only")
    @classmethod
    def _per_applicant(cls, value: bool) -> bool:
        """One applicant's own rules are a copy (`scoring.decisions.own_rules`) that no
        validation reads; program.toml may not set it."""
        if value:
            raise ValueError("audio_only is granted to one applicant at a time, as an "
                             "accommodation in inbox/decisions, not for the whole programme")
        return value


class Operations(Strict):
    """How the machines do the work, not what is decided: changing these never makes the
    nightly rescoring recompute."""
    workers: int = Field(2, ge=1, description="videos checked at the same time")
    runner: Literal["threads", "dask"] = "threads"
    dask_address: str = Field("", description="a Dask scheduler; empty: a local cluster")
    check_timeout_seconds: float = Field(120, gt=0, description="per decode pass of one video")


OPERATIONS_KEYS = tuple(Operations.model_fields)


class Shortlist(Strict):
    count: int = Field(16, gt=0)
    video_weight: float = Field(0.5, ge=0, le=1)
    quota: tuple[Quota, ...] = ()


class Packets(Strict):
    video_link_base: str = ""
    reply_deadline: dt.date | None = Field(None, description="when leaders return their sheets")


class Matching(Strict):
    mentors_per_leader: int = Field(2, gt=0)
    min_ranked: int = Field(4, ge=1)
    conflict: tuple[Literal["unit"], ...] = ("unit",)  # fields a leader and a mentor both have
    reserves: bool = Field(True, description="unmatched mentors are kept as reserves, and told")


class Leader(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    name: str
    email: str
    unit: str


class Reviewer(Strict):
    """One member of the panel that scores the applications and the videos."""
    id: str = Field(pattern=r"^[a-z0-9_-]+$", description="what the review sheets name them by")
    name: str
    email: str
    unit: str
    max_load: int | None = Field(None, gt=0, description="at most this many applicants")
    conflicts: tuple[str, ...] = Field((), description="applicant ids they declared a "
                                                       "conflict of interest with")


class Privacy(Strict):
    """What the invitation tells an applicant about their video (GDPR article 13)."""
    seen_by: str = Field("", description="who sees the video; empty: HR, and the leaders if "
                                         "the applicant is shortlisted")
    delete_after: dt.date | None = Field(None, description="when videos and applications "
                                                           "are deleted")
    contact: str = Field("", description="who to ask about personal data; empty: hr_email")


class Web(Strict):
    """Where the portal is reached (`mentoring web`): letters carry personal links under it."""
    base_url: str = Field("", pattern=r"^(https?://[^\s?#]+[^/\s?#])?$",
                          description="e.g. https://mentoring.example.no; empty: no links, "
                                      "applicants send videos by e-mail")


class Gates(Strict):
    max_quarantined_share: float = Field(
        0.25, ge=0, le=1, description="a larger share of bad application rows stops intake"
    )


class ProgramConfig(Strict):
    program: Program
    eligibility: Eligibility = Eligibility()
    scorecard: Scorecard
    selection: SelectionSteps
    video: Video
    shortlist: Shortlist = Shortlist()
    packets: Packets = Packets()
    matching: Matching = Matching()
    gates: Gates = Gates()
    privacy: Privacy = Privacy()
    leaders: tuple[Leader, ...] = ()
    reviewers: tuple[Reviewer, ...] = ()
    operations: Operations = Operations()
    web: Web = Web()

    @model_validator(mode="before")
    @classmethod
    def _operations_from_video(cls, data: Any) -> Any:
        """Programmes set up before `[operations]` existed have these keys under `[video]`."""
        if not isinstance(data, dict) or not isinstance(data.get("video"), dict):
            return data
        moved = {k: v for k, v in data["video"].items() if k in OPERATIONS_KEYS}
        if not moved:
            return data
        video = {k: v for k, v in data["video"].items() if k not in OPERATIONS_KEYS}
        return {**data, "video": video, "operations": {**moved, **data.get("operations", {})}}

    @model_validator(mode="after")
    def _unique_ids(self) -> ProgramConfig:
        for people, ids in (("leader", [leader.id for leader in self.leaders]),
                            ("reviewer", [reviewer.id for reviewer in self.reviewers])):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{people} ids must be unique, got {ids}")
        return self

    @property
    def reference_date(self) -> dt.date:
        return self.eligibility.reference_date or self.program.application_deadline

    def fingerprint(self) -> str:
        """A stable hash of every setting that decides something, recorded with every run;
        `[operations]` and `[web]` are left out."""
        canonical = json.dumps(self.model_dump(mode="json", exclude={"operations", "web"}),
                               sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class ConfigError(StageStopped):
    """program.toml is not valid; the message names every offending key."""


def parse_program(data: dict, source: str = "program.toml") -> ProgramConfig:
    try:
        return ProgramConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc, source)) from None


def describe_errors(exc: ValidationError, source: str) -> str:
    lines = [f"{source} is not valid:"]
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            lines.append(f"  - unknown key '{key}' (a typo?)")
        elif error["type"] == "missing":
            lines.append(f"  - missing key '{key}'")
        elif isinstance(error.get("input"), dict | list | tuple):
            lines.append(f"  - {key or 'top level'}: {error['msg']}")
        else:
            lines.append(f"  - {key}: {error['msg']} (got {error.get('input')!r})")
    return "\n".join(lines)
