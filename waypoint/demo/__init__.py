"""Demo data and synthetic generators: for development and demonstrations only.

The directory and activities of Waypoint's source documents (``load_demo``,
``load_activities_demo``), and an invented directory of any size for
benchmarks (``generate_directory``). This is the top layer: it may import from
every app, and nothing in the apps imports it, not even their tests, which
get the demo through the pytest fixtures of ``waypoint.demo.fixtures``. A
production deployment needs none of it.
"""
