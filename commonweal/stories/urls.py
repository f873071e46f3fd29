"""The stories app's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.stories.views import (
    collections,
    exports,
    listening,
    moderation,
    msc,
    nuggets,
    pages,
    patterns,
    share,
    themes,
)

app_name = "stories"

urlpatterns = [
    # The public story site
    path("", pages.home, name="home"),
    path("<uuid:public_id>/", pages.story_detail, name="story"),
    path("<uuid:public_id>/photo", pages.story_photo, name="story_photo"),
    path("<uuid:public_id>/audio", pages.story_audio, name="story_audio"),
    # Sharing a story, gatherer mode and withdrawal
    path("share/", share.share_start, name="share_start"),
    path("share/<slug:slug>/", share.share, name="share"),
    path("gather/<slug:slug>/", share.gather, name="gather"),
    path("withdraw/<str:token>/", share.withdraw, name="withdraw"),
    # Moderation
    path("moderate/", moderation.queue, name="moderation_queue"),
    path("moderate/<uuid:public_id>/", moderation.moderate, name="moderate"),
    # Collections and their triads and dyads (moderators and coordinators)
    path("collections/", collections.collection_list, name="collections"),
    path("collections/new/", collections.collection_create, name="collection_create"),
    path("collections/<uuid:public_id>/", collections.collection_edit, name="collection"),
    path(
        "collections/<uuid:public_id>/signifiers/new/",
        collections.signifier_create,
        name="signifier_create",
    ),
    path(
        "collections/<uuid:public_id>/signifiers/<uuid:signifier_id>/",
        collections.signifier_edit,
        name="signifier",
    ),
    # Listening records (community organisers)
    path("listening/", listening.record_list, name="listening_list"),
    path("listening/new/", listening.record_create, name="listening_create"),
    path("listening/<uuid:public_id>/", listening.record_detail, name="listening_record"),
    path(
        "listening/<uuid:public_id>/delete/",
        listening.record_delete,
        name="listening_record_delete",
    ),
    path(
        "listening/<uuid:public_id>/remove-special-category/",
        listening.record_special_remove,
        name="listening_record_special_remove",
    ),
    path("listening/actions/", listening.action_list, name="listening_actions"),
    path("listening/actions/new/", listening.action_create, name="listening_action_create"),
    path(
        "listening/actions/<uuid:public_id>/",
        listening.action_detail,
        name="listening_action",
    ),
    # Theme analysis (staff)
    path("themes/", themes.themes, name="themes"),
    path("patterns/", patterns.patterns_page, name="patterns"),
    path("patterns/population/", patterns.population_upload, name="population_upload"),
    path("nuggets/", nuggets.nugget_list, name="nuggets"),
    path("nuggets/<uuid:public_id>/", nuggets.nugget_edit, name="nugget"),
    path("msc/", msc.round_list, name="msc_rounds"),
    path("msc/<uuid:public_id>/", msc.round_detail, name="msc_round"),
    # Exports
    path("export/stories.csv", exports.export_csv, name="export_csv"),
    path("export/stories.json", exports.export_json, name="export_json"),
]
