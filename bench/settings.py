"""Benchmark settings: the production settings, plus the hand-written baseline views' URLs."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
