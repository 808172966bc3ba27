"""Fake TCA and TAPD servers, for your tests and demos (like stripe-mock or moto).

Both are ASGI applications with deterministic in-memory data, the real servers'
envelopes, errors, pagination and auth checks, and knobs for latency, rate limits
and scripted faults. Use them in-process::

    fake = FakeTAPD()
    async with TAPDClient(TAPDBearerAuth(TAPD_ACCESS_TOKEN), base_url="http://tapd.test",
                          transport=fake.asgi_transport()) as tapd:
        assert await tapd.stories.count(10104801) == 120

or on a real loopback socket, in a thread (:func:`serve_in_thread`) or a separate
process (:class:`ServerProcess`, also ``python -m tca_tapd.testing serve tapd``),
scripted through :class:`FakeControl`. ``python -m tca_tapd.testing demo`` runs a
small job against both.
"""

from ._base import FakeServer, RecordedRequest
from ._clock import FakeClock
from ._control import FakeControl
from ._faults import Fault, FaultPlan
from ._server import ServerProcess, serve_in_thread
from ._tapd import (
    TAPD_ACCESS_TOKEN,
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TAPD_AUTH_CODE,
    TAPD_CLIENT_ID,
    TAPD_CLIENT_SECRET,
    FakeTAPD,
)
from ._tca import TCA_API_TOKEN, TCA_OUTSIDER_API_TOKEN, TCA_TOKEN, TCA_USER_ID, FakeTCA

__all__ = [
    "TAPD_ACCESS_TOKEN",
    "TAPD_API_PASSWORD",
    "TAPD_API_USER",
    "TAPD_AUTH_CODE",
    "TAPD_CLIENT_ID",
    "TAPD_CLIENT_SECRET",
    "TCA_API_TOKEN",
    "TCA_OUTSIDER_API_TOKEN",
    "TCA_TOKEN",
    "TCA_USER_ID",
    "FakeClock",
    "FakeControl",
    "FakeServer",
    "FakeTAPD",
    "FakeTCA",
    "Fault",
    "FaultPlan",
    "RecordedRequest",
    "ServerProcess",
    "serve_in_thread",
]
