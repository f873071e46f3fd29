"""Theme analysis of stories, offline on the CPU: TF-IDF over the words, then non-negative matrix
factorisation (NMF) into themes, each with its top terms and the stories that lean on it most.

It reads only stories staff may analyse (published or kept for internal use; never withdrawn or
declined), and only their published (redacted) words. It is deterministic (a fixed random state), so
the same stories give the same themes. No model is downloaded: scikit-learn works from the text alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from commonweal.stories.models import Story

# Words that say nothing about a theme in residents' stories, on top of scikit-learn's English list.
EXTRA_STOP_WORDS = frozenset(
    {
        "just",
        "really",
        "got",
        "get",
        "like",
        "went",
        "did",
        "said",
        "know",
        "think",
        "thing",
        "things",
    }
)
MAX_FEATURES = 20_000
MAX_ITER = 300


@dataclass(frozen=True)
class ThemeFound:
    number: int
    top_terms: list[str]
    example_ids: list[int]  # story ids, strongest first
    size: int  # stories for which this is the strongest theme
    examples: list[Story] = field(default_factory=list, compare=False)

    @property
    def label(self) -> str:
        return ", ".join(self.top_terms[:3])


def themes_find(
    documents: Sequence[tuple[int, str]],
    *,
    themes: int = 8,
    top_terms: int = 8,
    examples: int = 3,
) -> list[ThemeFound]:
    """Themes in ``documents`` (id, text). Fewer documents than themes, or no usable words, give []."""
    import numpy
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    documents = [(key, text) for key, text in documents if text.strip()]
    if len(documents) < max(2, themes):
        return []
    vectoriser = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS),
        max_df=0.8,
        min_df=2,
        max_features=MAX_FEATURES,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        dtype=numpy.float32,
    )
    try:
        matrix = vectoriser.fit_transform([text for _, text in documents])
    except ValueError:  # no words left after the stop words
        return []
    components = min(themes, matrix.shape[1], matrix.shape[0])
    if components < 1:
        return []
    model = NMF(n_components=components, init="nndsvda", random_state=0, max_iter=MAX_ITER)
    weights = model.fit_transform(matrix)
    vocabulary = vectoriser.get_feature_names_out()
    strongest = weights.argmax(axis=1)
    found = []
    for number, component in enumerate(model.components_):
        terms = [str(vocabulary[i]) for i in component.argsort()[::-1][:top_terms]]
        column = weights[:, number]
        ranked = [int(i) for i in column.argsort()[::-1][:examples] if column[i] > 0]
        found.append(
            ThemeFound(
                number=number + 1,
                top_terms=terms,
                example_ids=[documents[i][0] for i in ranked],
                size=int((strongest == number).sum()),
            )
        )
    return sorted(found, key=lambda theme: -theme.size)


def story_themes_analyse(*, limit: int = 10_000, themes: int = 8) -> list[ThemeFound]:
    """Themes of the newest ``limit`` stories staff may analyse, with their example stories."""
    stories = (
        Story.objects.usable_internally()
        .exclude(state="submitted")
        .order_by("-created_at", "-id")
        .values_list("pk", "title", "public_title", "text", "public_text")[:limit]
    )
    documents = [
        (pk, f"{public_title or title}. {public_text or text}")
        for pk, title, public_title, text, public_text in stories
    ]
    found = themes_find(documents, themes=themes)
    wanted = {pk for theme in found for pk in theme.example_ids}
    by_id = Story.objects.select_related("ward").in_bulk(wanted)
    return [
        ThemeFound(
            number=theme.number,
            top_terms=theme.top_terms,
            example_ids=theme.example_ids,
            size=theme.size,
            examples=[by_id[pk] for pk in theme.example_ids if pk in by_id],
        )
        for theme in found
    ]
