"""Theme analysis of stories and listening records, offline on the CPU: TF-IDF over the words, then
non-negative matrix factorisation (NMF) into themes, each with its top terms and the stories or
conversations that lean on it most.

It reads only stories staff may analyse (published or kept for internal use; never withdrawn or
declined), and only their published (redacted) words. Listening records are read only for the teams
the person organises with (the listening rule), and only the issues raised: never contact details,
political opinions or religious beliefs. It is deterministic (a fixed random state), so
the same stories give the same themes. No model is downloaded: scikit-learn works from the text alone.

When a deployer sets ``COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR`` to a local folder holding a
sentence-transformers model, the stories are embedded with that model instead and grouped by k-means;
each group's top terms are the words that mark it out (TF-IDF summed over its stories). The package is
imported only then, and the model is read from the folder only (the Hugging Face hub is told to stay
offline): nothing is downloaded. A missing folder or package gives ``ThemeBackendError`` with a message
saying what to do, and the page falls back to TF-IDF + NMF.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from commonweal.stories.constants import ThemeSource
from commonweal.stories.listening import listening_teams_for
from commonweal.stories.models import ListeningRecord, Story

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


Encoder = Callable[[list[str]], Any]  # texts -> an array of one embedding per text


class ThemeBackendError(RuntimeError):
    """The configured embedding backend cannot run; the message says what the deployer should do."""


def embedding_model_dir() -> Path | None:
    """The folder of the configured sentence-embedding model, or None for TF-IDF + NMF."""
    configured = str(getattr(settings, "COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR", "") or "").strip()
    return Path(configured) if configured else None


def embedding_encoder_load(folder: Path) -> Encoder:
    """An encoder reading the model in ``folder`` only; ThemeBackendError if it cannot."""
    if not folder.is_dir():
        raise ThemeBackendError(
            f"COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR is set to {folder}, which is not a folder on "
            "this server. Copy a sentence-transformers model there, or unset the setting to use the "
            "default word-based themes."
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach out for a model
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ThemeBackendError(
            "COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR is set, but the sentence-transformers package is "
            "not installed on this server. Install it, or unset the setting to use the default "
            "word-based themes."
        ) from exc
    try:
        model = SentenceTransformer(str(folder), device="cpu")
    except Exception as exc:  # a folder without a usable model: say so, never a stack trace
        raise ThemeBackendError(
            f"The folder {folder} does not hold a sentence-transformers model that could be read "
            f"({type(exc).__name__}). Check the folder, or unset COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR."
        ) from exc

    def encode(texts: list[str]) -> Any:
        return model.encode(texts, batch_size=64, normalize_embeddings=True)

    return encode


_encoder_lock = threading.Lock()
_encoder_kept: dict[str, Encoder] = {}


def embedding_encoder_cached(folder: Path) -> Encoder:
    """The encoder for ``folder``, loaded once per process and kept between requests.

    Only a model that loaded is kept, so a deployer who fixes a broken folder sees it used at once.
    Changing the setting to another folder loads that one instead.
    """
    key = str(folder)
    with _encoder_lock:
        encoder = _encoder_kept.get(key)
        if encoder is None:
            encoder = embedding_encoder_load(folder)
            _encoder_kept.clear()
            _encoder_kept[key] = encoder
        return encoder


def embedding_encoder_forget() -> None:
    """Drop the kept encoder (tests, or a deployer replacing the model in the same folder)."""
    with _encoder_lock:
        _encoder_kept.clear()


@dataclass(frozen=True)
class ThemeExample:
    """One example of a theme: a story, or a conversation from a listening record."""

    story: Story | None = None
    record: ListeningRecord | None = None


@dataclass(frozen=True)
class ThemeFound:
    number: int
    top_terms: list[str]
    example_ids: list[Any]  # the documents' keys (story ids for stories alone), strongest first
    size: int  # documents for which this is the strongest theme
    examples: list[Any] = field(default_factory=list, compare=False)

    @property
    def label(self) -> str:
        return ", ".join(self.top_terms[:3])


def themes_find(
    documents: Sequence[tuple[Any, str]],
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


def _vectoriser() -> Any:
    import numpy
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    return TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS),
        max_df=0.8,
        min_df=2,
        max_features=MAX_FEATURES,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        dtype=numpy.float32,
    )


def themes_find_embedded(
    documents: Sequence[tuple[Any, str]],
    encode: Encoder,
    *,
    themes: int = 8,
    top_terms: int = 8,
    examples: int = 3,
) -> list[ThemeFound]:
    """Themes as k-means groups of the documents' embeddings; the same rules as ``themes_find``."""
    import numpy
    from sklearn.cluster import KMeans

    documents = [(key, text) for key, text in documents if text.strip()]
    if len(documents) < max(2, themes):
        return []
    texts = [text for _, text in documents]
    vectors = numpy.asarray(encode(texts), dtype=numpy.float32)
    model = KMeans(n_clusters=themes, random_state=0, n_init=4)
    labels = model.fit_predict(vectors)
    distances = model.transform(vectors)
    vectoriser = _vectoriser()
    try:
        words = vectoriser.fit_transform(texts)
        vocabulary = vectoriser.get_feature_names_out()
    except ValueError:  # no words left after the stop words: themes without top terms
        words, vocabulary = None, []
    found = []
    for number in range(themes):
        members = numpy.flatnonzero(labels == number)
        if not len(members):
            continue
        terms: list[str] = []
        if words is not None:
            weights = numpy.asarray(words[members].sum(axis=0)).ravel()
            terms = [
                str(vocabulary[i]) for i in weights.argsort()[::-1][:top_terms] if weights[i] > 0
            ]
        nearest = members[distances[members, number].argsort()][:examples]
        found.append(
            ThemeFound(
                number=number + 1,
                top_terms=terms,
                example_ids=[documents[int(i)][0] for i in nearest],
                size=len(members),
            )
        )
    return sorted(found, key=lambda theme: -theme.size)


def _story_documents(limit: int) -> list[tuple[int, str]]:
    """The newest ``limit`` stories staff may analyse, as (id, published words)."""
    stories = (
        Story.objects.usable_internally()
        .exclude(state="submitted")
        .order_by("-created_at", "-id")
        .values_list("pk", "title", "public_title", "text", "public_text")[:limit]
    )
    return [
        (pk, f"{public_title or title}. {public_text or text}")
        for pk, title, public_title, text, public_text in stories
    ]


def _listening_records_for(user: Any) -> Any:
    """The listening records this person's teams hold (none for anyone outside a team)."""
    teams = list(listening_teams_for(user=user).values_list("pk", flat=True))
    return ListeningRecord.objects.for_teams(teams)


def _find(documents: Sequence[tuple[Any, str]], themes: int, encode: Encoder | None) -> Any:
    if encode is not None:
        return themes_find_embedded(documents, encode, themes=themes)
    return themes_find(documents, themes=themes)


def story_themes_analyse(
    *, limit: int = 10_000, themes: int = 8, encode: Encoder | None = None
) -> list[ThemeFound]:
    """Themes of the newest ``limit`` stories staff may analyse, with their example stories.

    With ``encode`` (see ``embedding_encoder_load``) the themes are k-means groups of embeddings;
    without it, TF-IDF + NMF.
    """
    found = _find(_story_documents(limit), themes, encode)
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


STORY = "story"
LISTENING = "listening"


def themes_analyse(
    *,
    user: Any,
    source: str = ThemeSource.STORIES,
    limit: int = 10_000,
    themes: int = 8,
    encode: Encoder | None = None,
) -> list[ThemeFound]:
    """Themes of stories, of the listening records ``user``'s teams hold, or of both together.

    Each source gives its newest ``limit`` documents. A document's key is (``"story"`` or
    ``"listening"``, id), and each theme's examples are ``ThemeExample``s. Listening records are
    read only for the person's own teams, and only the issues raised.
    """
    documents: list[tuple[tuple[str, int], str]] = []
    if source in (ThemeSource.STORIES, ThemeSource.BOTH):
        documents += [((STORY, pk), text) for pk, text in _story_documents(limit)]
    if source in (ThemeSource.LISTENING, ThemeSource.BOTH):
        records = (
            _listening_records_for(user)
            .order_by("-created_at", "-id")
            .values_list("pk", "issues")[:limit]
        )
        documents += [((LISTENING, pk), issues) for pk, issues in records]
    found = _find(documents, themes, encode)
    keys = [key for theme in found for key in theme.example_ids]
    stories = Story.objects.select_related("ward").in_bulk(
        [pk for kind, pk in keys if kind == STORY]
    )
    records_by_id = (
        _listening_records_for(user)
        .select_related("ward")
        .in_bulk([pk for kind, pk in keys if kind == LISTENING])
    )
    result = []
    for theme in found:
        examples = []
        for kind, pk in theme.example_ids:
            if kind == STORY and pk in stories:
                examples.append(ThemeExample(story=stories[pk]))
            elif kind == LISTENING and pk in records_by_id:
                examples.append(ThemeExample(record=records_by_id[pk]))
        result.append(
            ThemeFound(
                number=theme.number,
                top_terms=theme.top_terms,
                example_ids=theme.example_ids,
                size=theme.size,
                examples=examples,
            )
        )
    return result
