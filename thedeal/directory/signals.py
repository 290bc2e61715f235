"""Keep the search index in step with edits made one record at a time (admin, API).

Bulk imports bypass signals and call search.reindex once for everything they wrote.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from thedeal.directory import search, vocabulary
from thedeal.directory.models import (
    Attribute,
    Location,
    Organization,
    SearchSynonym,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


@receiver(post_save, sender=Service)
def _service_saved(sender, instance: Service, raw: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if not raw:
        search.reindex([instance.id])


@receiver(post_delete, sender=Service)
def _service_deleted(sender, instance: Service, **kwargs) -> None:  # type: ignore[no-untyped-def]
    search.remove([instance.id])


@receiver(post_save, sender=Organization)
def _organization_saved(sender, instance: Organization, raw: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if not raw:
        search.reindex(instance.services.values_list("id", flat=True))


@receiver(pre_save, sender=Attribute)
def _remember_old_link(sender, instance: Attribute, raw: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    instance._previous_service_id = (  # type: ignore[attr-defined]
        Attribute.objects.filter(pk=instance.pk, link_entity="service")
        .values_list("link_id", flat=True)
        .first()
    )


@receiver(post_save, sender=Attribute)
@receiver(post_delete, sender=Attribute)
def _attribute_changed(sender, instance: Attribute, raw: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw:
        return
    # The service it categorises now, and the one it categorised before the edit.
    services = {getattr(instance, "_previous_service_id", None)}
    if instance.link_entity == "service":
        services.add(instance.link_id)
    services.discard(None)
    if services:
        search.reindex(services)


@receiver(post_save, sender=TaxonomyTerm)
def _term_saved(sender, instance: TaxonomyTerm, raw: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if not raw:
        search.reindex(
            instance.attributes.filter(link_entity="service").values_list("link_id", flat=True)
        )


@receiver(pre_save, sender=ServiceAtLocation)
def _remember_old_location(
    sender, instance: ServiceAtLocation, raw: bool = False, **kwargs
) -> None:  # type: ignore[no-untyped-def]
    instance._previous_location_id = (  # type: ignore[attr-defined]
        ServiceAtLocation.objects.filter(pk=instance.pk)
        .values_list("location_id", flat=True)
        .first()
    )


@receiver(post_save, sender=ServiceAtLocation)
@receiver(post_delete, sender=ServiceAtLocation)
def _recount_services_at(sender, instance: ServiceAtLocation, raw: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if not raw:
        places = {instance.location_id, getattr(instance, "_previous_location_id", None)} - {None}
        Location.objects.filter(pk__in=places).refresh_service_counts()


@receiver(post_save, sender=TaxonomyTerm)
@receiver(post_delete, sender=TaxonomyTerm)
def forget_category_choices(sender, **kwargs):  # type: ignore[no-untyped-def]
    """The search form's list of categories is kept for a minute: a change shows at once."""
    from django.core.cache import cache

    cache.delete("directory:category-choices")


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def _synonym_changed(sender, instance: SearchSynonym, **kwargs) -> None:  # type: ignore[no-untyped-def]
    # Every process reads the list again before its next search (vocabulary.knowledge).
    vocabulary.changed()
