"""`make bench`: whole-process timings of wsgen against named anchors, side by side."""
