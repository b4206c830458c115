"""Advocacy: events, media kits, press releases and policy platforms (docs/advocacy.md).

Events (:mod:`socialcover.advocacy.events`, :mod:`socialcover.advocacy.participants`):
    seminars, meetings, webinars, training sessions, country consultations and validation
    workshops, a reviewed record (:data:`EVENTS`, :class:`EventInput`, :func:`create_event`,
    :func:`update_event`, :func:`submit_event`, :func:`publish_event`, :func:`return_event`,
    :func:`withdraw_event`, :func:`delete_event`, :func:`get_event`, :func:`list_events`,
    :func:`event_as_dict`); the agenda and materials (:class:`SessionInput`,
    :class:`SpeakerInput`, :func:`add_session`, :func:`remove_session`, :class:`MaterialInput`,
    :func:`add_material`, :func:`remove_material`, :func:`material_file`); organisers and
    participants (:func:`add_organiser`, :func:`is_organiser`, :class:`ParticipantInput`,
    :func:`add_participant`, :func:`register`, :func:`remove_participant`,
    :func:`list_participants`, :class:`ParticipantCounts`, :func:`participant_counts`); one
    person's data (:func:`export_person`, :func:`erase_person`); the vocabularies
    (:data:`EVENT_KINDS`, :data:`CONSTITUENTS`, :data:`SEXES`, :data:`MATERIAL_KINDS`,
    :data:`PARTICIPANT_ROLES`).

Press releases (:mod:`socialcover.advocacy.press`):
    texts whose figures are placeholders filled from the indicator store, under embargo
    (:data:`PRESS_RELEASES`, :class:`PressReleaseInput`, :class:`FigureSpec`,
    :func:`create_press_release`, :func:`update_press_release`, :func:`submit_press_release`,
    :func:`publish_press_release`, :func:`get_press_release`, :class:`PressReleaseView`,
    :func:`list_press_releases`, :func:`release_due`, :func:`read_figures`,
    :func:`data_version`, :func:`format_figure`, :func:`placeholders`,
    :func:`preview_press_release`,
    :data:`FIGURE_FORMATS`).

Media kits (:mod:`socialcover.advocacy.mediakits`):
    a chart card of an indicator in an area, in SVG and PNG, with its data in CSV and JSON
    (:func:`media_kit`, :class:`MediaKit`, :data:`DEFAULT_LICENCE`; :func:`dress`, a kit of
    any chart and its rows, which the report's figure kits use).

Policy platforms (:mod:`socialcover.advocacy.platforms`):
    joint statements and policy positions shared with partner organisations and signed by them
    (:data:`STATEMENTS`, :data:`STATEMENT_KINDS`, :class:`StatementInput`,
    :func:`create_statement`, :func:`update_statement`, :func:`submit_statement`,
    :func:`publish_statement`, :func:`get_statement`, :func:`list_statements`,
    :func:`share_statement`, :func:`sign_statement`, :func:`signing_organisation`,
    :func:`endorsers`,
    :func:`statement_as_dict`).

Feeds and downloads (:mod:`socialcover.advocacy.feeds`, :mod:`socialcover.advocacy.downloads`):
    the iCalendar feed of events (:func:`icalendar_feed`), the Atom feed of publications and
    events (:func:`atom_feed`); publication downloads counted per month and country
    (:func:`download_publication`, :func:`download_counts`).

Training (:mod:`socialcover.advocacy.training`):
    courses delivered by training sessions, participants' pre and post scores and the gain
    (:class:`CourseInput`, :class:`MaterialLink`, :class:`Trainer`, :func:`create_course`,
    :func:`update_course`, :func:`get_course`, :func:`list_courses`, :func:`course_as_dict`,
    :func:`add_course_session`, :func:`remove_course_session`, :class:`ScoresInput`,
    :func:`record_scores`, :func:`list_scores`, :func:`course_results`,
    :class:`CourseResults`, :class:`GainSummary`); many scores at once as a CSV file, all
    rows or none (:func:`import_scores`, :func:`scores_sheet`).
"""

from socialcover.advocacy.downloads import (
    download_counts,
    download_publication,
)
from socialcover.advocacy.events import (
    EVENT_KINDS,
    EVENTS,
    MATERIAL_KINDS,
    EventInput,
    MaterialInput,
    SessionInput,
    SpeakerInput,
    add_material,
    add_session,
    create_event,
    delete_event,
    event_as_dict,
    get_event,
    list_events,
    material_file,
    publish_event,
    remove_material,
    remove_session,
    return_event,
    submit_event,
    update_event,
    withdraw_event,
)
from socialcover.advocacy.feeds import (
    atom_feed,
    icalendar_feed,
)
from socialcover.advocacy.mediakits import (
    DEFAULT_LICENCE,
    MediaKit,
    dress,
    media_kit,
)
from socialcover.advocacy.participants import (
    CONSTITUENTS,
    PARTICIPANT_ROLES,
    SEXES,
    ParticipantCounts,
    ParticipantInput,
    add_organiser,
    add_participant,
    erase_person,
    export_person,
    is_organiser,
    list_participants,
    participant_counts,
    register,
    remove_participant,
)
from socialcover.advocacy.platforms import (
    STATEMENT_KINDS,
    STATEMENTS,
    StatementInput,
    create_statement,
    endorsers,
    get_statement,
    list_statements,
    publish_statement,
    share_statement,
    sign_statement,
    signing_organisation,
    statement_as_dict,
    submit_statement,
    update_statement,
)
from socialcover.advocacy.press import (
    FIGURE_FORMATS,
    PRESS_RELEASES,
    FigureSpec,
    PressReleaseInput,
    PressReleaseView,
    create_press_release,
    data_version,
    format_figure,
    get_press_release,
    list_press_releases,
    placeholders,
    preview_press_release,
    publish_press_release,
    read_figures,
    release_due,
    submit_press_release,
    update_press_release,
)
from socialcover.advocacy.training import (
    CourseInput,
    CourseResults,
    GainSummary,
    MaterialLink,
    ScoresInput,
    Trainer,
    add_course_session,
    course_as_dict,
    course_results,
    create_course,
    get_course,
    list_courses,
    list_scores,
    record_scores,
    remove_course_session,
    update_course,
)
from socialcover.advocacy.training_scores import import_scores, scores_sheet

__all__ = [
    "CONSTITUENTS",
    "DEFAULT_LICENCE",
    "EVENTS",
    "EVENT_KINDS",
    "FIGURE_FORMATS",
    "MATERIAL_KINDS",
    "PARTICIPANT_ROLES",
    "PRESS_RELEASES",
    "SEXES",
    "STATEMENTS",
    "STATEMENT_KINDS",
    "CourseInput",
    "CourseResults",
    "EventInput",
    "FigureSpec",
    "GainSummary",
    "MaterialInput",
    "MaterialLink",
    "MediaKit",
    "ParticipantCounts",
    "ParticipantInput",
    "PressReleaseInput",
    "PressReleaseView",
    "ScoresInput",
    "SessionInput",
    "SpeakerInput",
    "StatementInput",
    "Trainer",
    "add_course_session",
    "add_material",
    "add_organiser",
    "add_participant",
    "add_session",
    "atom_feed",
    "course_as_dict",
    "course_results",
    "create_course",
    "create_event",
    "create_press_release",
    "create_statement",
    "data_version",
    "delete_event",
    "download_counts",
    "download_publication",
    "dress",
    "endorsers",
    "erase_person",
    "event_as_dict",
    "export_person",
    "format_figure",
    "get_course",
    "get_event",
    "get_press_release",
    "get_statement",
    "icalendar_feed",
    "import_scores",
    "is_organiser",
    "list_courses",
    "list_events",
    "list_participants",
    "list_press_releases",
    "list_scores",
    "list_statements",
    "material_file",
    "media_kit",
    "participant_counts",
    "placeholders",
    "preview_press_release",
    "publish_event",
    "publish_press_release",
    "publish_statement",
    "read_figures",
    "record_scores",
    "register",
    "release_due",
    "remove_course_session",
    "remove_material",
    "remove_participant",
    "remove_session",
    "return_event",
    "scores_sheet",
    "share_statement",
    "sign_statement",
    "signing_organisation",
    "statement_as_dict",
    "submit_event",
    "submit_press_release",
    "submit_statement",
    "update_course",
    "update_event",
    "update_press_release",
    "update_statement",
    "withdraw_event",
]
