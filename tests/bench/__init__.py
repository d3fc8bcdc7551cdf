"""The benchmark harness (tests/bench/README.md); not part of the test suite."""
