from django.db import migrations

# PostgreSQL holds "never twice" in the database as well: no two bookings that hold their
# time (仮予約, 確定) may overlap on the same resource. SQLite has no EXCLUDE constraint, so
# there (and for the whole/parts of a divisible room) the locked check in
# facilities.services.booking_create is what holds it. Not in Meta.constraints on purpose:
# model validation would raise NotImplementedError on SQLite (STACK.md).

ADD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE facilities_booking ADD CONSTRAINT booking_no_overlap_on_postgresql
    EXCLUDE USING gist (resource_id WITH =, tstzrange("start", "end") WITH &&)
    WHERE (status IN ('tentative', 'confirmed'));
"""
DROP = "ALTER TABLE facilities_booking DROP CONSTRAINT IF EXISTS booking_no_overlap_on_postgresql;"


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [migrations.RunPython(add, drop)]
