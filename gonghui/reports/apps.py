from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = "统计与报告"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from gonghui.reports import figure_cache

        # Every write through Django's connections marks its table, so kept
        # figures are never served once their records change (figure_cache).
        connection_created.connect(figure_cache.install, dispatch_uid="figure-cache-install")
        for opened in connections.all(initialized_only=True):
            figure_cache.install(connection=opened)
        pre_migrate.connect(figure_cache.migration_started, dispatch_uid="figure-cache-migrate")
        post_migrate.connect(figure_cache.migration_finished, dispatch_uid="figure-cache-migrated")
