"""A story's states and the moves between them, as data. Only ``commonweal.stories.services`` moves a story.

Anyone holding the private link may withdraw their story from any state but withdrawn. Moderators move
stories out of the queue. Publishing also needs the teller's public consent (``can_publish``): the state
table says where a story may go, the consent says whether it may be seen.
"""

from __future__ import annotations

from commonweal.stories.constants import StoryState

TRANSITIONS: dict[str, frozenset[str]] = {
    StoryState.SUBMITTED: frozenset(
        {StoryState.PUBLISHED, StoryState.INTERNAL, StoryState.DECLINED, StoryState.WITHDRAWN}
    ),
    StoryState.PUBLISHED: frozenset({StoryState.INTERNAL, StoryState.WITHDRAWN}),
    StoryState.INTERNAL: frozenset({StoryState.PUBLISHED, StoryState.WITHDRAWN}),
    StoryState.DECLINED: frozenset({StoryState.SUBMITTED, StoryState.WITHDRAWN}),
    StoryState.WITHDRAWN: frozenset(),
}


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())
