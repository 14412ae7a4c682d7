"""Moved to planwatch_core.paths (the core package every part depends on); this alias keeps older imports working
until every branch has switched."""

from planwatch_core.paths import INPUT_KINDS, REPO_ROOT, Paths, current

__all__ = ["INPUT_KINDS", "REPO_ROOT", "Paths", "current"]
