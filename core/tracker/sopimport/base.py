"""The shapes every part of the importer shares: the refusal, a cell, the parsed result,
and text clean-up."""
import re
from dataclasses import dataclass, field

from core.tracker import sop as sop_mod


class ImportRefused(Exception):
    """The document cannot become a draft at all (no step table, not a .docx…)."""

    def __init__(self, message, field="document"):
        super().__init__(message)
        self.field = field


@dataclass
class Cell:
    text: str
    marked: bool = False          # a symbol drawn in the cell (docx) or any text in it
    diamond: bool = False         # a decision symbol drawn in the cell (docx)


@dataclass
class Parsed:
    header: dict = field(default_factory=dict)
    actors: list = field(default_factory=list)     # actor (swimlane) names in column order
    steps: list = field(default_factory=list)      # dicts: no, activity, actors (names), requirements, time…
    problems: list = field(default_factory=list)


_TAGS = re.compile(r"<[^>]+>")


def clean(text):
    """Cell text without HTML/markdown decoration; list items and breaks become lines."""
    text = re.sub(r"(?i)<\s*(li|br|p)\b[^>]*>", "\n", text or "")
    text = _TAGS.sub("", text).replace("**", "").replace("\u00a0", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def norm(text):
    return sop_mod.normalise_title(text)
