"""huikuan (回款): reconcile an online merchant's money.

Three faces over one engine: the ``huikuan`` command, the web application and this library.
"""

__version__ = "0.1.0"
