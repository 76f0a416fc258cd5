"""A rules file's YAML read strictly (docs/rules.md, "How strict the reading is").

PyYAML's safe loader lets the last of two equal keys win and expands aliases without
limit (a kilobyte of nested aliases is gigabytes once expanded). A rules file is
policy: a key stated twice is an error naming both lines, and aliases (``*name``) are
refused outright: the documented schema never needs them (a year repeats another's
rules with ``extends:``, :mod:`toolkit.rules.carry`), so there is no bound to tune. The
check runs on the composed node graph, before any value is built: an alias is a node
reached twice.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from toolkit.exceptions import RulesError
from toolkit.i18n import gettext as _

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where PyYAML has it (ten times faster)


class _StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader, refusing aliases and keys stated twice in one mapping."""

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _refuse_aliases(node)
        return node

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # an unhashable key: the constructor says so below
                    continue
                if first is not key_node:
                    raise DuplicateKey(key, first.start_mark.line + 1, key_node.start_mark.line + 1)
        return super().construct_mapping(node, deep=deep)


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key, first: int, second: int) -> None:
        super().__init__(f"the key {key!r} is stated twice in one mapping, on lines {first} and {second}")
        self.key, self.lines = key, (first, second)


class AliasRefused(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__(f"a YAML alias (*name) repeats the node of line {line}: aliases are not accepted "
                         "in a rules file (write the value out, or use extends: for another year's rules)")
        self.line = line


def _refuse_aliases(root) -> None:
    """Stop at the first node reached a second time (an alias; a graph, not a tree)."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            raise AliasRefused(node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                todo.extend((v, k))


def read_rules_yaml(p: Path, data: bytes):
    """The YAML of the rules file ``p`` (its bytes ``data``), read strictly; a
    :class:`RulesError` naming the file (and the lines) when it cannot be."""
    try:
        return yaml.load(data.decode("utf-8"), Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError as exc:
        raise RulesError(_("the rules file is not UTF-8"), file=p, value=str(exc)) from None
    except DuplicateKey as exc:
        raise RulesError(str(exc), file=p, row=exc.lines[1],
                         hint=_("keep one of them: PyYAML would silently take the last")) from None
    except AliasRefused as exc:
        raise RulesError(str(exc), file=p, row=exc.line) from None
    except yaml.YAMLError as exc:
        raise RulesError(_("the rules file is not valid YAML: {exc}").format(exc=exc), file=p) from None
    except RecursionError:
        raise RulesError(_("the rules file is nested too deeply to be a rules file"), file=p) from None
