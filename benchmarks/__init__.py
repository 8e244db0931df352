"""`make bench`: measured figures for docs/benchmarks.md (ratios against same-run baselines)."""
