"""The grants app's models, one module per part."""

from __future__ import annotations

from commonweal.grants.models.awards import Award, MonitoringReport, Payment, ReportStory
from commonweal.grants.models.canvas import Attachment, Canvas, Collaborator
from commonweal.grants.models.dropins import DropInBooking, DropInSession
from commonweal.grants.models.funds import CanvasField, Criterion, Fund, Round
from commonweal.grants.models.gallery import Connection, SimilarIdea
from commonweal.grants.models.panels import (
    Conflict,
    Decision,
    DecisionChange,
    Panel,
    PanelMember,
    Score,
)
from commonweal.grants.models.practice import PracticeEvent, PracticeMember, PracticeNote
from commonweal.grants.models.sponsors import SponsorContact, SponsorProfile

__all__ = [
    "Attachment",
    "Award",
    "Canvas",
    "CanvasField",
    "Collaborator",
    "Conflict",
    "Connection",
    "Criterion",
    "Decision",
    "DecisionChange",
    "DropInBooking",
    "DropInSession",
    "Fund",
    "MonitoringReport",
    "Panel",
    "PanelMember",
    "Payment",
    "ReportStory",
    "Round",
    "PracticeEvent",
    "PracticeMember",
    "PracticeNote",
    "Score",
    "SimilarIdea",
    "SponsorContact",
    "SponsorProfile",
]
