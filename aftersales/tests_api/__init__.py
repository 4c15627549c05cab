"""Tests of the JSON API as a whole: they reach into every app, so they sit above the apps
rather than in ``core`` (which imports no other app)."""
