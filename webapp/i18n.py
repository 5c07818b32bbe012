"""Languages of the web app: fi (default), sv and en, with Flask-Babel.

The locale of a request is the reader's explicit choice (kept in the session by
`/language?lang=sv`), else the best of fi/sv/en in Accept-Language, else Finnish.

Catalogues: the `.po` files under `webapp/translations/` are the source; the `.mo`
files Flask-Babel reads are built from them when the app starts, if missing or older
than their `.po` (so a fresh clone and an edited `.po` just work, and no binary lives
in git). Where the package folder is read-only, they are built in the instance folder.
Refresh the `.po` files after changing strings with
`pybabel extract -F webapp/translations/babel.cfg -o messages.pot webapp` and
`pybabel update -i messages.pot -d webapp/translations`.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Blueprint, Flask, g, redirect, request, session, url_for
from flask_babel import Babel, format_decimal, get_locale, get_translations
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from matching import geo, texts, themes
from matching.schedule import ScheduleError, Weekly

from .security import safe_next

log = logging.getLogger(__name__)
LANGUAGES = ("fi", "sv", "en")  # the first is the default
SOURCE = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
# Each language's name in itself, for the switcher.
NATIVE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}

bp = Blueprint("i18n", __name__)


# ---------------------------------------------------------------- the locale

def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def lang() -> str:
    """The current request's language code: 'fi', 'sv' or 'en'."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else LANGUAGES[0]


def translations() -> NullTranslations:
    """Flask-Babel's `get_translations()`, found once per request and locale.

    Flask-Babel looks the catalogue up again on every call (through `g` three times), and a
    page translates dozens of strings. The one found is kept on `g` beside the locale it is
    for, so `force_locale` and `refresh` (which set another locale) still take effect."""
    locale = get_locale()
    kept = g.get("polku_translations")
    if kept is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    if locale is not None:  # outside a request there is no `g` to keep it on
        g.polku_translations = (locale, found)
    return found


@bp.get("/language")
def set_language() -> Response:
    """Remember `lang` (fi, sv or en) in the session and go back to `next`."""
    chosen = request.args.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        session.permanent = True
    return redirect(safe_next(request.args.get("next")) or url_for("public.index"), code=303)


# ---------------------------------------------------------------- labels in the current language

def label(code: str) -> str:
    """A kind, requirement, support or benefit code in words."""
    return texts.label(code, lang())


def role_label(role: str) -> str:
    """A role in words of the current language."""
    labels = {"youth": _("young person"), "association": _("association"), "coordinator": _("coordinator"),
              "admin": _("administrator")}
    value = getattr(role, "value", role)
    return labels.get(str(value), str(value))


def theme_label(theme_id: str) -> str:
    try:
        return themes.get(theme_id).label(lang())
    except themes.UnknownTheme:
        return theme_id


def language_name(code: str) -> str:
    return texts.language_name(code, lang())


def place_name(name: str | None) -> str:
    if not name:
        return ""
    try:
        return geo.name_in(lang(), name)
    except geo.UnknownPlace:
        return name


def describe_schedule(schedule: list[str] | str | None) -> str:
    """The times in words of the current language; the text as written if it does not parse."""
    if not schedule:
        return ""
    try:
        return Weekly.parse(schedule).describe(lang())
    except ScheduleError:
        return "; ".join([schedule] if isinstance(schedule, str) else schedule)


def _template_context() -> dict[str, object]:
    return {"current_lang": lang(), "languages": LANGUAGES, "native_names": NATIVE_NAMES}


# ---------------------------------------------------------------- catalogues

def _stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Build `target/<lang>/LC_MESSAGES/messages.mo` from each stale `.po` under `source`; the built files.

    Each file is written to a temporary name and renamed, so workers starting together never
    read half a catalogue. Raises OSError if `target` is not writable.
    """
    built = []
    for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if not _stale(po, mo):
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parts[-3])
        mo.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
        try:
            with os.fdopen(fd, "wb") as f:
                write_mo(f, catalog)
            os.replace(tmp, mo)
        except BaseException:
            os.unlink(tmp)
            raise
        built.append(mo)
    return built


def _translation_directory(app: Flask) -> Path:
    try:
        compile_catalogs(SOURCE, SOURCE)
        return SOURCE
    except OSError as e:
        fallback = Path(app.instance_path) / "translations"
        log.warning("cannot build the catalogues in %s (%s); building them in %s", SOURCE, e, fallback)
        compile_catalogs(SOURCE, fallback)
        return fallback


def decimal(value: float, places: int = 2, signed: bool = False) -> str:
    """A number with a decimal comma in Finnish and Swedish ('1,09'), a point in English, optionally signed."""
    pattern = ("+" if signed else "") + "#,##0." + "0" * places
    if signed:
        pattern += ";-#,##0." + "0" * places
    return format_decimal(value, format=pattern)


def init_app(app: Flask, babel: Babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(_translation_directory(app)))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # Jinja's i18n extension adds it. Flask-Babel's own, with the catalogue kept per request
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.register_blueprint(bp)
    app.context_processor(_template_context)
    app.add_template_filter(decimal)
    for helper in (label, theme_label, language_name, place_name, describe_schedule, role_label):
        app.add_template_global(helper)
        app.add_template_filter(helper)
