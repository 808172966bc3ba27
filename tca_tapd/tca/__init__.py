"""The TCA (Tencent Cloud Code Analysis) side of tca-tapd."""

from . import analysis_models, enums, models
from ._client import TCAClient
from .analysis_models import *  # noqa: F403
from .enums import *  # noqa: F403
from .models import *  # noqa: F403
from .repos import ScmAuthInput

__all__ = [
    "ScmAuthInput",
    "TCAClient",
    *analysis_models.__all__,
    *enums.__all__,
    *models.__all__,
]
