"""The benchmark harness (`make bench`): a scale generator and measurements against a bare view.

Not part of the portal and not run in CI; tests/bench/ keeps it working on small data.
"""
