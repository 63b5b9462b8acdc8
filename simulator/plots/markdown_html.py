"""report.md as HTML: its headings, lists, paragraphs and every table, in the same order.

Only the small Markdown that `report_markdown` writes is understood (`#`/`##` headings, `- `
lists, `|` tables, paragraphs), so the HTML page always carries every table of report.md,
including columns added to it later, without a Markdown library.
"""

from __future__ import annotations

import html
import re


def markdown_to_html(text: str, skip_title: bool = True) -> str:
    """HTML for report.md text; a table gets the id `md-<slug of its heading>`."""
    parts: list[str] = []
    heading = ""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        first = lines[0]
        if first.startswith("# "):
            if not skip_title:
                parts.append(f"<h1>{_esc(first[2:])}</h1>")
        elif first.startswith("## "):
            heading = first[3:].strip()
            parts.append(f'<h2 id="{slug(heading)}">{_esc(heading)}</h2>')
        elif first.startswith("|"):
            parts.append(_table(lines, f"md-{slug(heading)}"))
        elif first.startswith("- "):
            items = "".join(f"<li>{_esc(line[2:])}</li>" for line in lines)
            parts.append(f'<ul class="context">{items}</ul>')
        else:
            parts.append(f"<p>{_esc(' '.join(lines))}</p>")
    return "\n".join(parts)


def slug(heading: str) -> str:
    """A heading as an HTML id: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "section"


def _table(lines: list[str], table_id: str) -> str:
    rows = [_cells(line) for line in lines if not re.fullmatch(r"\|[-|: ]*\|", line.strip())]
    head = "".join(f"<th>{_esc(c)}</th>" for c in rows[0])
    body = []
    for row in rows[1:]:
        cells = "".join(
            f'<td class="num">{_esc(c)}</td>' if _numeric(c) else f"<td>{_esc(c)}</td>" for c in row
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table id="{table_id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,.]+( ± [\d,.]+)?%?", cell))


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
