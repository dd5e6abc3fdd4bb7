"""The applicant record: every field with its kind, who may see it and what it may hold, and the
statuses in the order of the funnel. The store's tables, the gates, the exports and the leaders'
packets are built from this one place, so a field is added here (and in a migration) only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Status(StrEnum):
    """Where an applicant stands, in the order of the funnel."""

    QUARANTINED = "quarantined"
    INELIGIBLE = "ineligible"
    PENDING_REVIEW = "pending_review"
    NOT_INVITED = "not_invited"
    INVITED = "invited"
    VIDEO_MISSING = "video_missing"
    VIDEO_REJECTED = "video_rejected"
    NOT_SHORTLISTED = "not_shortlisted"
    SHORTLISTED = "shortlisted"
    UNMATCHED = "unmatched"
    MATCHED = "matched"
    # Out by a decision of HR's (inbox/decisions.csv), at whatever step they were.
    WITHDRAWN = "withdrawn"
    EXCLUDED = "excluded"


STATUSES = tuple(Status)
QUALIFIED = "qualified"  # scored and eligible, before a selection decides; never published
LEFT = (Status.WITHDRAWN, Status.EXCLUDED)  # may end any step
STEP1 = (Status.QUARANTINED, Status.INELIGIBLE, Status.PENDING_REVIEW, Status.NOT_INVITED,
         Status.INVITED, *LEFT)
STEP2 = (Status.VIDEO_MISSING, Status.VIDEO_REJECTED, Status.PENDING_REVIEW,
         Status.NOT_SHORTLISTED, Status.SHORTLISTED, *LEFT)
STEP3 = (Status.UNMATCHED, Status.MATCHED, *LEFT)
SHORTLISTED = (Status.SHORTLISTED, Status.UNMATCHED, Status.MATCHED)  # and still on it

Kind = Literal["id", "text", "choice", "date", "timestamp", "number", "count", "status"]

YES_NO = {"yes": "yes", "ja": "yes", "no": "no", "nei": "no"}


@dataclass(frozen=True)
class Field:
    """One field of the record.

    `headers`: what the applications export may call it (trimmed, any case); empty for fields
    the pipeline derives. `step`: the stage whose table holds it (1 applicants, 2 video results,
    3 match results). `choices`: accepted spellings -> the contract's value. `sensitive`: a
    special category, never shown to a leader; `personal`: names or describes the person;
    `to_leaders`: in a leader's packet; `exported`: in HR's applicants export.
    """

    name: str
    kind: Kind
    step: int = 1
    headers: tuple[str, ...] = ()
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    quota: bool = False  # a quota may constrain it
    sensitive: bool = False
    personal: bool = False
    to_leaders: bool = False
    exported: bool = False

    @property
    def values(self) -> list[str]:
        """The contract's values of a choice field, in order."""
        return list(dict.fromkeys(self.choices.values()))


RECORD: tuple[Field, ...] = (
    Field("applicant_id", "id", headers=("applicant_id", "ansattnummer", "søker-id"), required=True,
          to_leaders=True, exported=True),
    Field("status", "status", exported=True),
    Field("reasons", "text", exported=True),
    Field("score", "number", exported=True),
    Field("video_score", "number", step=2, exported=True),
    Field("final_score", "number", step=2, exported=True),
    Field("leader_id", "id", step=3, exported=True),
    Field("leader_rank", "count", step=3),
    Field("name", "text", headers=("name", "navn"), required=True, personal=True,
          to_leaders=True, exported=True),
    Field("email", "text", headers=("email", "e-mail", "e-post", "epost", "email address",
                                    "e-postadresse"), required=True,
          personal=True, exported=True),
    Field("unit", "text", headers=("unit", "enhet"), required=True, quota=True,
          to_leaders=True, exported=True),
    Field("position", "text", headers=("position", "stilling"), quota=True, to_leaders=True,
          exported=True),
    Field("staff_category", "choice", headers=("staff_category", "kategori"), required=True,
          choices={"operational": "operational", "operativ": "operational",
                   "politi": "operational", "civilian": "civilian", "sivil": "civilian"},
          quota=True, to_leaders=True, exported=True),
    Field("review_count", "count", exported=True),
    Field("video_review_count", "count", step=2),
    Field("disagreement", "text", exported=True),
    Field("birth_date", "date", headers=("birth_date", "fødselsdato"), required=True,
          sensitive=True, personal=True),
    Field("education", "text", headers=("education", "utdanning"), quota=True, personal=True),
    Field("gender", "text", headers=("gender", "kjønn"), quota=True, sensitive=True,
          personal=True),
    Field("immigrant_background", "choice",
          headers=("immigrant_background", "innvandrerbakgrunn"),
          choices={**YES_NO, "unknown": "unknown", "vil ikke oppgi": "unknown",
                   "ukjent": "unknown", "prefer not to say": "unknown"},
          quota=True, sensitive=True, personal=True),
    Field("motivation", "text", headers=("motivation", "motivasjon"), personal=True,
          to_leaders=True),
    Field("consent", "choice", headers=("consent", "samtykke"), required=True, choices=YES_NO,
          personal=True),
    # Google Forms' and Microsoft Forms' own names for when the answer came, English and Norwegian
    Field("submitted_at", "timestamp", headers=("submitted_at", "innsendt", "timestamp",
                                                "tidsmerke", "completion time",
                                                "fullføringstidspunkt")),
    Field("source_file", "text"),  # where the live application row came from
    Field("source_row", "count"),
    Field("media", "text", step=2, to_leaders=True),
    Field("poster", "text", step=2, to_leaders=True),
)
FIELDS = {f.name: f for f in RECORD}

# The applications export: the fields a form produces, and the headers that name them.
APPLICATION = tuple(f for f in RECORD if f.headers)
HEADERS = {f.name: f.headers for f in APPLICATION}
REQUIRED = tuple(f.name for f in APPLICATION if f.required)
QUOTA_FIELDS = tuple(f.name for f in RECORD if f.quota)
TO_LEADERS = tuple(f.name for f in RECORD if f.to_leaders)
EXPORTED = tuple(f.name for f in RECORD if f.exported)
OUTCOME = ("applicant_id", "status", "reasons")  # what every step's table starts with


def decided(step: int) -> tuple[str, ...]:
    """What a step's table holds besides the outcome (for step 1, the application as received
    and where it came from too)."""
    return tuple(f.name for f in RECORD if f.step == step and f.name not in OUTCOME)


def stored(step: int) -> tuple[str, ...]:
    """The columns of a step's table."""
    return (*OUTCOME, *decided(step))
