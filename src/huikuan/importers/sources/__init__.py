"""One module per source format. Every :class:`~huikuan.importers.base.Importer` subclass with an
``id`` defined here is registered automatically."""
