"""Run the code blocks of a Markdown page the way a reader would, and compare what they print.

Conventions of README.md and every page of docs/ (each is checked by tests/docs/test_doc_blocks.py):

- Every fenced block names its language. ```bash blocks are run through bash (`-e -o pipefail`)
  and ```python blocks are saved as a script file and run with `python script.py` in a fresh
  process, one after another in page order, in a temporary copy of the repository whose
  `.venv` is the environment running the tests (activated: `brisim` and `python` are on PATH).
- A ```yaml block whose first line is `# file: NAME` is written to NAME before later blocks run;
  a ```python block with that first line is saved as NAME (and run as `python NAME`).
- A ```text block after a run block (prose may come between, no other block) is that block's
  output: for bash, standard output then standard error; for python, standard output. It must
  match exactly, except that a line `...` stands for any number of lines.
- An HTML comment on the line right before a fence steers the test:
  `<!-- docs-test: skip (why) -->` leaves the block out (an install, a cluster, minutes of work;
  a ```text block that is not output), and `<!-- docs-test: exit N -->` expects exit code N
  from a bash block (it then runs without `-e`, and its last command gives the code).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_LANGUAGES = ("bash", "python")
KNOWN_LANGUAGES = (*RUN_LANGUAGES, "text", "yaml", "json", "csv")
FENCE = re.compile(
    r"^(?:<!-- docs-test: (?P<directive>[^\n]*?) -->\n)?"
    r"```(?P<language>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$",
    re.M | re.S,
)
COPIED = ("scenarios", "docs", "benchmarks", "simulator", "pyproject.toml", "README.md")
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: its language, text, steering comment and line number."""

    language: str
    body: str
    directive: str
    line: int

    @property
    def skipped(self) -> bool:
        return self.directive.startswith("skip")

    @property
    def expected_exit(self) -> int:
        found = re.fullmatch(r"exit (\d+)", self.directive)
        return int(found.group(1)) if found else 0


def page_blocks(page: Path) -> list[Block]:
    """Every fenced block of a Markdown page, in order."""
    text = page.read_text(encoding="utf-8")
    return [
        Block(
            m["language"].strip(),
            m["body"],
            (m["directive"] or "").strip(),
            text.count("\n", 0, m.start("body")),
        )
        for m in FENCE.finditer(text)
    ]


def pages() -> list[Path]:
    """README.md and every Markdown page under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def reader_copy(target: Path) -> Path:
    """A copy of the repository as a reader has it after the README's set-up, in `target`."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return target


def reader_env(work: Path) -> dict[str, str]:
    """The environment of a shell where `source .venv/bin/activate` was run."""
    venv = work / ".venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        MPLBACKEND="Agg",
        COLUMNS="100",
    )
    env.pop("PYTHONPATH", None)
    return env


def run_block(block: Block, work: Path, number: int) -> tuple[int, str]:
    """Run one bash or python block in `work`; returns its exit code and what it printed."""
    env = reader_env(work)
    if block.language == "bash":
        flags = ["-e", "-o", "pipefail"] if block.expected_exit == 0 else []
        command = ["bash", "--noprofile", "--norc", *flags, "-c", block.body]
    else:
        first = block.body.split("\n", 1)[0]
        name = first.removeprefix("# file: ").strip() if first.startswith("# file: ") else ""
        script = work / (name or f"docs_block_{number}.py")
        script.write_text(block.body, encoding="utf-8")
        command = [str(work / ".venv" / "bin" / "python"), script.name]
    result = subprocess.run(
        command,
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if block.language == "bash":
        return result.returncode, result.stdout + result.stderr
    return result.returncode, result.stdout if result.returncode == 0 else result.stderr


def matches(shown: str, printed: str) -> bool:
    """True if `printed` is `shown`, where a line `...` in `shown` stands for any lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + "\n"
        for line in shown.rstrip("\n").split("\n")
    )
    return re.fullmatch(pattern, printed.rstrip("\n") + "\n") is not None


def run_page(page: Path, work: Path) -> int:
    """Run every block of a page in order in `work`; raise AssertionError on a failure or drift.

    Returns the number of blocks run."""
    ran = 0
    pending: tuple[Block, str] | None = None
    for number, block in enumerate(page_blocks(page)):
        where = f"{page.name}:{block.line}"
        if block.skipped:
            pending = None
            continue
        if block.language == "yaml" and block.body.startswith("# file: "):
            name = block.body.splitlines()[0].removeprefix("# file: ").strip()
            (work / name).write_text(block.body, encoding="utf-8")
        elif block.language in RUN_LANGUAGES:
            code, printed = run_block(block, work, number)
            assert code == block.expected_exit, f"{where}: exit {code}\n{printed}"
            assert "Traceback" not in printed or block.expected_exit == 0, f"{where}\n{printed}"
            pending = (block, printed)
            ran += 1
            continue
        elif block.language == "text" and pending is not None:
            shown = block.body
            printed = pending[1]
            assert matches(shown, printed), (
                f"{where}: the page shows\n{shown}\nbut the block printed\n{printed}"
            )
        pending = None
    return ran
