import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache (throttle counts, cached fragments)."""
    cache.clear()
    yield
    cache.clear()
