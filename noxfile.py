"""Developer tasks: ``nox -s tests lint typecheck bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite; every async test runs on asyncio and on trio."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "tca_tapd")


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks; results go to benchmarks/RESULTS.md (``-- --smoke`` for a quick run).

    The peer SDKs are installed here only, never as a dependency of the project.
    mcp-server-tapd declares Python >= 3.13 but runs on older Pythons: it is installed
    with ``--ignore-requires-python`` (its own dependencies first), and the report says
    so. Without it, its call pattern is timed with requests and labelled a stand-in.
    """
    session.install("-e", ".[dev]", "tca-sdk-test")
    session.install("mcp[cli]>1,<2", "markdown", "python-dotenv")
    session.install("--no-deps", "--ignore-requires-python", "mcp-server-tapd")
    session.run("python", "-m", "benchmarks", *session.posargs)
