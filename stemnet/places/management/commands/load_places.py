from django.core.management.base import BaseCommand

from stemnet.places.services import places_load


class Command(BaseCommand):
    help = "Load (or refresh) the shipped municipality, postcode and boundary reference data."

    def handle(self, *args, **options):
        result = places_load()
        self.stdout.write(
            f"Places loaded: {result.municipalities_2019} municipalities 2019-2024, "
            f"{result.municipalities_2025} since 2025, {result.postcodes} postcode localities "
            f"({result.created} created, {result.updated} updated, {result.deleted} deleted; "
            "source: Statbel, GeoNames; CC BY 4.0)."
        )
