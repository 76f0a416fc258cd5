"""The command line's parser in the user's language: argparse's own words (``usage``,
``the following arguments are required``, ...) through the toolkit's catalogue, and a
mistyped option or command named with the nearest ones (``--yaer``: ``--year``?).

argparse looks its words up through the module-level ``_`` and ``ngettext`` it imports
from :mod:`gettext`; :func:`parser_language` points them at :mod:`toolkit.i18n` while
the command line builds and runs its parser, and puts them back after (importing this
module changes nothing).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from contextlib import contextmanager

from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.i18n import ngettext

#: argparse's messages a user can meet, for the catalogue (the words of Python 3.11 to 3.13)
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unexpected option string: %s"),
)

def _plural_marks() -> None:  # never called: marks argparse's one plural for the catalogue
    ngettext("expected %s argument", "expected %s arguments", 2)


@contextmanager
def parser_language():
    """While it lasts, argparse speaks the language of :mod:`toolkit.i18n`."""
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext") if hasattr(argparse, name)}
    argparse._, argparse.ngettext = _, ngettext
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(argparse, name, value)


_NUMBER = re.compile(r"^-\d+(\.\d*)?$")
#: how alike a word and a known option (a command) must be to be named (difflib's ratio:
#: --quite names --quiet, not --out; rnu names run)
CUTOFF, COMMAND_CUTOFF = 0.7, 0.6


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose error names a mistyped option or command with the nearest
    ones, in the user's language, and exits 2 (a user's mistake)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[str] = []  # the words this parser was given
        self.commands: dict[str, Parser] = {}

    def add_subparsers(self, **kwargs):
        action = super().add_subparsers(**kwargs)
        self.commands = action.choices
        return action

    def parse_known_args(self, args=None, namespace=None):
        self.seen = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        message = self.typo() or message
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")

    def options(self) -> list[str]:
        """The option strings this parser knows, and the chosen command's."""
        known = set(self._option_string_actions)  # argparse keeps no public list of them
        command = next((w for w in self.seen if w in self.commands), None)
        if command is not None:
            known |= set(self.commands[command].options())
        return sorted(known)

    def typo(self) -> str | None:
        """The message naming the first word that is no option or command, with the
        nearest ones; None when every word is known (argparse's message then stands)."""
        if self.commands and not any(w in self.commands for w in self.seen):
            for word in self.seen:  # no command given: a mistyped one?
                near = difflib.get_close_matches(word, list(self.commands), n=3, cutoff=COMMAND_CUTOFF)
                if not word.startswith("-") and near:
                    return _("unknown command {word}; did you mean {commands}?").format(
                        word=word, commands=_(" or ").join(near))
            return None
        known = self.options()
        for word in self.seen:
            if word == "--":
                break
            if word.startswith("-") and not _NUMBER.match(word):
                name = word.split("=", 1)[0]
                if name in known or (name.startswith("--") and any(k.startswith(name) for k in known)):
                    continue
                near = difflib.get_close_matches(name, known, n=3, cutoff=CUTOFF)
                if near:
                    return _("unknown option {word}; did you mean {options}?").format(
                        word=name, options=_(" or ").join(near))
                return _("unknown option {word} (toolkit {command}-h lists the options)").format(
                    word=name, command=self._command_words())
        return None

    def _command_words(self) -> str:
        words = self.prog.split()[1:]
        return " ".join(words) + " " if words else ""
