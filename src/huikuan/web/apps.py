"""The Django app of the web interface (label ``huikuan``)."""

from django.apps import AppConfig


class HuikuanWebConfig(AppConfig):
    name = "huikuan.web"
    label = "huikuan"
    verbose_name = "huikuan 回款"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from huikuan.web import checks  # noqa: F401 - registers the start-up checks
