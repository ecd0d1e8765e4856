"""The CI gate around the engine: configuration, rule selection, waivers and baselines. It reads
rules and findings; the formats after it only print what it decided."""
