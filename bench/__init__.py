"""The benchmark: `python bench/run.py` (or `make bench`). See bench/run.py."""
