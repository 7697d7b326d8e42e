"""Dutch running text: wrapped lines joined (hyphens, words broken without one) and split into sentences.

A sentence never runs over a block's end. Blocks are told by layout, page by page (``text_blocks``):

- a **heading** is a block of its own (its lines one block while their type is of one size): type larger than the
  page's body (``LayoutSettings.heading_size_factor``), a bold run of at most a few lines beside body type that is
  not bold, ending without a full stop or comma, or a short line on its own without final punctuation between
  sentences (the line before it ended one and the line after it opens one);
- a **list item** opens a block: a line opening with one of the series' bullets (``Series.list_bullets``, an
  unmapped glyph, a dash before a capital, on a scan what OCR reads a bullet as), or a number ("1.", "2)") before a
  capital; its bullet is not part of the sentence. The item runs over the lines set at its text's indent; a line
  back at the bullet's left edge ends it;
- a **paragraph** break (a gap of more than ``AlignSettings.paragraph_gap`` line pitches) ends a block,

except that a line opening in lower case after a line without final punctuation always continues it (a sentence
wrapped over a gap or a misplaced line on a scan, a list item wrapped without a hanging indent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.core.records import Line
from extract.core.stages import AlignSettings, LayoutSettings
from extract.core.text import UNMAPPED_GLYPH, drop_unmapped
from extract.series.description import series
from extract.series.nlp import dutch_words


def forced_breaks(lines: list[Line]) -> set[int]:
    """Indexes of the lines that end in a word broken without a hyphen because it is wider than its column (a
    typesetter breaks a word anywhere only when it cannot fit on a line of its own): the last word reaches the
    lines' right edge, the next line opens with a lower-case piece, the two together are wider than the lines, and
    together they read as one word (``spans_break``): in a narrow column an ordinary break looks forced too. The
    edges are those of the lines on the broken line's page (a cell continued on the next page may stand a little to
    the side there), or of all the lines when that page holds no other."""
    if len(lines) < 2:
        return set()
    edges = {}
    for page in {l.page for l in lines}:
        on_page = [l for l in lines if l.page == page]
        on_page = on_page if len(on_page) > 1 else lines
        edges[page] = (min(l.x0 for l in on_page), max(l.x1 for l in on_page))
    breaks = set()
    for index, (line, following) in enumerate(zip(lines, lines[1:])):
        head, tail = line.words[-1], following.words[0]
        left, right = edges[line.page]
        char = (head.x1 - head.x0) / max(1, len(head.text))
        if (head.text[-1:].isalpha() and tail.text[:1].islower() and head.x1 >= right - 1.5 * char
                and (head.x1 - head.x0) + (tail.x1 - tail.x0) > right - left and spans_break(head.text, tail.text)):
            breaks.add(index)
    return breaks


def join_lines(texts: list[str], breaks: set[int] | frozenset[int] = frozenset()) -> str:
    """Join wrapped lines: a space between them, none after a hyphen that joins a compound ("CJG-" + "beleid")."""
    out = ""
    for index, text in enumerate(texts):
        text = text.strip()
        if not text:
            continue
        if index - 1 in breaks or (out and text[0] in ".,;:!?)"):  # a line never opens with punctuation by choice
            out += text
        elif out.endswith("-") and len(out) > 1 and out[-2].isalnum() and not re.match(r"(en|of|tot)\b", text):
            out += text
        elif out and broken_word(out.rsplit(" ", 1)[-1], text.split(" ", 1)[0]):
            out += text
        else:
            out = f"{out} {text}" if out else text
    return drop_unmapped(out)


WORD_PIECE = re.compile(r"[a-zà-ÿ]{2,}")


def broken_word(last: str, first: str) -> bool:
    """A word broken over two lines without a hyphen ("samen" / "werkingsovereenkomst"): the next line opens with a
    lower-case piece that is no Dutch word, while the two pieces together are one."""
    head, tail = last.lower(), first.lower().rstrip(".,;:!?)")
    if not (WORD_PIECE.fullmatch(head) and WORD_PIECE.fullmatch(tail) and first[:1].islower()):
        return False
    words = dutch_words()
    return not _known_word(tail, words) and head + tail in words


def _known_word(word: str, words) -> bool:
    """A word of the vocabulary, or the plural of one ("afspraken" of "afspraak", "partners" of "partner"): the
    lemma table lists many compounds' plurals ("voorafspraken") but not every simple word's."""
    if word in words:
        return True
    if word.endswith("s") and word[:-1] in words:
        return True
    stem = word[:-2] if word.endswith("en") else ""
    doubled = re.sub(r"([^aeiou])([aeiou])([^aeiou])$", r"\1\2\2\3", stem)  # "afsprak" → "afspraak"
    undoubled = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""  # "bedden" → "bed"
    return bool(stem) and any(form in words for form in (stem, doubled, undoubled) if form)


def spans_break(head: str, tail: str) -> bool:
    """Whether "head" + "tail" reads as one word: it is a Dutch word, or ends in one (of five letters or more) that
    starts inside ``head`` (a compound: "opschalingsmogelijkhe" + "den" ends in "mogelijkheden")."""
    head = re.split(r"[^a-zà-ÿ]", head.lower())[-1]
    tail = re.split(r"[^a-zà-ÿ]", tail.lower())[0]
    if not head or not tail:
        return False
    whole, words = head + tail, dutch_words()
    return whole in words or any(whole[start:] in words for start in range(1, len(head)) if len(whole) - start >= 5)


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘'\"(•])")
SENTENCE_END = re.compile(r"[.!?]['’”\")]*$")
FINAL_PUNCTUATION = re.compile(r"[.!?:;,]['’”\")]*$")
NUMBERED = re.compile(r"^\(?\d{1,2}[.)]$")
PRIVATE_USE = re.compile(r"^[\ue000-\uf8ff]$")  # a symbol font's glyph read as a private-use character
MAX_HEADING_LINES = 3  # a bold run of more lines is a bold paragraph, not a heading
SHORT_LINE = 0.5  # a line narrower than this share of the page's text is short
HEADING_LEVEL = 0.5  # points: heading lines whose type sizes differ more are headings of two levels


@dataclass(frozen=True)
class ListItem:
    """A line that opens a list item: how many of its words are the bullet (``bullet``: 0 when the bullet is glued
    to the first word, then ``glued`` characters of it), and where the item's text starts (its hanging indent)."""

    bullet: int
    glued: int
    text_x0: float

    def text(self, line: Line) -> str:
        """The line's text without its bullet (a number stays: it is part of the item)."""
        words = [w.text for w in line.words[self.bullet:]]
        if self.glued:
            words[0] = words[0][self.glued:].lstrip("_")
        return " ".join(w for w in words if w)


def _opens_sentence(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in "“‘'\"(")


def list_item(line: Line) -> ListItem | None:
    """The list item ``line`` opens, or None (see the module's description)."""
    words = line.words
    first, current = words[0], series()
    text, after = first.text, words[1].text if len(words) > 1 else ""
    scan = any(w.confidence < 1.0 for w in words)
    if len(words) > 1:
        if (text in current.list_bullets or UNMAPPED_GLYPH.fullmatch(text) or PRIVATE_USE.match(text)
                or (_opens_sentence(after) and (text in current.list_dashes or NUMBERED.match(text)
                                                or (scan and text in current.ocr_bullets)))):
            return ListItem(0 if NUMBERED.match(text) else 1, 0, words[1].x0)
    glued = UNMAPPED_GLYPH.match(text)
    head = glued.group(0) if glued else text[:1]
    rest = text[len(head):].lstrip("_")
    if rest and (glued or head in current.list_bullets
                 or (scan and head in current.ocr_bullets and not head.isalpha() and _opens_sentence(rest))):
        width = (first.x1 - first.x0) / max(1, len(text))
        return ListItem(0, len(head), first.x0 + width * (len(text) - len(rest)))
    return None


@dataclass(frozen=True)
class Sentence:
    """A sentence of the running text, its page, and its lead: the text before it on its page since the last
    sentence that ended with a full stop (a heading, a caption, a list's introduction), which may name its topic."""

    page: int
    text: str
    lead: str = ""


def sentences(lines: list[Line]) -> list[Sentence]:
    """Sentences of the running text, page by page: blocks (``text_blocks``) joined and split at full stops."""
    found: list[Sentence] = []
    for page_lines in _by_page(lines):
        pending: list[str] = []
        for texts in text_blocks(page_lines):
            number = ""  # a list item's number ("1."), no sentence of its own
            for sentence in SENTENCE_BREAK.split(join_lines(texts)):
                sentence = f"{number} {sentence.strip()}".strip()
                number = sentence if NUMBERED.match(sentence) else ""
                if not sentence or number:
                    continue
                found.append(Sentence(page_lines[0].page, sentence, " ".join(pending)))
                pending = [] if SENTENCE_END.search(sentence) else [*pending, sentence]
    return found


def sentences_by_page(lines: list[Line]) -> list[tuple[int, str]]:
    """Sentences of the running text, each with its page (``sentences``)."""
    return [(s.page, s.text) for s in sentences(lines)]


def _by_page(lines: list[Line]) -> list[list[Line]]:
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    return [pages[page] for page in sorted(pages)]


def text_blocks(lines: list[Line], layout: LayoutSettings = LayoutSettings(),
                align: AlignSettings = AlignSettings()) -> list[list[str]]:
    """The texts of one page's lines, grouped into blocks no sentence runs over (see the module's description); a
    list item's bullet left out."""
    if not lines:
        return []
    items = [list_item(line) for line in lines]
    headings = heading_lines(lines, items, layout, align)
    pitch = _pitch(lines)
    blocks: list[list[str]] = []
    indent: float | None = None  # the text indent of the list item being read
    for index, line in enumerate(lines):
        item = items[index]
        text = item.text(line) if item else line.text
        if index and not _continues(lines, index, items, headings, indent, pitch, align):
            blocks.append([])
            indent = None
        if not blocks:
            blocks.append([])
        if item:
            indent = item.text_x0
        blocks[-1].append(text)
    return [block for block in blocks if block]


def _continues(lines: list[Line], index: int, items: list[ListItem | None], headings: list[bool],
               indent: float | None, pitch: float, align: AlignSettings) -> bool:
    """Whether line ``index`` goes on with the block of the line before it."""
    line, before = lines[index], lines[index - 1]
    if items[index]:
        return False
    if not FINAL_PUNCTUATION.search(before.text) and line.words[0].text[:1].islower():
        return True  # a sentence going on
    if headings[index] != headings[index - 1] or (headings[index] and abs(line.size - before.size) > HEADING_LEVEL):
        return False  # a heading starts or ends, or one of another level follows
    if line.top - before.top > align.paragraph_gap * pitch:
        return False
    return indent is None or line.x0 >= indent - max(2.0, 0.3 * line.size)


def _pitch(lines: list[Line]) -> float:
    """The page's line pitch: a low quartile of the steps between consecutive lines."""
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top)
    return steps[len(steps) // 4] if steps else 1.25 * lines[0].size


def heading_lines(lines: list[Line], items: list[ListItem | None], layout: LayoutSettings = LayoutSettings(),
                  align: AlignSettings = AlignSettings()) -> list[bool]:
    """Which of a page's lines are headings (see the module's description)."""
    sizes = sorted(w.size for line in lines for w in line.words if w.size)
    body = sizes[len(sizes) // 2] if sizes else 0.0
    words = [w for line in lines for w in line.words]
    body_bold = sum(w.bold for w in words) * 2 > len(words)
    left, right = min(l.x0 for l in lines), max(l.x1 for l in lines)
    pitch = _pitch(lines)
    headings = [False] * len(lines)
    for index, line in enumerate(lines):
        before = lines[index - 1] if index else None
        after = lines[index + 1] if index + 1 < len(lines) else None
        opens = not line.words[0].text[:1].islower()
        if items[index] or not opens:
            continue
        if body and line.size > layout.heading_size_factor * body:
            headings[index] = True
        elif (not FINAL_PUNCTUATION.search(line.text) and line.x1 - line.x0 < SHORT_LINE * (right - left)
              and (before is None or SENTENCE_END.search(before.text) or headings[index - 1]
                   or line.top - before.top > align.paragraph_gap * pitch)
              and (after is None or items[index + 1] or _opens_sentence(after.words[0].text))):
            headings[index] = True
    if not body_bold:
        for start, end in _bold_runs(lines, pitch, align):
            if end - start <= MAX_HEADING_LINES and not re.search(r"[.;,]['’”\")]*$", lines[end - 1].text) \
                    and not any(items[start:end]):
                headings[start:end] = [True] * (end - start)
    return headings


def _bold_runs(lines: list[Line], pitch: float, align: AlignSettings) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive lines set wholly in bold, with no paragraph gap inside."""
    runs: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if not all(w.bold for w in line.words):
            continue
        if runs and runs[-1][1] == index and line.top - lines[index - 1].top <= align.paragraph_gap * pitch:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs
