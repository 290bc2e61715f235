from django.db import migrations

from thedeal.directory import search


def create(apps, schema_editor):
    search.create_index_table(schema_editor)


def drop(apps, schema_editor):
    search.drop_index_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    # The full-text index is engine-specific (FTS5 on SQLite, tsvector on PostgreSQL).
    operations = [migrations.RunPython(create, drop)]
