"""Plain data for the questionnaire templates, computed in Python once per request, and the items'
markup rendered from them.

The section page renders up to ~40 items and the full view 300, answerable or read-only, through the
same Jinja2 widgets (``templates/jinja2/questionnaire/``): Jinja2 compiles them, where the Django
engine spent most of the page resolving the ~1,000 variables of the items. What never changes for a
published questionnaire version (an item's heading, its level radios but for the checked one, the
read-only level badges) is rendered once through those widgets and memoised per process.
"""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from markupsafe import Markup

from assessments.selectors import AnswerData, answer_declarations, is_complete, structure
from assessments.services import declaration_expected
from questionnaires import levels as vocabulary
from questionnaires.definition import wave_words

ITEMS_TEMPLATE = "questionnaire/items.html"
ITEM_TEMPLATE = "questionnaire/item.html"
SECTION_MENU_TEMPLATE = "questionnaire/section_menu.html"
THREAD_TEMPLATE = "questionnaire/thread.html"
ASSESSMENT_HEADER_TEMPLATE = "questionnaire/assessment_header.html"
SESSION_ALERT_TEMPLATE = "questionnaire/session_alert.html"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def person(answer: AnswerData, viewer_id: int | None = None) -> str:
    if answer.updated_by_id is None:
        return "une personne"
    if viewer_id is not None and answer.updated_by_id == viewer_id:
        return "vous"
    name = f"{answer.first_name or ''} {answer.last_name or ''}".strip()
    return name or answer.email or ""


def when(moment, zone=None) -> str:
    """``moment`` in words, in ``zone`` (the current time zone by default: look it up once per page)."""
    local = moment.astimezone(zone or timezone.get_current_timezone())
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} à {local.hour:02d}:{local.minute:02d}"


def section_menu(assessment, progress: dict, current: int | None) -> list[dict]:
    """The side menu's entries: sections with an applicable item, each with its link and its figures
    already as text (one ``reverse`` for all, and no number localisation in the template: measured,
    the menu cost more than the 40 items of a section)."""
    base = reverse("portal:assessments:section", args=[assessment.public_id, 0])[: -len("0/")]
    return [
        {
            "index": str(section["index"]),
            "label": f"{section['code']} {section['title']}",
            "url": f"{base}{section['index']}/",
            "figures": f"{section['answered']}/{section['total']}",
            "active": section["index"] == current,
        }
        for section in progress["sections"]
        if section["total"]
    ]


def section_menu_html(assessment, menu: list[dict]) -> Markup:
    """The side menu's markup (``menu`` from ``section_menu``)."""
    template = engines["jinja2"].env.get_template(SECTION_MENU_TEMPLATE)
    full_url = reverse("portal:assessments:full", args=[assessment.public_id])
    return Markup(template.render(menu=menu, full_url=full_url))


def render_jinja2(template_name: str, context: dict) -> Markup:
    """A Jinja2 template of ``templates/jinja2/`` rendered (autoescaped) into a Django page."""
    return Markup(engines["jinja2"].env.get_template(template_name).render(context))


def assessment_header(assessment, product, here: str) -> dict:
    """What the breadcrumb and title line of an assessment page show (``here``: the page's label)."""
    version = assessment.questionnaire_version
    return {
        "products_url": reverse("portal:products:list"),
        "product_url": reverse("portal:products:detail", args=[product.public_id]),
        "assessment_url": reverse("portal:assessments:detail", args=[assessment.public_id]),
        "product": product.display_name,
        "version": assessment.product_version.label,
        "questionnaire": version.questionnaire.title,
        "number": version.number,
        "state": assessment.get_state_display(),
        "here": here,
    }


def assessment_header_html(header: dict) -> Markup:
    return render_jinja2(ASSESSMENT_HEADER_TEMPLATE, {"header": header})


@lru_cache(maxsize=1)
def session_alert_html() -> Markup:
    """The section page's session-expiry alerts: the same on every page, rendered once."""
    resumed = quote(reverse("accounts:session_resumed"), safe="/")
    return render_jinja2(SESSION_ALERT_TEMPLATE, {"login_url": f"{reverse('accounts:login')}?next={resumed}"})


def level_scale(struct) -> list[dict]:
    return vocabulary.with_text_colour(struct.levels)


def anchor(code: str) -> str:
    return "item-" + code.replace(".", "-")


def _widgets(name: str):
    """The macros of ``templates/jinja2/questionnaire/widgets/<name>.html``."""
    return engines["jinja2"].env.get_template(f"questionnaire/widgets/{name}.html").module


def _scale_options(struct, descriptions: dict) -> list[dict]:
    return [
        {
            "code": level["code"],
            "label": f"{capfirst(level['code'])} — {level['label']}",
            "colour": level["colour"],
            "text": level["text"],
            "kind": "level",
            "hint": descriptions.get(level["code"], ""),
        }
        for level in level_scale(struct)
    ]


@lru_cache(maxsize=8192)
def item_parts(version_id: int, code: str, editable: bool) -> dict:
    """The widgets of an item that a published version fixes, rendered once: its heading and, when
    answerable, its level radios for each answer it can have (``choices``: {level code: markup})."""
    struct = structure(version_id)
    item = struct.items_by_code[code]
    prefix = anchor(code)
    shown = {
        "code": code,
        "title": item["title"],
        "help_text": item.get("help_text") or "",
        "reference": item.get("reference") or "",
        "wave": wave_words(item.get("wave")),
    }
    heading = _widgets("heading").heading(shown, prefix, editable)
    if not editable:
        return {"heading": heading}
    descriptions = item.get("level_descriptions") or {}
    options = _scale_options(struct, descriptions)
    if item["na_allowed"]:
        na = vocabulary.outside_scale()[0]
        options.append(
            {**na, "kind": "na", "hint": descriptions.get(vocabulary.NA_LEVEL) or vocabulary.NA_HINT}
        )
    choices = _widgets("level").choices
    values = [vocabulary.UNANSWERED_LEVEL, *(option["code"] for option in options)]
    return {"heading": heading, "choices": {value: choices(options, prefix, value) for value in values}}


@lru_cache(maxsize=256)
def level_badges(version_id: int) -> dict[str, Markup]:
    """The read-only badge of each answer a version allows (its levels, N/A, no answer), rendered once."""
    level = _widgets("level").level
    outside = [
        {**option, "kind": "na" if option["code"] == vocabulary.NA_LEVEL else "unanswered", "hint": ""}
        for option in vocabulary.outside_scale()
    ]
    options = [*_scale_options(structure(version_id), {}), *outside]
    return {option["code"]: level(option, "", False) for option in options}


@lru_cache(maxsize=16)
def justification_label(needs_url: str) -> Markup:
    return _widgets("justification").label_text(needs_url)


@lru_cache(maxsize=8192)
def blank_justification(code: str, na_checked: bool, label: Markup) -> Markup:
    """The justification area of an answerable item while empty: it depends only on the item's code,
    whether N/A is chosen and the area's label; rendered once by the widget, then reused."""
    row = {"anchor": anchor(code), "na_checked": na_checked, "justification": ""}
    return _widgets("justification").justification(row, True, label)


@lru_cache(maxsize=8192)
def blank_comment(code: str) -> Markup:
    """The comment area of an answerable item while empty (most of them): rendered once per code."""
    return _widgets("comment").comment({"anchor": anchor(code), "comment": ""}, True)


def items_html(rows: list[dict], *, editable: bool, version_id: int | None = None) -> Markup:
    """The items' markup (``rows`` from ``item_rows`` with the same ``editable``; ``version_id``: their
    questionnaire version, to reuse the markup of read-only items that show only their level)."""
    if not editable and version_id is not None:
        for row in rows:
            row["markup"] = _level_only_item(version_id, row)
    template = engines["jinja2"].env.get_template(ITEMS_TEMPLATE)
    return Markup(template.render(rows=rows, editable=editable))


# Read-only items showing nothing but their heading and level badge (no comment, N/A, help link,
# proof, remark nor "à revoir"): most of the full view. Their markup depends only on the version, the
# item and the level: rendered once through the item widget, then reused.
_level_only_items: dict[tuple[int, str, str], Markup] = {}
LEVEL_ONLY_ITEMS_MAX = 50_000


def _level_only_item(version_id: int, row: dict) -> Markup | None:
    if (
        row["na_checked"]
        or row["comment"]
        or row["help_links"]
        or row["proofs"]
        or row["thread"]
        or row["to_review"]
        or row["declaration"]
    ):
        return None
    key = (version_id, row["code"], row["level"])
    if (markup := _level_only_items.get(key)) is None:
        if len(_level_only_items) >= LEVEL_ONLY_ITEMS_MAX:
            _level_only_items.clear()
        item = engines["jinja2"].env.get_template(ITEM_TEMPLATE).module.item
        markup = _level_only_items[key] = item(row, False)
    return markup


def item_rows(
    *,
    assessment,
    struct,
    items,
    answers: dict[int, AnswerData],
    comments=None,
    viewer=None,
    editable=True,
    reply_to: dict | None = None,
    help_links: dict[str, list[dict]] | None = None,
    extras=None,
) -> list[dict]:
    """One dict per item with everything the item markup shows. ``comments``: the threads the vendor
    may read (``instruction.selectors.comment_threads(..., published_only=True)``), by item id;
    ``reply_to``: {"url", "csrf_token"} when the person may answer them; ``help_links``: the help
    centre's answers explaining each item ({code: [{"title", "url"}]}, helpcentre.selectors);
    ``extras``: ``declaration_extras`` of these items (read here when not given)."""
    labels = level_labels(struct)
    comments = comments or {}
    save_base = reverse("portal:assessments:answer_save", args=[assessment.public_id, "CODE"])[
        : -len("CODE/")
    ]
    badges = None if editable else level_badges(struct.version_id)
    label = justification_label(settings.NEEDS_EXPRESSION_URL) if editable else ""
    zone = timezone.get_current_timezone()
    viewer_id = viewer.pk if viewer is not None else None  # once: request.user is a lazy object
    if extras is None:
        extras = declaration_extras(assessment, items)
    rows = []
    for item in items:
        row = item_row(
            item,
            answers.get(item["id"]),
            labels=labels,
            save_base=save_base,
            viewer_id=viewer_id,
            zone=zone,
        )
        row["parts"] = parts = item_parts(struct.version_id, item["code"], editable)
        if editable:
            choices = parts["choices"]
            row["choices"] = choices.get(row["level"], choices[vocabulary.UNANSWERED_LEVEL])
            if not row["justification"]:
                row["blank_justification"] = blank_justification(item["code"], row["na_checked"], label)
            if not row["comment"]:
                row["blank_comment"] = blank_comment(item["code"])
        else:
            row["badge"] = badges.get(row["level"], badges[vocabulary.UNANSWERED_LEVEL])
        row["justification_label"] = label
        row["help_links"] = (help_links or {}).get(item["code"], [])
        if roots := comments.get(item["id"]):
            row["thread"] = item_thread(item["code"], roots, viewer=viewer, zone=zone, reply_to=reply_to)
        declarant, declarant_role, declared_on, to_review = extras.get(item["id"], ("", "", None, False))
        row |= {
            "declaration": declaration_expected(item, assessment.qualification),
            "declarant": declarant,
            "declarant_role": declarant_role,
            "declared_on": declared_on.isoformat() if declared_on else "",
            "declared_on_text": declared_on.strftime("%d/%m/%Y") if declared_on else "",
            "to_review": to_review,
        }
        rows.append(row)
    return rows


def item_thread(
    code: str, roots: list, *, viewer=None, zone=None, reply_to=None, error="", typed=None
) -> dict:
    """What the thread of the reviewer's remarks on item ``code`` shows the vendor (``roots``: the
    remarks, each with ``thread_replies``). ``error`` and ``typed`` ({remark pk: text}): a refused reply."""
    zone = zone or timezone.get_current_timezone()
    typed = typed or {}
    return {
        "code": code,
        "anchor": anchor(code),
        "roots": [
            {
                **_message(root, viewer, zone),
                "pk": root.pk,
                "typed": typed.get(root.pk, ""),
                "replies": [_message(reply, viewer, zone) for reply in root.thread_replies],
            }
            for root in roots
        ],
        "reply_to": reply_to,
        "error": error,
    }


def _message(comment, viewer, zone) -> dict:
    author = comment.author
    if author.is_reviewer:
        who = "L'instructeur de l'agence"
    elif viewer is not None and author.pk == viewer.pk:
        who = "Vous"
    else:
        who = author.get_full_name() or author.email
    return {"who": who, "when": when(comment.created_at, zone), "body": comment.body}


def declaration_extras(assessment, items) -> dict[int, tuple]:
    """Sworn declarations and "à revoir" flags of ``items`` (one query, none when no item can have
    them: no declaration condition and an assessment that was not carried over)."""
    if not assessment.carried_from_id and not any(item.get("declaration_condition") for item in items):
        return {}
    return answer_declarations(assessment, [item["id"] for item in items])


def level_labels(struct) -> dict[str, str]:
    return {level["code"]: level["label"] for level in struct.levels}


def item_row(
    item, answer: AnswerData | None, *, labels, save_base="", viewer_id: int | None = None, zone=None
) -> dict:
    """What an item shows of its answer (``labels``: the version's level labels by code)."""
    level = answer.level if answer else ""
    justification = answer.justification if answer else ""
    saved = answer is not None and answer.revision > 0 and answer.updated_at is not None
    return {
        "code": item["code"],
        "anchor": anchor(item["code"]),
        "na_allowed": item["na_allowed"],
        "na_checked": level == vocabulary.NA_LEVEL,
        "level": level,
        "level_label": vocabulary.level_label(level, labels),
        "justification": justification,
        "comment": answer.comment if answer else "",
        "revision": answer.revision if answer else 0,
        "saved_by": person(answer, viewer_id) if saved else "",
        "saved_at": when(answer.updated_at, zone) if saved else "",
        "complete": is_complete(level, justification),
        "save_url": f"{save_base}{item['code']}/",
        "thread": None,
        "proofs": None,
        "markup": None,
        "blank_justification": None,
        "blank_comment": None,
        "declaration": False,
        "declarant": "",
        "declarant_role": "",
        "declared_on": "",
        "declared_on_text": "",
        "to_review": False,
    }
