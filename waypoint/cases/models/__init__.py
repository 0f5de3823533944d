"""Confidential case records of the people assisted.

Everything that names or locates a person is encrypted at rest
(``waypoint.lib.crypto``); what stays in clear is what statistics and filters
need and cannot identify anyone alone. Every write goes through
``services.py`` and every read of a case through ``selectors.py``; both leave
an ``AuditEvent``. ``__str__`` of anything about a person is a code, never a
name (the admin's log and error pages keep ``str(obj)``).
"""

from __future__ import annotations

from waypoint.cases.models.base import AppendOnly
from waypoint.cases.models.case import (
    Case,
    CaseEvent,
    CaseStatus,
    CaseType,
    ClosureReason,
    Dimension,
    Identification,
    IdentificationStatus,
    Indicator,
    IndicatorAnswer,
    NeedsAssessment,
    ProtectionNeed,
    ReflectionDecision,
    ReflectionPeriod,
    RightsInformation,
    RightsItem,
    RiskAssessment,
    RiskLevel,
    SpecialMeasure,
    Stage,
    Strength,
)
from waypoint.cases.models.people import (
    AgeBand,
    CodeCounter,
    DuplicateStatus,
    Gender,
    Person,
    PossibleDuplicate,
    RetentionPolicy,
)
from waypoint.cases.models.records import (
    AssistanceSession,
    ClaimStatus,
    CompensationClaim,
    Consent,
    ConsentMethod,
    ConsentScope,
    DataCategory,
    Document,
    DocumentKind,
    Note,
    PersonRole,
    Proceeding,
    ProceedingKind,
    ProceedingStage,
    SessionKind,
    Task,
)

__all__ = [
    "AgeBand",
    "AppendOnly",
    "AssistanceSession",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "CaseType",
    "ClaimStatus",
    "ClosureReason",
    "CodeCounter",
    "CompensationClaim",
    "Consent",
    "ConsentMethod",
    "ConsentScope",
    "DataCategory",
    "Dimension",
    "Document",
    "DocumentKind",
    "DuplicateStatus",
    "Gender",
    "Identification",
    "IdentificationStatus",
    "Indicator",
    "IndicatorAnswer",
    "NeedsAssessment",
    "Note",
    "Person",
    "PersonRole",
    "PossibleDuplicate",
    "Proceeding",
    "ProceedingKind",
    "ProceedingStage",
    "ProtectionNeed",
    "ReflectionDecision",
    "ReflectionPeriod",
    "RetentionPolicy",
    "RightsInformation",
    "RightsItem",
    "RiskAssessment",
    "RiskLevel",
    "SessionKind",
    "SpecialMeasure",
    "Stage",
    "Strength",
    "Task",
]
