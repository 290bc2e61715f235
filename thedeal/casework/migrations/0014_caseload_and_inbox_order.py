"""A caseload and an inbox read in their order a page at a time. A person's open plan's review
date, copied onto the person (Person.review_on, filled here for the people there are already)
and indexed with their name; an organisation's referrals indexed by status and date, and a
person's by direction (a caseload's page counts each one's open referrals)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_review_dates(apps, schema_editor):
    # As models.plans.keep_review_dates, with the models as they are at this migration.
    Person = apps.get_model("casework", "Person")
    Plan = apps.get_model("casework", "Plan")
    open_plan = Plan.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    Person.objects.update(review_on=Subquery(open_plan.values("review_on")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0013_report_indexes"),
        ("directory", "0005_search_synonyms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="review_on",
            field=models.DateField(
                editable=False, null=True, verbose_name="Open plan's review date"
            ),
        ),
        migrations.RunPython(copy_review_dates, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.ExpressionWrapper(
                    models.Q(("review_on__isnull", True)), output_field=models.BooleanField()
                ),
                models.F("review_on"),
                models.F("family_name"),
                models.F("given_name"),
                models.F("id"),
                name="person_caseload_order",
            ),
        ),
        migrations.RemoveIndex(model_name="referral", name="referral_person"),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["person", "direction", "requested_at"], name="referral_person"
            ),
        ),
        migrations.RemoveIndex(model_name="referral", name="referral_inbox"),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["performer_organization", "direction", "status", "requested_at", "id"],
                name="referral_inbox",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["performer_organization", "direction", "requested_at", "id"],
                name="referral_inbox_by_date",
            ),
        ),
    ]
