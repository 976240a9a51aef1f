"""Palettes (palettes/*.json, Sources/Layouts/Palette.swift): class ids, names, colours, optional ignore id."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Optional


class PaletteError(ValueError):
    pass


@dataclass(frozen=True)
class PaletteClass:
    id: int
    name: str
    color: tuple


@dataclass(frozen=True)
class Palette:
    name: str
    classes: tuple
    description: str = ""
    ignore: Optional[int] = None

    @property
    def count(self) -> int:
        return len(self.classes)

    @classmethod
    def from_dict(cls, d: dict, source: str = "palette") -> "Palette":
        try:
            classes = tuple(PaletteClass(int(c["id"]), str(c["name"]), tuple(int(v) for v in c["color"]))
                            for c in d["classes"])
            palette = cls(name=str(d["name"]), classes=classes, description=d.get("description") or "",
                          ignore=d.get("ignore"))
        except (KeyError, TypeError, ValueError) as error:
            raise PaletteError(f"{source}: is not a valid palette ({error})") from None
        ids = [c.id for c in classes]
        if not classes or len(set(ids)) != len(ids) or any(not 0 <= i <= 255 for i in ids):
            raise PaletteError(f"{source}: class ids must be distinct, 0-255, and at least one")
        return palette

    @classmethod
    def from_json(cls, text: str, source: str = "palette") -> "Palette":
        try:
            return cls.from_dict(json.loads(text), source)
        except json.JSONDecodeError:
            raise PaletteError(f"{source}: is not valid JSON") from None

    @classmethod
    def load(cls, name_or_path: str) -> "Palette":
        """A palette file, or a bundled palette by name (palettes/NAME.json of the repository)."""
        path = name_or_path
        if not os.path.exists(path):
            path = os.path.join(bundled_palettes_directory(), name_or_path + ".json")
        if not os.path.exists(path):
            raise PaletteError(f"{name_or_path}: no such palette file or bundled palette")
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read(), path)

    def to_json(self) -> str:
        """As Swift's Palette.encodeJSON: pretty-printed (2 spaces, ' : '), sorted keys."""
        d = {"name": self.name, "classes": [{"id": c.id, "name": c.name, "color": list(c.color)} for c in self.classes]}
        if self.description:
            d["description"] = self.description
        if self.ignore is not None:
            d["ignore"] = self.ignore
        return json.dumps(d, sort_keys=True, indent=2, separators=(",", " : "), ensure_ascii=False)

    def index_table(self):
        """256 entries: palette position of each id; -1 for the ignore id when it is not a class; -2 unknown."""
        table = [-2] * 256
        for position, c in enumerate(self.classes):
            table[c.id] = position
        if self.ignore is not None and table[self.ignore] == -2:
            table[self.ignore] = -1
        return table

    @property
    def ignore_position(self) -> Optional[int]:
        """Palette position of the ignore id when it is one of the classes (ADE20K 0, COCO-Stuff 255)."""
        for position, c in enumerate(self.classes):
            if c.id == self.ignore:
                return position
        return None


def bundled_palettes_directory() -> str:
    env = os.environ.get("SCENEPAINT_PALETTES")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "palettes"))
