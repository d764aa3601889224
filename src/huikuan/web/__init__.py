"""The web application: Django views over the importers, the engine and the result files.

The only package that imports Django. Business logic lives in plain functions
(:mod:`huikuan.web.services` change things, :mod:`huikuan.web.selectors` read them, both
scoped by company); views only parse requests and render templates. Nothing here matches or
parses files itself: it calls :mod:`huikuan.importers`, :mod:`huikuan.engine` and
:mod:`huikuan.results`.
"""
