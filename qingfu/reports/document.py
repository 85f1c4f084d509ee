"""The document model a report is written into: headings, paragraphs, tables, charts.

One model, three renderings (HTML preview, DOCX, PDF), so what a principal previews is
what they download.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: 一、 2: （一）


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | note | right


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # right-align these columns

    def is_numeric(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class ChartSpec:
    """A bar chart (categories x series) or a line chart (points x series), with limit
    lines drawn across it (the caps)."""

    kind: str  # bars | lines
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    y_label: str
    limits: tuple[tuple[str, float], ...] = ()
    percent: bool = False


@dataclass(frozen=True)
class Chart:
    caption: str
    spec: ChartSpec


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    signature: tuple[str, ...] = field(default_factory=tuple)
    # Where a long title breaks (after the school's or district's name), as printed.
    title_lines: tuple[str, ...] = ()

    @property
    def printed_title(self) -> tuple[str, ...]:
        return self.title_lines or (self.title,)

    def text(self) -> str:
        """All the words, for tests and search."""
        parts = [self.title, self.subtitle]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                parts.append(block.text)
            elif isinstance(block, Table):
                parts.append(block.caption)
                parts.extend("\t".join(row) for row in (block.header, *block.rows))
            else:
                parts.append(block.caption)
        parts.extend(self.signature)
        return "\n".join(parts)
