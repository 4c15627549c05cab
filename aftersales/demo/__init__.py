"""Demo data: a realistic Chinese data set for two organisations in one installation.

``data`` holds the names, products and texts; ``build`` creates the demo through the real
services (so timelines, audit rows and outbox rows are genuine); ``bulk`` adds large numbers of
customers, assets and cases quickly for benchmarks. The ``demo_load`` command drives them.
"""
