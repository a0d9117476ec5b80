"""Make Me a Hanzi's stroke data (npm package hanzi-writer-data): finding, reading, checking.

Holds the CJK code-point ranges, :func:`load_character` (one ``<char>.json`` -> its checked
strokes and medians) and :func:`as_character_data`, with which :mod:`mtjlib.tasks.character` accepts
a dict, a character or a JSON path as a character's data; that module describes the data format.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from mtjlib._validate import HUGE, show

__all__ = [
    "CJK_RANGES",
    "as_character_data",
    "is_cjk",
    "load_character",
]

ENV_DIR = "MTJLIB_HANZI_DIR"

#: Unicode blocks of CJK ideographs, radicals and strokes (inclusive code-point ranges).
CJK_RANGES = (
    (0x2E80, 0x2EFF, "CJK Radicals Supplement"),
    (0x2F00, 0x2FDF, "Kangxi Radicals"),
    (0x3007, 0x3007, "ideographic number zero"),
    (0x31C0, 0x31EF, "CJK Strokes"),
    (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xF900, 0xFAFF, "CJK Compatibility Ideographs"),
    (0x20000, 0x2A6DF, "CJK Unified Ideographs Extension B"),
    (0x2A700, 0x2EE5F, "CJK Unified Ideographs Extensions C to F and I"),
    (0x2F800, 0x2FA1F, "CJK Compatibility Ideographs Supplement"),
    (0x30000, 0x323AF, "CJK Unified Ideographs Extensions G and H"),
)

_HOW_TO_GET_DATA = (
    "the character data is the npm package hanzi-writer-data (2.0.1, Arphic Public License): "
    "`make assets` leaves it in _build/npm/node_modules/hanzi-writer-data/, or run "
    "`npm install hanzi-writer-data@2.0.1` and use node_modules/hanzi-writer-data/; then pass "
    f"data_dir=<that folder> or set the environment variable {ENV_DIR}"
)


def is_cjk(char: str) -> bool:
    """True if ``char`` is one code point inside one of :data:`CJK_RANGES`."""
    if not isinstance(char, str) or len(char) != 1:
        return False
    cp = ord(char)
    return any(lo <= cp <= hi for lo, hi, _ in CJK_RANGES)


def _check_char(char: str, name: str = "char") -> None:
    if char == "":
        raise ValueError(f"{name}='' is empty: give one Chinese character, e.g. '师'")
    if len(char) > 1:
        raise ValueError(
            f"{name}={char!r} has {len(char)} characters: give exactly one Chinese character "
            "(draw several by calling once per character)")
    if not is_cjk(char):
        blocks = ", ".join(f"{b} U+{lo:04X}-U+{hi:04X}" for lo, hi, b in CJK_RANGES)
        raise ValueError(
            f"{name}={char!r} (U+{ord(char):04X}) is not a CJK character; allowed: {blocks}")


def _is_path_like(char) -> bool:
    if isinstance(char, os.PathLike):
        return True
    return isinstance(char, str) and len(char) > 1 and (
        char.lower().endswith(".json") or "/" in char or os.sep in char)


def load_character(char: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> dict:
    """Read one character's stroke data (hanzi-writer-data layout).

    Parameters
    ----------
    char : str or path-like
        One Chinese character (a single code point in :data:`CJK_RANGES`), read from
        ``<data_dir>/<char>.json``; or the path of such a JSON file (a ``pathlib.Path``, or a
        string ending in ``.json`` or containing a path separator).
    data_dir : str or path-like, optional
        Folder of ``<char>.json`` files. Default: the environment variable ``MTJLIB_HANZI_DIR``.
        Ignored when ``char`` is a path.

    Returns
    -------
    dict
        ``{"char": str, "strokes": list[str], "medians": list[list[[x, y]]]}``: ``strokes`` are
        the SVG outline paths and ``medians`` the centre polylines, one per stroke in writing
        order, in hanzi-writer's frame (1024-unit box, y up). ``char`` is the character, or the
        file's stem when ``char`` was a path.

    Raises
    ------
    TypeError
        ``char`` is neither a string nor a path.
    ValueError
        ``char`` is empty, has several characters, is not a CJK character, has no file in
        ``data_dir`` (not in the data set), or the file does not hold valid stroke data.
    FileNotFoundError
        No data folder (neither ``data_dir`` nor ``MTJLIB_HANZI_DIR``), the folder does not
        exist, or the JSON file given as a path does not exist; the message says how to get the
        data.
    """
    return _load(char, data_dir, "char")


def _load(char, data_dir, name: str) -> dict:
    """:func:`load_character`, its errors naming the parameter ``name`` as the caller spelled
    it (``data`` for the functions that take a character's data)."""
    if _is_path_like(char):
        path = Path(char)
        if not path.is_file():
            raise FileNotFoundError(f"{name}={str(char)!r}: no such JSON file")
        return _read(path, name=path.stem, source=f"{name}={str(path)!r}")
    if not isinstance(char, str):
        raise TypeError(f"{name}={char!r} must be a one-character str or the path of a JSON file")
    _check_char(char, name)
    if data_dir is None:
        data_dir = os.environ.get(ENV_DIR) or None
        if data_dir is None:
            raise FileNotFoundError(f"no folder of character data for {name}={char!r}: "
                                    + _HOW_TO_GET_DATA)
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"data_dir={data_dir!r} must be a folder path (str or path-like)")
    folder = Path(data_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"data_dir={str(data_dir)!r} is not a folder: "
                                + _HOW_TO_GET_DATA)
    path = folder / f"{char}.json"
    if not path.is_file():
        raise ValueError(
            f"{name}={char!r} (U+{ord(char):04X}) is not in the character data: no file "
            f"{path.name} in data_dir={str(folder)!r} (Make Me a Hanzi covers about 9500 "
            "common simplified and traditional characters)")
    return _read(path, name=char, source=f"{name}={char!r} ({path})")


def _read(path: Path, name: str, source: str) -> dict:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{source}: not a JSON file ({exc})") from None
    data = _validated(raw, source)
    data["char"] = name
    return data


def _validated(raw, source: str) -> dict:
    """``{"strokes", "medians"}`` checked for shape and content (copied, lists of floats)."""
    if not isinstance(raw, dict) or "strokes" not in raw or "medians" not in raw:
        raise ValueError(f"{source}: expected a dict with keys 'strokes' and 'medians'")
    strokes, medians = raw["strokes"], raw["medians"]
    if not isinstance(strokes, list) or not all(isinstance(s, str) for s in strokes):
        raise ValueError(f"{source}: 'strokes' must be a list of SVG path strings")
    if not isinstance(medians, list) or len(medians) != len(strokes) or not strokes:
        raise ValueError(f"{source}: 'medians' must be a list with one polyline per stroke "
                         f"({len(strokes)} strokes), and there must be at least one stroke")
    out = []
    for s, m in enumerate(medians):
        try:
            pts = np.asarray(m, dtype=np.float64)
        except (TypeError, ValueError):
            pts = np.empty((0,))
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 2 or not np.isfinite(pts).all() \
                or np.abs(pts).max() > HUGE:
            raise ValueError(f"{source}: median of stroke {s} must be a list of at least two "
                             f"finite [x, y] points within +-{HUGE:g}")
        if not np.any(np.hypot(*np.diff(pts, axis=0).T) > 0):
            raise ValueError(f"{source}: median of stroke {s} has zero length")
        out.append(pts.tolist())
    if not isinstance(raw.get("char"), (str, type(None))):
        raise TypeError(f"{source}: 'char' must be a str, got {show(raw['char'])}")
    return {"char": raw.get("char"), "strokes": list(strokes), "medians": out}


def as_character_data(data) -> dict:
    """A character's data, checked: ``data`` is the dict of :func:`load_character` (or any
    dict with ``strokes`` and ``medians``), a character read from ``MTJLIB_HANZI_DIR``, or the
    path of a JSON file; errors name the parameter ``data``. What the functions of
    :mod:`mtjlib.tasks.character` call on their ``data`` argument."""
    if isinstance(data, dict):
        return _validated(data, "data")
    if isinstance(data, (str, os.PathLike)):
        return _load(data, None, "data")
    raise TypeError(f"data={show(data)} must be the dict of load_character, a character or "
                    "the path of a JSON file")
