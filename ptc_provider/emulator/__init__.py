"""Local AWS endpoint that adds ECR pull-through cache rules to moto.

moto 5.2 has no pull-through cache rule operations. This package adds
CreatePullThroughCacheRule, DescribePullThroughCacheRules,
UpdatePullThroughCacheRule, DeletePullThroughCacheRule and
ValidatePullThroughCacheRule to moto's ECR service, for use in process::

    import boto3
    import moto

    import ptc_provider.emulator  # calls install()

    with moto.mock_aws():
        ecr = boto3.client("ecr", region_name="us-east-1")
        ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
        )

or as a server with all of moto's API: ``python -m ptc_provider.emulator``.
Importing this package imports moto.
"""

from __future__ import annotations

import threading

from moto.ecr.responses import ECRResponse

from ptc_provider.emulator.dispatch import WRAPPED_MARKER, wrap_dispatch
from ptc_provider.emulator.responses import HANDLER_NAMES, PullThroughCacheResponse

__all__ = ["install"]

_INSTALL_LOCK = threading.Lock()


def install() -> None:
    """Add the pull-through cache rule operations to moto's ECR service.

    Both ``moto.mock_aws()`` and moto's server dispatch ECR requests to
    methods of ``ECRResponse``, so the handlers work in both. ``_dispatch`` is
    wrapped as well, so that requests moto cannot parse (a body that is not
    UTF-8 or not gzip, a wrongly cased operation name) get an AWS error
    instead of HTTP 500. Calling this again does nothing.
    """
    with _INSTALL_LOCK:
        for name in HANDLER_NAMES:
            handler = PullThroughCacheResponse.__dict__[name]
            if getattr(ECRResponse, name, None) is not handler:
                setattr(ECRResponse, name, handler)

        dispatch = ECRResponse._dispatch
        if not getattr(dispatch, WRAPPED_MARKER, False):
            ECRResponse._dispatch = wrap_dispatch(dispatch)  # type: ignore[method-assign]


install()
