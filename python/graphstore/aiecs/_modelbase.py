"""The small model machinery behind the drop-in's data classes (no pydantic).

What a reference user relies on from pydantic, and nothing more: keyword
construction with validation errors that name the field, `model_dump()` /
`model_dump_json()` with the fields in declaration order, `model_copy()`,
`model_validate()`, equality by value, and the v1 aliases `dict()`, `json()`,
`copy()`, `parse_obj()`. Validation happens only at construction, as in the
reference (no validate_assignment).
"""
from __future__ import annotations

import copy as _copy
import json
import math
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from enum import Enum

_MISSING = object()
_EPOCH = datetime(1970, 1, 1)
_UTC = timezone.utc


class ValidationError(ValueError):
    """Construction of a model failed; raised with every field error found.

    Shaped like pydantic's: `str(err)` starts "N validation error(s) for
    <Model>" and names each field; `errors()` returns dicts with `type`,
    `loc` (a tuple), `msg` and `input`; `title` is the model name. It is a
    ValueError, so `except ValueError` catches it as it caught pydantic's.
    """

    def __init__(self, title: str, errors: list) -> None:
        self.title = title
        self._errors = errors
        super().__init__(self._render())

    def errors(self) -> list:
        """A list of the field errors (fresh dicts on every call)."""
        return [dict(e) for e in self._errors]

    def error_count(self) -> int:
        """How many field errors there are."""
        return len(self._errors)

    def _render(self) -> str:
        n = len(self._errors)
        lines = [f"{n} validation error{'s' if n != 1 else ''} for {self.title}"]
        for e in self._errors:
            if e["loc"]:
                lines.append(".".join(str(p) for p in e["loc"]))
            shown = repr(e["input"])
            if len(shown) > 100:
                shown = shown[:48] + "..." + shown[-48:]
            lines.append(f"  {e['msg']} [type={e['type']}, input_value={shown}, "
                         f"input_type={type(e['input']).__name__}]")
        return "\n".join(lines)


class FieldError(Exception):
    """Raised by a field checker; turned into one entry of a ValidationError."""

    def __init__(self, type_: str, msg: str, loc: tuple = (), input=_MISSING) -> None:
        super().__init__(msg)
        self.type = type_
        self.msg = msg
        self.loc = loc
        self.input = input  # the offending item when it is not the field's whole value


def error_entry(loc: tuple, exc: FieldError, value) -> dict:
    """One pydantic-shaped error dict for a checker failure on `value`."""
    return {"type": exc.type, "loc": tuple(loc) + exc.loc, "msg": exc.msg,
            "input": value if exc.input is _MISSING else exc.input}


def value_error_entry(loc: tuple, exc: Exception, value) -> dict:
    """The error dict pydantic builds when a validator raises ValueError."""
    return {"type": "value_error", "loc": tuple(loc), "msg": f"Value error, {exc}",
            "input": value, "ctx": {"error": exc}}


# ----------------------------------------------------------------- checkers
# Each takes the input and returns the value to keep, or raises FieldError.

def check_str(v):
    if isinstance(v, str):
        return v
    raise FieldError("string_type", "Input should be a valid string")


def check_opt_str(v):
    return None if v is None else check_str(v)


def check_bool(v):
    if v is True or v is False:
        return v
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("true", "1", "yes", "on", "y", "t"):
            return True
        if low in ("false", "0", "no", "off", "n", "f"):
            return False
    raise FieldError("bool_parsing", "Input should be a valid boolean")


def check_float(v):
    t = type(v)
    if t is float:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            raise FieldError("float_parsing",
                             "Input should be a valid number, unable to parse string as a number") from None
    if hasattr(v, "__float__") and not isinstance(v, (list, tuple, dict)):
        try:
            return float(v)
        except (TypeError, ValueError):
            pass
    raise FieldError("float_type", "Input should be a valid number")


def check_int(v):
    if type(v) is int:
        return v
    if isinstance(v, bool) or isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        raise FieldError("int_from_float",
                         "Input should be a valid integer, got a number with a fractional part")
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            raise FieldError("int_parsing",
                             "Input should be a valid integer, unable to parse string as an integer") from None
    raise FieldError("int_type", "Input should be a valid integer")


def bounded(check, ge=None, le=None):
    """A checker applying `check` then the inclusive bounds (NaN fails both)."""
    def run(v):
        x = check(v)
        if ge is not None and not x >= ge:
            raise FieldError("greater_than_equal", f"Input should be greater than or equal to {ge}")
        if le is not None and not x <= le:
            raise FieldError("less_than_equal", f"Input should be less than or equal to {le}")
        return x
    return run


def optional(check):
    """A checker that lets None through and applies `check` otherwise."""
    def run(v):
        return None if v is None else check(v)
    return run


def check_dict(v):
    if type(v) is dict:
        for k in v:
            if not isinstance(k, str):
                raise FieldError("string_type", "Input should be a valid string", (k, "[key]"))
        return dict(v)
    if isinstance(v, Mapping):
        return check_dict(dict(v))
    raise FieldError("dict_type", "Input should be a valid dictionary")


def check_str_dict(v):
    d = check_dict(v)
    for k, x in d.items():
        if not isinstance(x, str):
            raise FieldError("string_type", "Input should be a valid string", (k,))
    return d


def _as_list(v):
    if isinstance(v, list):
        return v
    if isinstance(v, (tuple, set, frozenset)) or type(v).__name__ in ("deque", "dict_keys", "dict_values"):
        return list(v)
    raise FieldError("list_type", "Input should be a valid list")


def check_str_list(v):
    items = _as_list(v)
    for i, x in enumerate(items):
        if not isinstance(x, str):
            raise FieldError("string_type", "Input should be a valid string", (i,), x)
    return list(items)


def check_str_set(v):
    if isinstance(v, (set, frozenset, list, tuple)):
        for x in v:
            if not isinstance(x, str):
                raise FieldError("string_type", "Input should be a valid string", (x,))
        return set(v)
    raise FieldError("set_type", "Input should be a valid set")


def check_float_list(v):
    """A list of floats (ints and numeric strings converted), as list[float];
    a 1-D numpy array is accepted too (a query embedding often is one)."""
    if type(v).__name__ == "ndarray" and v.ndim == 1 and v.dtype.kind in "fiub":
        return v.astype(float).tolist()
    items = _as_list(v)
    types = set(map(type, items))
    if types <= {float}:
        return list(items)
    out = []
    for i, x in enumerate(items):
        try:
            out.append(check_float(x))
        except FieldError as exc:
            raise FieldError(exc.type, exc.msg, (i,), x) from None
    return out


def check_datetime(v):
    """A datetime; ISO 8601 strings and Unix timestamps (s or ms) are parsed."""
    if isinstance(v, datetime):
        return v
    if isinstance(v, str):
        try:
            return datetime.fromisoformat(v.strip())
        except ValueError:
            raise FieldError("datetime_from_date_parsing",
                             "Input should be a valid datetime or date, invalid character in year") from None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if math.isnan(v) or math.isinf(v):
            raise FieldError("datetime_parsing", "Input should be a valid datetime")
        seconds = v / 1000 if abs(v) > 2e10 else v
        return datetime.fromtimestamp(seconds, _UTC)
    raise FieldError("datetime_type", "Input should be a valid datetime")


def us_to_datetime(us: int) -> datetime:
    """Microseconds since the Unix epoch (UTC) as a naive UTC datetime."""
    return _EPOCH + timedelta(microseconds=us)


# ---------------------------------------------------------------- dumping

_PLAIN = frozenset((str, int, bool, type(None)))


def dump_value(v, json_mode: bool):
    """A model field value as model_dump() gives it (fresh containers)."""
    t = type(v)
    if t in _PLAIN:
        return v
    if t is dict:
        # JSON-shaped properties are the common case: one comprehension, recursing
        # only into values that are not plain.
        return {k: x if type(x) in _PLAIN or (type(x) is float and not json_mode) else dump_value(x, json_mode)
                for k, x in v.items()}
    if t is list and set(map(type, v)) <= _PLAIN_OR_FLOAT:
        # An embedding or a list of scalars: copied whole; in JSON mode only
        # when every number is finite (a NaN or infinity in the sum shows one).
        if not json_mode or math.isfinite(sum(x for x in v if type(x) is float)):
            return v.copy()
    if v is None or isinstance(v, (str, int, float)) and not isinstance(v, Enum):
        if json_mode and type(v) is float and not math.isfinite(v):
            return None  # pydantic's JSON has no NaN/Infinity tokens either
        return v
    if isinstance(v, datetime):
        return v.isoformat() if json_mode else v
    if isinstance(v, Model):
        return v.model_dump(mode="json" if json_mode else "python")
    if isinstance(v, dict):
        return {k: dump_value(x, json_mode) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [dump_value(x, json_mode) for x in v]
    if isinstance(v, (set, frozenset)):
        return [dump_value(x, True) for x in v] if json_mode else {dump_value(x, False) for x in v}
    if isinstance(v, Enum):
        return v.value if json_mode else v
    if hasattr(v, "tolist"):  # numpy arrays and scalars
        return v.tolist()
    if hasattr(v, "model_dump"):  # a foreign (pydantic) model accepted by attribute
        return v.model_dump(mode="json") if json_mode else v.model_dump()
    return v


_PLAIN_OR_FLOAT = _PLAIN | {float}


def _json_default(v):
    if isinstance(v, datetime):
        return v.isoformat()
    if hasattr(v, "tolist"):
        return v.tolist()
    if isinstance(v, (set, frozenset)):
        return list(v)
    raise TypeError(f"Object of type {type(v).__name__} is not JSON serializable")


def _all_slots(cls) -> tuple:
    names = []
    for klass in reversed(cls.__mro__):
        for s in klass.__dict__.get("__slots__", ()):
            if s not in names:
                names.append(s)
    return tuple(names)


class Model:
    """Base of the drop-in's models: dump, copy, equality and validation helpers.

    Subclasses set `_fields` (names in dump order) and `__slots__`, and
    implement `__init__(**data)` raising ValidationError.
    """

    __slots__ = ()
    _fields: tuple = ()
    __hash__ = None  # mutable, compared by value: unhashable, as pydantic's

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        cls._slot_names = _all_slots(cls)
        cls.model_fields = {name: None for name in cls._fields}

    # --- serialisation
    def model_dump(self, *, mode: str = "python", include=None, exclude=None,
                   exclude_none: bool = False, **_ignored) -> dict:
        """The fields as a dict, in declaration order.

        mode="python" keeps datetimes as datetime objects (as pydantic);
        mode="json" gives ISO 8601 strings and plain lists. `include` and
        `exclude` are sets of field names; `exclude_none` drops None values.
        """
        json_mode = mode == "json"
        out = {}
        for name in self._fields:
            if include is not None and name not in include:
                continue
            if exclude is not None and name in exclude:
                continue
            v = getattr(self, name)
            if exclude_none and v is None:
                continue
            out[name] = dump_value(v, json_mode)
        return out

    def model_dump_json(self, *, indent=None, include=None, exclude=None,
                        exclude_none: bool = False, **_ignored) -> str:
        """model_dump(mode="json") as a JSON string (compact unless `indent`)."""
        data = self.model_dump(mode="json", include=include, exclude=exclude,
                               exclude_none=exclude_none)
        if indent is None:
            return json.dumps(data, separators=(",", ":"), ensure_ascii=False,
                              default=_json_default)
        return json.dumps(data, indent=indent, ensure_ascii=False, default=_json_default)

    def dict(self, **kw) -> dict:
        """Alias of model_dump() (pydantic v1 name)."""
        return self.model_dump(**kw)

    def json(self, **kw) -> str:
        """Alias of model_dump_json() (pydantic v1 name)."""
        return self.model_dump_json(**kw)

    # --- copies
    def model_copy(self, *, update: dict | None = None, deep: bool = False):
        """A copy, shallow unless deep=True, with `update` applied unvalidated.

        A shallow copy shares the properties dict with the original, as
        pydantic's does.
        """
        new = object.__new__(type(self))
        for s in self._slot_names:
            try:
                object.__setattr__(new, s, object.__getattribute__(self, s))
            except AttributeError:
                pass
        if deep:
            new = _copy.deepcopy(new)
        if update:
            for k, v in update.items():
                setattr(new, k, v)
        return new

    def copy(self, *, update: dict | None = None, deep: bool = False):
        """Alias of model_copy() (pydantic v1 name)."""
        return self.model_copy(update=update, deep=deep)

    # --- construction from data
    @classmethod
    def model_validate(cls, obj):
        """Build from a dict (validated), return an instance as is, or read
        the fields of any other object by attribute (a reference model)."""
        if isinstance(obj, cls):
            return obj
        if isinstance(obj, Mapping):
            return cls(**obj)
        data = {}
        for name in cls._fields:
            v = getattr(obj, name, _MISSING)
            if v is not _MISSING:
                data[name] = v
        return cls(**data)

    @classmethod
    def model_validate_json(cls, data):
        """Build from a JSON document (str or bytes) holding one object."""
        return cls.model_validate(json.loads(data))

    @classmethod
    def parse_obj(cls, obj):
        """Alias of model_validate() (pydantic v1 name)."""
        return cls.model_validate(obj)

    @classmethod
    def parse_raw(cls, data):
        """Alias of model_validate_json() (pydantic v1 name)."""
        return cls.model_validate_json(data)

    # --- comparison
    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        for name in self._fields:
            if getattr(self, name) != getattr(other, name):
                return False
        return True


def validate_fields(title: str, spec: tuple, data: dict, target) -> None:
    """Check `data` against `spec` and set the attributes on `target`.

    spec: (name, default, checker) triples; default is _MISSING for a
    required field, a callable for a factory (list, dict, set), else the
    value itself. Keys not in spec are ignored, as pydantic ignores extras.
    Defaults are not validated (pydantic's default). Raises ValidationError
    listing every failing field.
    """
    errors = None
    for name, default, check in spec:
        v = data.get(name, _MISSING)
        if v is _MISSING:
            if default is _MISSING:
                errors = errors or []
                errors.append({"type": "missing", "loc": (name,), "msg": "Field required",
                               "input": data})
                continue
            v = default() if callable(default) else default
        else:
            try:
                v = check(v)
            except FieldError as exc:
                errors = errors or []
                errors.append(error_entry((name,), exc, data[name]))
                continue
            except ValueError as exc:
                errors = errors or []
                errors.append(value_error_entry((name,), exc, data[name]))
                continue
        setattr(target, name, v)
    if errors:
        raise ValidationError(title, errors)
