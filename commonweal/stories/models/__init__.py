"""The stories app's models, one module per part."""

from __future__ import annotations

from commonweal.stories.models.collections import Collection, Signifier, Theme
from commonweal.stories.models.learning import GoldenNugget, WardPopulation
from commonweal.stories.models.listening import IssueCategory, ListeningAction, ListeningRecord
from commonweal.stories.models.msc import MscDomain, MscRound, MscSelection
from commonweal.stories.models.stories import SignifierAnswer, Story

__all__ = [
    "Collection",
    "GoldenNugget",
    "IssueCategory",
    "ListeningAction",
    "ListeningRecord",
    "MscDomain",
    "MscRound",
    "MscSelection",
    "Signifier",
    "SignifierAnswer",
    "Story",
    "Theme",
    "WardPopulation",
]
