"""Curated records of news articles about detention and torture, built into article.db."""

from .build import BuildReport, build
from .problems import BuildError

__all__ = ["BuildError", "BuildReport", "build"]
