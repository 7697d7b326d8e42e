"""Stage: markers. Recognise the check / cross that opens a finding, and LET OP caveats inside a finding.

A check means the approach *voldoet* (verdict ``pass``), a cross a *verbeterpunt* (``fail``). Born-digital files may
carry the marker as a glyph of a symbol font (ZapfDingbats, Wingdings, Symbol), which extracts as an ordinary letter
or a private-use character: those are mapped through the font's own table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.core.enums import Verdict
from extract.core.records import Marker, Word
from extract.core.text import drop_unmapped, unmapped_code
from extract.series.description import series

# The marker characters (checks, crosses, the letters that can be a cross), the symbol fonts' tables (the character
# a glyph extracts as -> verdict) and the caveat's wording ("LET OP" in capitals, with or without colon, or "Let op:"
# in any case with a colon: "let op de signalen" is a verb) are the series description's (``series()``).


def symbol_font_key(fontname: str) -> str | None:
    name = re.sub(r"^[A-Z]{6}\+", "", fontname).lower().replace(" ", "").replace("-", "")
    for key in series().symbol_fonts:
        if key in name:
            return key
    return None


def classify_glyph(glyph: str, fontname: str = "") -> Verdict | None:
    """pass, fail or None for a single marker glyph, taking a symbol font's encoding into account."""
    current = series()
    font_key = symbol_font_key(fontname)
    if font_key:
        char = glyph
        if len(char) == 1 and 0xF000 <= ord(char) <= 0xF0FF:  # symbol fonts often extract into the private use area
            char = chr(ord(char) - 0xF000)
        code = unmapped_code(char)
        if code is not None and code < 0x100:  # a code the text layer left unmapped: the character of its code
            char = chr(code)
        verdict = current.symbol_fonts[font_key].get(char)
        if verdict:
            return Verdict(verdict)
    if glyph in current.checks:
        return Verdict.pass_
    if glyph in current.crosses:
        return Verdict.fail
    return None


@dataclass
class MarkerSplit:
    """The outcome of looking for a marker at the start of a line: the marker and the words after it."""

    marker: Marker | None
    rest: list[Word]


def split_marker(words: list[Word]) -> MarkerSplit:
    """Take a leading check/cross off a line of words, if there is one."""
    if not words:
        return MarkerSplit(None, words)
    first, letter_crosses = words[0], series().letter_crosses
    text = first.text
    if len(text) == 1 or text.startswith("(cid:"):
        verdict = classify_glyph(text, first.fontname)
        if verdict and (text not in letter_crosses or _letter_is_marker(words)):
            return MarkerSplit(Marker(_as_found(text), verdict, first.confidence), words[1:])
        if verdict is None and symbol_font_key(first.fontname):
            return MarkerSplit(Marker(text, "", confidence=0.0), words[1:])  # a symbol we cannot read
        return MarkerSplit(None, words)
    head = text[0]
    if head not in letter_crosses:
        verdict = classify_glyph(head, first.fontname)
        if verdict and (text[1].isupper() or text[1] in " \u00a0"):  # glued: "✓De"
            char_w = (first.x1 - first.x0) / len(text)
            rest = Word(text[1:].strip(), first.x0 + char_w, first.x1, first.top, first.bottom, first.page,
                        first.fontname, first.size, first.confidence)
            return MarkerSplit(Marker(head, verdict), [rest, *words[1:]])
    return MarkerSplit(None, words)


def _as_found(glyph: str) -> str:
    """A marker glyph as the dataset shows it: a code the text layer left unmapped ("(cid:52)") as the character of
    its code, as a symbol font's mapped glyphs are shown ("4" for ZapfDingbats' check)."""
    code = unmapped_code(glyph)
    return chr(code) if code is not None and code < 0x100 and chr(code).isprintable() else glyph


def _letter_is_marker(words: list[Word]) -> bool:
    """A lone 'X' opens a finding when the next word starts a sentence (capital), as 'X De gemeente ...'."""
    return len(words) == 1 or words[1].text[:1].isupper() or words[1].text[:1].isdigit()


def find_caveat(words: list[Word]) -> str:
    """The LET OP caveat text in a finding's words ('' when there is none).

    The caveat runs from "LET OP" to the end of the bold run it starts, or to the end of the finding when it is not
    set in bold.
    """
    text = " ".join(w.text for w in words)
    match = series().caveat_re.search(text)
    if not match:
        return ""
    start_index = len(text[: match.start()].split())
    caveat_words = words[start_index:]
    if caveat_words and caveat_words[0].bold:
        run = []
        for w in caveat_words:
            if not w.bold:
                break
            run.append(w)
        if len(run) > 2:
            caveat_words = run
    return drop_unmapped(" ".join(w.text for w in caveat_words))
