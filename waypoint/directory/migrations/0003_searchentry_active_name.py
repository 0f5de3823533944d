from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_backends")]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["is_active", "name_doc"], name="directory_se_active_name"
            ),
        ),
    ]
