"""Benchmarks (``make bench``): not tests, they measure and write docs/benchmarks.md.

``python -m stemnet.bench`` drives them; each database is built and measured in a
subprocess with its own ``DATABASE_URL`` so the development database is never touched.
"""
