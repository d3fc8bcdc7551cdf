"""The shared cache: Redis, never a single point of failure.

Redis holds the throttles' and the admin login's counters, read-your-writes marks and cached answers.
Each call waits at most CACHE_TIMEOUT_SECONDS for it. When Redis refuses, times out or errs, this
process stops asking it for CACHE_RETRY_SECONDS and uses a cache of its own meanwhile (counters are
then counted per process, and it is logged once); then it asks Redis again, and recovers by itself.
``degraded()`` tells /health, and read-your-writes, that the shared state is not shared just now.
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# time.monotonic() until which this process uses its own cache instead of Redis; 0 while Redis answers.
down_until = 0.0


def degraded() -> bool:
    return down_until > time.monotonic()


def falling_back(name: str):
    def method(self, *args, **kwargs):
        global down_until
        if not degraded():
            try:
                answer = getattr(super(FallbackRedisCache, self), name)(*args, **kwargs)
            except RedisError as error:
                if not down_until:
                    logger.error("Redis unavailable (%s): counting and caching in this process meanwhile", error)
                down_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
            else:
                if down_until:
                    logger.warning("Redis answers again: the shared cache is back in use")
                    down_until = 0.0
                return answer
        return getattr(self.stand_in, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    """Django's Redis cache, with this process's own memory standing in while Redis does not answer."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.stand_in = LocMemCache(f"stand-in-for-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    add = falling_back("add")
    get = falling_back("get")
    set = falling_back("set")
    touch = falling_back("touch")
    delete = falling_back("delete")
    get_many = falling_back("get_many")
    set_many = falling_back("set_many")
    delete_many = falling_back("delete_many")
    has_key = falling_back("has_key")
    incr = falling_back("incr")
