"""Every shell and Python block of README.md and docs/ runs as a reader runs it, and prints what
the page shows (the conventions are in tests/docs/doc_blocks.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.docs.doc_blocks import (
    KNOWN_LANGUAGES,
    ROOT,
    matches,
    page_blocks,
    pages,
    reader_copy,
    run_page,
)

RUN_PAGES = [p for p in pages() if any(b.language in ("bash", "python") for b in page_blocks(p))]


@pytest.mark.parametrize("page", RUN_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_blocks_run_and_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    runnable = [b for b in page_blocks(page) if b.language in ("bash", "python") and not b.skipped]
    ran = run_page(page, reader_copy(tmp_path))
    assert ran == len(runnable)


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_block_names_a_known_language(page: Path) -> None:
    for block in page_blocks(page):
        assert block.language in KNOWN_LANGUAGES, f"{page.name}:{block.line}: {block.language!r}"
        assert block.directive in ("", "exit 2") or block.directive.startswith("skip ("), (
            f"{page.name}:{block.line}: unknown docs-test comment {block.directive!r}"
        )


def test_skipped_blocks_say_why() -> None:
    skipped = [b for p in pages() for b in page_blocks(p) if b.skipped]
    assert skipped and all(len(b.directive) > len("skip ()") + 5 for b in skipped)


def test_the_readme_set_up_is_one_line_each_and_ci_runs_the_second_verbatim() -> None:
    first, second, *_ = page_blocks(ROOT / "README.md")
    assert first.skipped and second.skipped  # installs: CI runs them, not this test
    assert first.body.count("\n") == 1 and second.body.count("\n") == 1
    assert second.body.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("shown", "printed", "same"),
    [
        ("a\nb\n", "a\nb\n", True),
        ("a\nb\n", "a\nc\n", False),
        ("a\n...\nd\n", "a\nb\nc\nd\n", True),
        ("a\n...\nd\n", "a\nd\n", True),
        ("a\n...\nd\n", "a\nb\nc\n", False),
    ],
)
def test_output_matching(shown: str, printed: str, same: bool) -> None:
    assert matches(shown, printed) is same


def test_a_python_block_runs_as_a_script_in_a_fresh_process(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '```python\nimport sys\nprint(__name__, sys.argv[0].endswith(".py"))\n```\n\n'
        "```text\n__main__ True\n```\n"
    )
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    assert run_page(page, work) == 1
    page.write_text(page.read_text().replace("__main__ True", "__main__ False"))
    with pytest.raises(AssertionError, match="the page shows"):
        run_page(page, work)


def test_no_two_runs_in_the_docs_write_the_same_directory_without_overwrite() -> None:
    """A reader who follows the README and then any pages, in any order, never meets
    'already exists': only one command in all the pages writes a run directory without
    --overwrite."""
    first_writer: dict[str, str] = {}
    for page in pages():
        for block in page_blocks(page):
            if block.language != "bash" or block.skipped:
                continue
            for line in block.body.splitlines():
                words = line.split()
                if "brisim" not in words or "run" not in words or "--overwrite" in words:
                    continue
                scenario = words[words.index("run") + 1]
                out = words[words.index("--out") + 1] if "--out" in words else ""
                out = out or f"runs/{Path(scenario).stem}"
                where = f"{page.name}:{block.line}"
                assert out not in first_writer, f"{where} and {first_writer.get(out)} write {out}"
                first_writer[out] = where
    assert "runs/baseline-2022" not in first_writer  # the README's own run uses --overwrite
    assert len(first_writer) >= 5
