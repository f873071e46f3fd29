"""The order in which the demo borough is built. Each module adds its loader here as it arrives."""

from __future__ import annotations

from collections.abc import Callable

from commonweal.demo import borough
from commonweal.demo.borough import DemoResult


def _geography(result: DemoResult) -> None:
    from commonweal.geo.services import demo_geography_load

    log = demo_geography_load()
    result.counts["postcodes"] = log.rows_written or log.rows_read


def _outcomes(result: DemoResult) -> None:
    from commonweal.outcomes.services import outcome_framework_ensure_default

    framework = outcome_framework_ensure_default()
    result.counts["outcomes"] = framework.outcomes.count()


def _organisations_and_people(result: DemoResult) -> None:
    organisations = borough.organisations_load(result)
    borough.localities_load(result)
    borough.people_load(result, organisations)


def _directory(result: DemoResult) -> None:
    from commonweal.demo.directory import directory_load

    directory_load(result)


def _directory_moderation(result: DemoResult) -> None:
    from commonweal.demo.directory_moderation import moderation_load

    moderation_load(result)


def _timebank(result: DemoResult) -> None:
    from commonweal.demo.timebank import timebank_load

    timebank_load(result)


def _stories(result: DemoResult) -> None:
    from commonweal.demo.stories import stories_load

    stories_load(result)


def _grants(result: DemoResult) -> None:
    from commonweal.demo.grants import grants_load

    grants_load(result)


DEMO_LOADERS: list[tuple[str, Callable[[DemoResult], None]]] = [
    ("Thurrock's wards, LSOAs and postcodes", _geography),
    ("the outcome framework", _outcomes),
    ("the council, the CVS, groups and demo logins", _organisations_and_people),
    ("the community directory: listings, places, taxonomies and initiatives", _directory),
    # After the directory: it works on the directory's demo listings.
    ("claims and changes waiting for the directory's moderators", _directory_moderation),
    ("the timebank: members, organisations, a year of exchanges and the gift board", _timebank),
    (
        "stories: two collections, 160 stories with their signification, some awaiting moderation",
        _stories,
    ),
    ("funds and grants: an innovation fund round with its panel, and Small Sparks", _grants),
]
