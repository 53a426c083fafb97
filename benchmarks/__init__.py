"""Performance measurements of symprop, printed as ratios (``make bench``)."""
