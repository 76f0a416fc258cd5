"""The language of what a user reads at the terminal: errors, ledgers, progress, notes.

Messages are written in English in the code, marked for translation::

    from toolkit.i18n import gettext as _, ngettext
    raise InputError(_("no folder {folder}").format(folder=path))

and translated through the gettext catalogue ``toolkit/locale/zh_CN/LC_MESSAGES/messages.mo``
(Babel extracts and compiles it: ``make messages``, docs/messages.md). Simplified Chinese
is the default, for the library as for the command line, whatever the locale (a cron job
runs with none, or with C); English on request: ``toolkit --lang en`` or an English
locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``: :func:`language_from_env`).

Importing this module changes nothing in the process: no ``gettext.install``, no
built-in ``_``; the catalogue is read on the first message and only this module's own
choice (:func:`set_language`) changes which language the next message is in.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: the languages a user can ask for (``--lang``) and the catalogue of each (None: the msgids)
LANGUAGES = {"zh": "zh_CN", "en": None}
DEFAULT_LANGUAGE = "zh"
#: the locale variables, in the order gettext reads them
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_state: dict[str, object] = {"language": DEFAULT_LANGUAGE, "translation": None}


def _translation() -> _gettext.NullTranslations:
    tr = _state["translation"]
    if tr is None:
        catalogue = LANGUAGES[_state["language"]]
        tr = (_gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalogue], fallback=True)
              if catalogue else _gettext.NullTranslations())
        _state["translation"] = tr
    return tr


def set_language(language: str | None) -> str:
    """Make ``language`` (``zh`` or ``en``; None: the default, Chinese) the language of
    the messages from now on; returns it."""
    language = language or DEFAULT_LANGUAGE
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: one of {', '.join(LANGUAGES)}")
    if language != _state["language"]:
        _state["language"] = language
        _state["translation"] = None
    return language


def current_language() -> str:
    """The language the next message is in (``zh`` or ``en``)."""
    return _state["language"]


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: ``en`` when ``LANGUAGE`` (a colon-separated
    list; its first English or Chinese entry) or else the first set of ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` is English (``en_US.UTF-8``, ``en``); Chinese otherwise —
    for a Chinese locale, for C and POSIX (cron's) and for none at all."""
    env = os.environ if environ is None else environ
    for part in (env.get("LANGUAGE") or "").split(":"):
        code = _code(part)
        if code in LANGUAGES:
            return code
    for name in LOCALE_VARIABLES[1:]:
        value = env.get(name)
        if value:
            code = _code(value)
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _code(locale_name: str) -> str:
    """``en_US.UTF-8`` -> ``en``; ``zh_CN`` -> ``zh``; ``C.UTF-8`` -> ``c``."""
    return locale_name.strip().split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()


def gettext(message: str) -> str:
    """``message`` (an English msgid) in the current language."""
    return _translation().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or the plural form for ``n``, in the current language."""
    return _translation().ngettext(singular, plural, n)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue where it is defined (a table of messages);
    it is translated where it is shown, with :func:`gettext`."""
    return message
