"""The category tree the office starts from: 三大问题 and their usual subcategories (editable afterwards)."""

from django.db import migrations

TREE = [
    ("01", "党的领导弱化", [
        "贯彻落实党的路线方针政策和重大决策部署不到位",
        "履行职能责任不到位",
        "落实意识形态工作责任制不到位",
        "维护群众切身利益不到位",
    ]),
    ("02", "党的建设缺失", [
        "落实新时代党的组织路线不到位",
        "基层党组织建设薄弱",
        "干部队伍建设和选人用人问题",
        "党内政治生活不严肃",
    ]),
    ("03", "全面从严治党不力", [
        "落实全面从严治党主体责任不到位",
        "落实监督责任不到位",
        "违反中央八项规定精神",
        "违反政治纪律",
        "违反组织纪律",
        "违反廉洁纪律",
        "违反群众纪律",
        "违反工作纪律",
        "违反生活纪律",
        "巡视巡察和审计整改不到位",
        "形式主义、官僚主义问题",
    ]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("findings", "FindingCategory")
    for code, name, children in TREE:
        parent, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "order": int(code)})
        for i, child in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=f"{code}{i:02d}", defaults={"name": child, "parent": parent, "order": i}
            )


class Migration(migrations.Migration):
    dependencies = [("findings", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
