"""Shared parts of the three ERP sandboxes (local simulators used by tests, benchmarks and the
demo): a deterministic Brazilian catalogue, the call log, server-side rate windows and the
werkzeug server helpers. Servers may use Flask/werkzeug; connector clients never import this."""
