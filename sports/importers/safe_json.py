"""Reading JSON that anyone may have written: the festival file and the result API's bodies.

Before the structure is validated, the text itself is checked, so that no value reaches a
model, a domain rule or the database that one of them cannot hold:

* nesting deeper than the format needs is refused before the parser recurses into it;
* ``NaN``, ``Infinity`` and numbers too large to be a float are refused (JSON has no such
  numbers; Python's parser accepts them by default);
* an integer must fit the database's integer columns (±2^31−1), which also keeps the parser
  away from integers of thousands of digits;
* text may not contain NUL (PostgreSQL cannot store it) or an unpaired surrogate (``"\\ud800"``:
  not a character, it cannot be written as UTF-8).

Every refusal is a :class:`UnsafeJson` whose problems each start with their location
(``events[0].entries[3].seed: …``), in the festival file's notation.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_INT = 2**31 - 1  # the Integer columns of PostgreSQL and the ids in URLs
_MAX_DIGITS = len(str(MAX_INT)) + 1  # longer integer literals are not even converted

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[{]|[\]}]")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


class UnsafeJson(Exception):
    """The text is JSON no field can hold; ``problems`` are located Vietnamese sentences."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class _Refused:
    """A number the parser met that no field may hold, kept to be reported with its place."""

    def __init__(self, literal: str, why: str):
        self.literal = literal
        self.why = why


def _parse_int(literal: str):
    digits = literal.lstrip("-")
    if len(digits) > _MAX_DIGITS or abs(int(literal)) > MAX_INT:
        shown = literal if len(literal) <= 24 else f"{literal[:12]}…({len(digits)} chữ số)"
        return _Refused(shown, f"số nguyên {shown} quá lớn — giới hạn là ±{MAX_INT}")
    return int(literal)


def _parse_float(literal: str):
    value = float(literal)
    if not math.isfinite(value):
        shown = literal if len(literal) <= 24 else literal[:21] + "…"
        return _Refused(shown, f"phải là một số hữu hạn, không phải {shown}")
    return value


def _parse_constant(name: str):
    return _Refused(name, f"phải là một số hữu hạn, không phải {name}")


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings skipped), without parsing."""
    deepest = level = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def _at(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not re.fullmatch(r"[^\s.:\[\]\"]{1,40}", str(key)):
        # A key that would not read as a name (empty, spaces, dots, very long): quoted, cut.
        return f"{path}[{json.dumps(str(key)[:40], ensure_ascii=False)}]"
    return f"{path}.{key}" if path else str(key)


def _text_problem(value: str) -> str | None:
    bad = _BAD_CHAR.search(value)
    if bad is None:
        return None
    if bad.group() == "\x00":
        return f"chuỗi chứa ký tự NUL (\\u0000) ở vị trí {bad.start() + 1} — ký tự này không được phép"
    return (f"chuỗi chứa mã \\u{ord(bad.group()):04x} đứng riêng ở vị trí {bad.start() + 1} "
            "— không phải một ký tự (nửa cặp thay thế UTF-16)")


def problems(value: Any, root: str = "") -> list[str]:
    """Located problems of a parsed value: refused numbers, NUL and lone surrogates (keys too)."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [(root, value)]
    while stack:
        path, item = stack.pop()
        where = path or "(tệp)"
        if isinstance(item, _Refused):
            found.append(f"{where}: {item.why}")
        elif isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                found.append(f"{where}: {problem}")
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                problem = _text_problem(key)
                if problem:
                    found.append(f"{where}: tên trường {problem}")
                    continue
                stack.append((_at(path, key), child))
        elif isinstance(item, list):
            stack.extend((_at(path, i), child) for i, child in reversed(list(enumerate(item))))
    return found


def loads(text: str, *, max_depth: int, root: str = "") -> Any:
    """Parse ``text`` (json.JSONDecodeError for a syntax error, as json.loads), or UnsafeJson."""
    deepest = depth(text)
    if deepest > max_depth:
        raise UnsafeJson([f"{root or '(tệp)'}: JSON lồng nhau {deepest} cấp, tối đa {max_depth} cấp"])
    data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    found = problems(data, root)
    if found:
        raise UnsafeJson(found)
    return data
