"""Benchmarks: tf1scope against native TF2 (the floor) and the tf_keras shim.

Run ``python -m benchmarks.run --quick`` (seconds) or ``python -m benchmarks.run``
(the full table) from the repository root; see ``docs/readme_benchmarks.md``.
"""
