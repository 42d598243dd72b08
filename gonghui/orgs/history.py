"""Every record keeps its history (django-auditlog), with secrets kept out.

An area calls `keep_history(app_label, leave_out=...)` from its AppConfig.ready:
every model of the app is registered, except those named in `leave_out`
(ballots, voting rolls, one-time codes: DESIGN.md keeps them out of any log;
four-period records, whose every view is logged in AccessLog instead), and
encrypted fields are never copied into a log entry.
"""

from django.apps import apps

from gonghui.encryption import EncryptedTextField


def keep_history(app_label: str, *, leave_out: tuple[str, ...] = ()) -> None:
    from auditlog.registry import auditlog

    for model in apps.get_app_config(app_label).get_models():
        if model.__name__ in leave_out or auditlog.contains(model):
            continue
        secret = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        auditlog.register(model, exclude_fields=secret)
