"""The ``tca-tapd`` command: root options, and the command groups under it."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from .._version import __version__
from ._config import CliState, Settings
from ._demo import demo
from ._errors import EXIT_CODES_HELP
from ._quality import report
from ._tapd import tapd_app
from ._tca import tca_app

__all__ = ["app"]


class Backend(str, Enum):
    """The async library the commands run on."""

    ASYNCIO = "asyncio"
    TRIO = "trio"


app = typer.Typer(
    name="tca-tapd",
    help=(
        "Command line for TCA (Tencent Cloud Code Analysis) and TAPD. Credentials come "
        "from environment variables (or the connection options below, which go before "
        "the command group); they are never printed. A credential option chooses its "
        "API's auth method: the environment may complete that method (--tapd-user with "
        "TAPD_API_PASSWORD), never replace it with another. Progress bars go to stderr, "
        "data to stdout (or --output)."
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
"""The ``tca-tapd`` command (a typer application)."""
app.add_typer(tapd_app, name="tapd")
app.add_typer(tca_app, name="tca")
app.command(
    "report",
    short_help="Match a TAPD workspace's git projects with TCA repos; their latest figures.",
)(report)
app.command("demo")(demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tca-tapd {__version__}")
        raise typer.Exit()


def _connection(flag: str, variable: str, what: str) -> Any:
    """A connection option. The environment variable is read by the CLI itself, not by
    the option parser, so that ``--help`` can never show a secret's value."""
    return typer.Option(
        flag, help=f"{what} (env {variable})", show_default=False, rich_help_panel="Connection"
    )


@app.callback()
def root(
    ctx: typer.Context,
    tca_url: Annotated[
        str | None, _connection("--tca-url", "TCA_BASE_URL", "TCA site origin.")
    ] = None,
    tca_user_id: Annotated[
        str | None, _connection("--tca-user-id", "TCA_USER_ID", "TCA user id (hosted TCA).")
    ] = None,
    tca_token: Annotated[
        str | None, _connection("--tca-token", "TCA_TOKEN", "TCA personal token (hosted TCA).")
    ] = None,
    tca_api_token: Annotated[
        str | None,
        _connection("--tca-api-token", "TCA_API_TOKEN", "TCA API token (self-hosted TCA)."),
    ] = None,
    tapd_url: Annotated[
        str | None,
        _connection("--tapd-url", "TAPD_API_BASE_URL", "TAPD API origin (default api.tapd.cn)."),
    ] = None,
    tapd_user: Annotated[
        str | None, _connection("--tapd-user", "TAPD_API_USER", "TAPD API account.")
    ] = None,
    tapd_password: Annotated[
        str | None, _connection("--tapd-password", "TAPD_API_PASSWORD", "TAPD API password.")
    ] = None,
    tapd_token: Annotated[
        str | None, _connection("--tapd-token", "TAPD_ACCESS_TOKEN", "TAPD access token.")
    ] = None,
    tapd_client_id: Annotated[
        str | None, _connection("--tapd-client-id", "TAPD_CLIENT_ID", "TAPD app id.")
    ] = None,
    tapd_client_secret: Annotated[
        str | None, _connection("--tapd-client-secret", "TAPD_CLIENT_SECRET", "TAPD app secret.")
    ] = None,
    tapd_rate_limit: Annotated[
        str | None,
        _connection(
            "--tapd-rate-limit", "TAPD_RATE_LIMIT", "Client-side limit: 60/60, 60/min or none."
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress bars or messages: only data and errors."),
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Force progress bars on or off (default: on when stderr is a terminal).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    csv_escape_formulas: Annotated[
        bool,
        typer.Option(
            "--csv-escape-formulas",
            help="In CSV output, put ' before a cell starting with = + - @, a tab or a "
            "carriage return (a plain number such as -12 excepted), so that a "
            "spreadsheet shows text others wrote instead of running it as a formula.",
        ),
    ] = False,
    backend: Annotated[
        Backend, typer.Option("--backend", help="Async library (trio must be installed).")
    ] = Backend.ASYNCIO,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Command line for TCA and TAPD."""
    flags = {
        "tca_url": tca_url,
        "tca_user_id": tca_user_id,
        "tca_token": tca_token,
        "tca_api_token": tca_api_token,
        "tapd_url": tapd_url,
        "tapd_user": tapd_user,
        "tapd_password": tapd_password,
        "tapd_token": tapd_token,
        "tapd_client_id": tapd_client_id,
        "tapd_client_secret": tapd_client_secret,
        "tapd_rate_limit": tapd_rate_limit,
    }
    ctx.obj = CliState(
        settings=Settings.resolve(flags),
        quiet=quiet,
        progress=progress,
        debug=debug,
        backend=backend.value,
        csv_escape_formulas=csv_escape_formulas,
    )
