"""Protocols: safe YAML, the model, validation (FILE:LINE problems), the parsed cache."""
