"""dslint: a static linter and analyzer for multi-stage Dockerfiles."""

__version__ = "0.1.0"
