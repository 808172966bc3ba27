"""RetryPolicy and parse_retry_after as pure functions: backoff, who is retried, Retry-After."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime

import pytest

from tca_tapd._retry import DEFAULT_RETRY_STATUSES, RetryPolicy, parse_retry_after

NOW = 1_700_000_000.0
ALMOST_ONE = 0.999999


def zero() -> float:
    return 0.0


def almost_one() -> float:
    return ALMOST_ONE


def http_date(epoch: float) -> str:
    return format_datetime(datetime.fromtimestamp(epoch, tz=timezone.utc), usegmt=True)


# -- defaults and validation ---------------------------------------------------------------


def test_defaults_are_documented_values() -> None:
    policy = RetryPolicy()
    assert policy.max_attempts == 4
    assert policy.backoff_base == 0.5
    assert policy.backoff_cap == 30.0
    assert policy.retry_after_cap == 120.0
    assert policy.retry_statuses == frozenset({429, 500, 502, 503, 504})
    assert policy.retry_methods == frozenset({"GET", "HEAD", "OPTIONS"})
    assert policy.retry_statuses == DEFAULT_RETRY_STATUSES


def test_never_makes_exactly_one_attempt() -> None:
    policy = RetryPolicy.never()
    assert policy.max_attempts == 1
    assert policy.delay(attempt=1, method="GET", status=503, rand=zero) is None
    assert policy.delay(attempt=1, method="GET", connect_failed=True, rand=zero) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [("backoff_base", -0.1), ("backoff_cap", -1.0), ("retry_after_cap", -5.0)],
)
def test_negative_durations_are_refused_naming_the_field(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        RetryPolicy(**{name: value})


@pytest.mark.parametrize("attempts", [0, -1])
def test_max_attempts_below_one_is_refused(attempts: int) -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=attempts)


def test_zero_durations_are_allowed() -> None:
    policy = RetryPolicy(backoff_base=0.0, backoff_cap=0.0, retry_after_cap=0.0)
    assert policy.backoff(3, almost_one) == 0.0
    assert policy.delay(attempt=1, method="GET", status=429, retry_after=50.0) == 0.0


def test_status_and_method_collections_are_converted_to_frozensets() -> None:
    policy = RetryPolicy(retry_statuses=[503, 503, 500], retry_methods=("GET", "PUT"))
    assert policy.retry_statuses == frozenset({500, 503})
    assert policy.retry_methods == frozenset({"GET", "PUT"})
    assert policy.delay(attempt=1, method="PUT", status=503, rand=almost_one) is not None
    assert policy.delay(attempt=1, method="GET", status=502, rand=almost_one) is None


# -- backoff arithmetic ---------------------------------------------------------------------


def test_backoff_ceiling_doubles_per_attempt_with_full_jitter() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=30.0)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 16.0)]:
        assert policy.backoff(attempt, zero) == 0.0
        high = policy.backoff(attempt, almost_one)
        assert high == pytest.approx(ceiling * ALMOST_ONE)
        assert high < ceiling


def test_backoff_ceiling_is_capped() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=3.0)
    # 0.5 * 2**3 = 4 > 3: the cap applies from attempt 4 on, however large the attempt.
    assert policy.backoff(3, almost_one) == pytest.approx(2.0 * ALMOST_ONE)
    for attempt in (4, 5, 10, 60):
        assert policy.backoff(attempt, almost_one) == pytest.approx(3.0 * ALMOST_ONE)
        assert policy.backoff(attempt, almost_one) <= 3.0


def test_backoff_is_drawn_uniformly_below_the_ceiling() -> None:
    policy = RetryPolicy(backoff_base=2.0, backoff_cap=100.0)
    assert policy.backoff(2, lambda: 0.25) == pytest.approx(1.0)
    assert policy.backoff(2, lambda: 0.5) == pytest.approx(2.0)


def test_backoff_with_default_random_stays_within_bounds() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_cap=5.0)
    for attempt in range(1, 8):
        ceiling = min(5.0, 2.0 ** (attempt - 1))
        for _ in range(20):
            assert 0.0 <= policy.backoff(attempt) <= ceiling


def test_delay_without_retry_after_is_the_backoff() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_cap=30.0)
    assert policy.delay(attempt=3, method="GET", status=503, rand=lambda: 0.5) == 2.0


# -- attempts ---------------------------------------------------------------------------------


def test_attempts_exhausted_gives_none() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.delay(attempt=1, method="GET", status=503, rand=zero) == 0.0
    assert policy.delay(attempt=2, method="GET", status=503, rand=zero) == 0.0
    assert policy.delay(attempt=3, method="GET", status=503, rand=zero) is None
    assert policy.delay(attempt=4, method="GET", status=503, rand=zero) is None


def test_attempts_exhausted_wins_over_connect_failure_and_retry_after() -> None:
    policy = RetryPolicy(max_attempts=2)
    assert policy.delay(attempt=2, method="POST", connect_failed=True) is None
    assert policy.delay(attempt=2, method="GET", status=429, retry_after=1.0) is None


# -- which failures and methods are retried -------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["GET", "get", "HEAD", "OPTIONS"])
def test_idempotent_methods_are_retried_on_retry_statuses(status: int, method: str) -> None:
    delay = RetryPolicy().delay(attempt=1, method=method, status=status, rand=almost_one)
    assert delay == pytest.approx(0.5 * ALMOST_ONE)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_other_methods_are_not_retried_on_retry_statuses(status: int, method: str) -> None:
    assert RetryPolicy().delay(attempt=1, method=method, status=status, rand=zero) is None


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_post_declared_safe_is_retried_on_retry_statuses(status: int) -> None:
    delay = RetryPolicy().delay(attempt=1, method="POST", safe=True, status=status, rand=zero)
    assert delay == 0.0


def test_get_is_retried_on_transport_failure() -> None:
    delay = RetryPolicy().delay(attempt=1, method="GET", transport_failed=True, rand=almost_one)
    assert delay == pytest.approx(0.5 * ALMOST_ONE)


def test_post_is_not_retried_on_transport_failure_unless_safe() -> None:
    policy = RetryPolicy()
    assert policy.delay(attempt=1, method="POST", transport_failed=True, rand=zero) is None
    assert (
        policy.delay(attempt=1, method="POST", safe=True, transport_failed=True, rand=zero) == 0.0
    )


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE", "GET"])
def test_connect_failure_is_retried_for_every_method(method: str) -> None:
    delay = RetryPolicy().delay(attempt=2, method=method, connect_failed=True, rand=almost_one)
    assert delay == pytest.approx(1.0 * ALMOST_ONE)


@pytest.mark.parametrize("status", [200, 201, 301, 400, 401, 403, 404, 409, 422, 501])
def test_non_retry_statuses_give_none(status: int) -> None:
    policy = RetryPolicy()
    assert policy.delay(attempt=1, method="GET", status=status, rand=zero) is None
    assert policy.delay(attempt=1, method="POST", safe=True, status=status, rand=zero) is None


def test_no_failure_at_all_gives_none() -> None:
    assert RetryPolicy().delay(attempt=1, method="GET", rand=zero) is None


def test_may_retry_method() -> None:
    policy = RetryPolicy()
    assert policy.may_retry_method("get", safe=False)
    assert not policy.may_retry_method("POST", safe=False)
    assert policy.may_retry_method("POST", safe=True)


# -- Retry-After in the policy ------------------------------------------------------------


def test_retry_after_is_honoured_instead_of_backoff() -> None:
    policy = RetryPolicy()
    assert policy.delay(attempt=1, method="GET", status=429, retry_after=7.0, rand=zero) == 7.0
    assert policy.delay(attempt=1, method="GET", status=503, retry_after=0.0, rand=zero) == 0.0


def test_retry_after_is_capped_by_retry_after_cap() -> None:
    policy = RetryPolicy(retry_after_cap=10.0)
    assert policy.delay(attempt=1, method="GET", status=429, retry_after=3600.0) == 10.0
    # the backoff cap does not apply to Retry-After
    policy = RetryPolicy(backoff_cap=1.0, retry_after_cap=120.0)
    assert policy.delay(attempt=1, method="GET", status=429, retry_after=60.0) == 60.0


def test_retry_after_does_not_make_a_post_retryable() -> None:
    policy = RetryPolicy()
    assert policy.delay(attempt=1, method="POST", status=429, retry_after=1.0) is None
    assert policy.delay(attempt=1, method="POST", safe=True, status=429, retry_after=1.0) == 1.0


# -- parse_retry_after ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("0", 0.0), (" 7 ", 7.0), ("1.5", 1.5), ("-5", 0.0)],
)
def test_parse_retry_after_delta_seconds(header: str, seconds: float) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_parse_retry_after_http_date_is_measured_from_now() -> None:
    assert parse_retry_after(http_date(NOW + 90), now=NOW) == pytest.approx(90.0)
    # the same header read later means a shorter wait
    assert parse_retry_after(http_date(NOW + 90), now=NOW + 30) == pytest.approx(60.0)


def test_parse_retry_after_known_rfc_example() -> None:
    # RFC 9110's example date; 2015-10-21 07:28:00 UTC is epoch 1445412480.
    header = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert parse_retry_after(header, now=1_445_412_480.0 - 45) == pytest.approx(45.0)


def test_parse_retry_after_date_in_the_past_is_zero() -> None:
    assert parse_retry_after(http_date(NOW - 600), now=NOW) == 0.0


def test_parse_retry_after_zoneless_date_is_refused() -> None:
    # "-0000" means "time zone unknown" (RFC 5322): no way to measure it.
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 -0000", now=NOW) is None


@pytest.mark.parametrize(
    "header", [None, "", "   ", "soon", "tomorrow", "12 seconds", "inf", "nan", "-inf"]
)
def test_parse_retry_after_garbage_is_none(header: str | None) -> None:
    assert parse_retry_after(header, now=NOW) is None
