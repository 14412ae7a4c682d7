"""Moved to planwatch_core.errors (the core package every part depends on); this alias keeps older imports working
until every branch has switched."""

from planwatch_core.errors import InputError

__all__ = ["InputError"]
