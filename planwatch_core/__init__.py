"""The core every part of planwatch shares: where things live (paths), the run's settings (settings), the one
error type for bad input (errors), the kill-test pause points (faults), how to find uv (uv_locator) and how to
stop a started server (processes).

It depends on the standard library only and on none of ingest, orchestration, superset_config or the
`planwatch` command line; they all depend on it (tests/test_architecture.py holds that)."""
