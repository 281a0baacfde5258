"""fupin's benchmarks: whole processes, several runs, medians, each beside a floor in the same run."""
