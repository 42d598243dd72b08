"""Change marks name the table written, and coverage remembers what each
figure read and which marks it has seen, so a refresh recomputes only the
figures a change can affect.

A mark of the old shape (one per union, no table) becomes a mark of every
table ("*"): the union is recomputed in full once, nothing stale is served.
"""

import django.db.models.deletion
from django.db import migrations, models


def _every_table(apps, schema_editor):
    Old = apps.get_model("rollup", "ChangeV1")
    New = apps.get_model("rollup", "Change")
    New.objects.bulk_create(
        [New(union_id=o.union_id, source="*", changed_at=o.changed_at) for o in Old.objects.all()]
    )


def _one_per_union(apps, schema_editor):
    Old = apps.get_model("rollup", "ChangeV1")
    New = apps.get_model("rollup", "Change")
    latest = {}
    for mark in New.objects.all():
        if mark.union_id not in latest or mark.changed_at > latest[mark.union_id]:
            latest[mark.union_id] = mark.changed_at
    Old.objects.bulk_create([Old(union_id=u, changed_at=at) for u, at in latest.items()])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_union_archived_on_union_merged_into_and_more"),
        ("rollup", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("Change", "ChangeV1"),
        migrations.CreateModel(
            name="Change",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="写入的数据表名；“*”为全部（批量迁移等）",
                        max_length=80,
                        verbose_name="变动的数据表",
                    ),
                ),
                ("changed_at", models.DateTimeField(verbose_name="最近变动时间")),
                (
                    "union",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="orgs.union",
                        verbose_name="所属工会",
                    ),
                ),
            ],
            options={
                "verbose_name": "记录变动",
                "verbose_name_plural": "记录变动",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("union", "source"), name="rollup_one_change_mark"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="coverage",
            name="sources",
            field=models.JSONField(
                blank=True,
                help_text="{指标: [数据表…]}：计算时实际查询过的表；空为未知（任何变动都使其过期）",
                null=True,
                verbose_name="指标读取的数据表",
            ),
        ),
        migrations.AddField(
            model_name="coverage",
            name="marks_seen",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="{数据表: 变动时间}：计算开始前已看到、已计入本次结果的变动标记",
                verbose_name="已计入的变动",
            ),
        ),
        migrations.RunPython(_every_table, _one_per_union),
        migrations.DeleteModel("ChangeV1"),
    ]
