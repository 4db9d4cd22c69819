"""What a measurement run is asked for, beyond the request filters.

Kept in one frozen dataclass so the API, the CLI and the tests pass the same
thing around, and so every default is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from ..brands import BrandBook, valid_timezone
from ..defaults import DEFAULT_FIRST_RESPONSE, DEFAULT_OPEN_WINDOW, DEFAULT_REQUESTS, DEFAULT_TIMEZONE, DEVOTED_RATE  # Socialbakers' "Socially Devoted" bar (0.65)
from ..errors import ParameterError, UsageError

__all__ = [
    "BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "DEFAULT_OPEN_WINDOW_S", "DEVOTED_MIN_PER_QUARTER",
    "FIRST_RESPONSES", "FirstResponse", "MetricOptions", "PERIODS", "Period", "REQUEST_MODES", "RequestMode",
    "parse_duration",
]

RequestMode = Literal["starters", "comments", "all-inbound", "questions"]
REQUEST_MODES: Final = get_args(RequestMode)
Period = Literal["month", "week", "quarter"]
PERIODS: Final = get_args(Period)
FirstResponse = Literal["thread", "direct"]  # where a request's first response may be: anywhere in its scope, or a direct reply
FIRST_RESPONSES: Final = get_args(FirstResponse)

DEVOTED_MIN_PER_QUARTER: Final = 50
BOOTSTRAP_SEED: Final = 20_240_601
BOOTSTRAP_RESAMPLES: Final = 2_000


DEFAULT_OPEN_WINDOW_S: Final = 72 * 3600.0  # DEFAULT_OPEN_WINDOW in seconds (a test keeps them equal)


@dataclass(frozen=True)
class MetricOptions:
    """How requests are defined and which extra figures are computed.

    Unanswered requests younger than ``open_window_s`` (default 72 h) at the end of the
    data are *open*: the brand may still answer, so they stay out of the response rate.
    0 or None counts every unanswered request against the response rate.
    ``first_response`` is where a request's answer may be: ``thread`` (the brand's earliest message
    anywhere in the request's scope) or ``direct`` (only a brand message whose parent is the request).
    ``extended`` also computes reply time (:mod:`.replies`) and next-reply time (:mod:`.next_reply`).
    ``timezone``: the local time (business hours, night/weekend, periods) of every brand the brands file
    gives no zone, and of brands not in it: UTC unless the user names one.
    ``skip_automated`` leaves automated replies (:mod:`.automated`) out: the first *human* response.
    """

    requests: RequestMode = DEFAULT_REQUESTS
    open_window_s: float | None = DEFAULT_OPEN_WINDOW_S
    min_reply_s: float | None = None  # replies faster than this are automated: not responses
    first_response: FirstResponse = DEFAULT_FIRST_RESPONSE  # "direct": only a brand message whose parent is the request answers it
    period: Period | None = None
    brands: BrandBook | None = None
    accounts: tuple[str, ...] = ()  # brand accounts (--brand) applied when reading, with the brands file's own
    devoted_rate: float = DEVOTED_RATE
    devoted_min_per_quarter: int = DEVOTED_MIN_PER_QUARTER
    skip_automated: bool = False  # automated replies (.automated) are never responses, reply pairs or ends of waits
    extended: bool = True  # False: only METRIC_COLUMNS (no intervals, business hours, deflection): a quicker default rank
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        if self.requests not in REQUEST_MODES:
            raise ParameterError("{requests} {value!r}: choose one of {choices}", "requests", value=self.requests, choices=", ".join(REQUEST_MODES))
        if self.first_response not in FIRST_RESPONSES:
            raise ParameterError("{first_response} {value!r}: choose one of {choices}", "first_response", value=self.first_response, choices=", ".join(FIRST_RESPONSES))
        if self.period is not None and self.period not in PERIODS:
            raise ParameterError("{period} {value!r}: choose one of {choices}", "period", value=self.period, choices=", ".join(PERIODS))
        if self.open_window_s is not None and self.open_window_s < 0:
            raise ParameterError("{open_window} must be 0 or more", "open_window")
        if self.min_reply_s is not None and self.min_reply_s < 0:
            raise ParameterError("{min_reply_seconds} must be 0 or more", "min_reply_seconds")
        if not 0 <= self.devoted_rate <= 1:
            raise UsageError("the devoted response-rate bar must be between 0 and 1")
        if not isinstance(self.timezone, str) or not valid_timezone(self.timezone):
            raise ParameterError("{timezone} {value!r} is not a time zone name like Europe/Rome, America/New_York or UTC", "timezone", value=self.timezone)

    def zone_of(self, brand: str) -> str:
        """The time zone ``brand`` (a display name) is measured in: its brands-file zone, else :attr:`timezone`."""
        configured = self.brands.get(brand) if self.brands is not None else None
        return (configured.timezone if configured is not None else None) or self.timezone


def parse_duration(text: str, parameter: str = "open_window") -> float:
    """``72h``, ``3d``, ``90m``, ``45s`` or plain seconds → seconds (errors name ``parameter``)."""
    t = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
    try:
        if t and t[-1] in units:
            value = float(t[:-1]) * units[t[-1]]
        else:
            value = float(t)
    except ValueError:
        raise ParameterError("{%s} {value!r}: expected a duration like 72h, 3d, 90m or seconds" % parameter, parameter, value=text) from None
    if value < 0:
        raise ParameterError("{%s} must be 0 or more" % parameter, parameter)
    return value
