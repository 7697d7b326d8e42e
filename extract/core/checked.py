"""Checked settings: the base of every stage's settings dataclass (in the manner of pdfplumber's ``TableSettings``).

A settings class is a frozen dataclass deriving from ``Checked`` whose fields are declared with ``setting`` (a
default and the rule its value must follow). A value is checked when the object is made: a bad one names itself
("LayoutSettings.rule_snap must be a number > 0, not -1"). ``from_dict`` and ``replace`` refuse a key the class does
not have, by name; a whole number given for a decimal field is taken as that decimal (JSON writes 14.0 as 14), and
a list for a pair as the pair.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from typing import Any, Callable


class SettingsError(ValueError):
    """A bad settings value or an unknown settings key; the message names it."""


@dataclass(frozen=True)
class Rule:
    """What a setting's value must be: ``text`` completes "must be ...", ``test`` says whether a value is."""

    text: str
    test: Callable[[Any], bool]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value  # not NaN


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


POSITIVE = Rule("a number > 0", lambda v: _number(v) and v > 0)
NON_NEGATIVE = Rule("a number >= 0", lambda v: _number(v) and v >= 0)
SHARE = Rule("a number between 0 and 1", lambda v: _number(v) and 0 <= v <= 1)
COUNT = Rule("a whole number >= 1", lambda v: _whole(v) and v >= 1)
COUNT_0 = Rule("a whole number >= 0", lambda v: _whole(v) and v >= 0)
GREY = Rule("a grey level, a whole number from 0 to 255", lambda v: _whole(v) and 0 <= v <= 255)
NUMBER = Rule("a number", _number)
RANGE = Rule("two numbers, the first > 0 and not above the second",
             lambda v: isinstance(v, tuple) and len(v) == 2 and all(_number(x) for x in v) and 0 < v[0] <= v[1])
SIZE = Rule("two whole numbers >= 1", lambda v: isinstance(v, tuple) and len(v) == 2 and all(
    _whole(x) and x >= 1 for x in v))


def setting(default: Any, rule: Rule) -> Any:
    """A settings field: its default and its rule."""
    return field(default=default, metadata={"rule": rule})


def nested(cls: type) -> Any:
    """A field holding another settings object (made with its defaults unless given)."""
    return field(default_factory=cls, metadata={"nested": cls})


@dataclass(frozen=True)
class Checked:
    """Base of the settings classes: checked on creation, built from plain data by ``from_dict``."""

    def __post_init__(self) -> None:
        name = type(self).__name__
        for f in fields(self):
            value = getattr(self, f.name)
            if "nested" in f.metadata:
                if not isinstance(value, f.metadata["nested"]):
                    raise SettingsError(f"{name}.{f.name} must be a {f.metadata['nested'].__name__}, not {value!r}")
                continue
            rule = f.metadata.get("rule")
            if rule is None:
                continue
            if isinstance(value, list):
                value = tuple(value)
            if isinstance(f.default, float) and _whole(value):
                value = float(value)  # 14 for 14.0: the same setting, and the same repr in cache keys
            if isinstance(f.default, tuple) and isinstance(value, tuple):
                value = tuple(float(x) if isinstance(d, float) and _whole(x) else x for x, d in zip(value, f.default))
            if not rule.test(value):
                raise SettingsError(f"{name}.{f.name} must be {rule.text}, not {getattr(self, f.name)!r}")
            if value is not getattr(self, f.name):
                object.__setattr__(self, f.name, value)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.init]

    @classmethod
    def _refuse_unknown(cls, keys) -> None:
        unknown = [k for k in keys if k not in cls.names()]
        if unknown:
            raise SettingsError(f"{cls.__name__} has no setting {unknown[0]!r} (its settings: "
                                f"{', '.join(cls.names())})")

    @classmethod
    def from_dict(cls, data: dict) -> "Checked":
        """Settings from plain data (a section of a settings file): keys the class has, nested sections as dicts;
        unknown keys refused by name, missing ones left at their defaults."""
        if not isinstance(data, dict):
            raise SettingsError(f"{cls.__name__} must be given as a mapping of settings, not {data!r}")
        cls._refuse_unknown(data)
        kinds = {f.name: f.metadata.get("nested") for f in fields(cls)}
        return cls(**{k: kinds[k].from_dict(v) if kinds[k] and isinstance(v, dict) else v for k, v in data.items()})

    def replace(self, **changes: Any) -> "Checked":
        """A copy with ``changes`` (checked; an unknown name refused by name)."""
        self._refuse_unknown(changes)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        """The settings as plain data (``from_dict`` reads it back)."""
        data = {}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = value.to_dict() if isinstance(value, Checked) else list(value) if isinstance(
                value, tuple) else value
        return data
