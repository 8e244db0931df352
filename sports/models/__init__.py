"""SQLAlchemy models, split by concern. Importing this package registers every table."""
from sports.models.accounts import ApiToken, LoginFailure, User
from sports.models.audit import AuditEntry
from sports.models.awards import AwardHandover, Certificate, CertificateSettings, Placing
from sports.models.emulation import (
    EmulationAdjustment,
    EmulationCriterion,
    EmulationScore,
    EmulationTable,
)
from sports.models.events import Entry, EntryAthlete, Event, Group, GroupEntry, Stage
from sports.models.festival import Athlete, Festival, Unit
from sports.models.matches import Court, Match, ResultSubmission, ScheduleSession
from sports.models.uploads import StagedUpload

__all__ = [
    "ApiToken", "Athlete", "AuditEntry", "AwardHandover", "Certificate", "CertificateSettings", "Court", "EmulationAdjustment",
    "EmulationCriterion", "EmulationScore", "EmulationTable", "Entry", "EntryAthlete", "Event",
    "Festival", "Group", "GroupEntry", "LoginFailure", "Match", "Placing", "ResultSubmission", "ScheduleSession",
    "Stage", "StagedUpload", "Unit", "User",
]
