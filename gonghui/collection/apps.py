from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "gonghui.collection"
    label = "collection"
    verbose_name = "上报与汇总"

    def ready(self):
        from gonghui.orgs.history import keep_history

        keep_history(self.label)
