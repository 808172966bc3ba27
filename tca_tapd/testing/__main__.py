"""``python -m tca_tapd.testing``: run the demo, or serve a fake on a port.

python -m tca_tapd.testing demo [--backend asyncio|trio]
python -m tca_tapd.testing serve tca|tapd [--host 127.0.0.1] [--port 8000] [--options JSON]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import anyio


def main(argv: list[str] | None = None) -> int:
    """The command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tca_tapd.testing")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run a demo job against both fakes on loopback")
    demo.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    serve = commands.add_parser("serve", help="serve one fake on a port")
    serve.add_argument("api", choices=("tca", "tapd"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--options", default="{}", help="JSON keyword arguments for the fake")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import run_demo

        anyio.run(run_demo, backend=args.backend)
        return 0
    from ._server import run_forever
    from ._tapd import FakeTAPD
    from ._tca import FakeTCA

    options: dict[str, Any] = json.loads(args.options)
    if "rate_limit" in options and options["rate_limit"] is not None:
        options["rate_limit"] = tuple(options["rate_limit"])
    app = FakeTCA(**options) if args.api == "tca" else FakeTAPD(**options)
    run_forever(app, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
