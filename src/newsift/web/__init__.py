"""The web surface: ``newsift serve`` (pages for analysts) and the REST API under ``/api``.

Build the app with :func:`newsift.web.app.create_app`; it calls :mod:`newsift.api` for analysis
and :mod:`newsift.corpus` (through :mod:`newsift.web.corpus`) for corpus browsing.
"""
