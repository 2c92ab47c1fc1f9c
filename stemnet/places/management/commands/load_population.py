from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stemnet.places.services import population_load


class Command(BaseCommand):
    help = (
        "Load residents by age and sex from a Statbel TF_SOC_POP_STRUCT_<year> file "
        "(.txt, .csv or the .zip as downloaded), summed over nationality and marital status. "
        "All or nothing: any bad row stops the load and is reported with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="TF_SOC_POP_STRUCT_<year>.txt/.csv/.zip")
        parser.add_argument(
            "--year",
            type=int,
            help="Population on 1 January of this year (default: from the file name).",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = population_load(path=path, year=options["year"])
        except ValidationError as exc:
            raise CommandError(
                "Nothing was loaded:\n" + "\n".join(f"  {m}" for m in exc.messages)
            ) from exc
        self.stdout.write(
            f"Population on 1 January {result.year} loaded: {result.residents} residents in "
            f"{result.municipalities} municipalities ({result.counts_written} age/sex counts from "
            f"{result.rows_read} rows; {result.rows_skipped} Walloon rows skipped). "
            "Source: Statbel (CC BY 4.0)."
        )
