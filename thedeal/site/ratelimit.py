"""A limit on how often one address may send a public form (reports, pledges), against floods.

Counts live in the cache (Redis when REDIS_URL is set, else per machine), keyed by a hash of the
address so that no address is stored.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address, trusting X-Forwarded-For only as far as NUM_PROXIES says."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def too_many(request, scope: str, *, per_hour: int) -> bool:
    """Count this request; True once the address has sent more than `per_hour` this hour."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    key = f"ratelimit:{scope}:{digest[:32]}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > per_hour
