from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    label = "orgs"
    verbose_name = "组织建设"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.orgs.models import Department, Group, Post, RoleAssignment, Term, Union, User

        # Who changed the tree, a group or a committee, and who was given which role.
        for model in (Union, Department, Group, Term, Post, RoleAssignment):
            auditlog.register(model)
        auditlog.register(User, exclude_fields=["password", "last_login"])
