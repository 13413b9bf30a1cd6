"""``kehu dedupe``: find duplicate customers.

With ``--input FILE --output FILE`` it works on a file and never touches the database (the
matcher's own CLI). Without them it runs on the database: fit on the active customers,
store new candidate pairs for review, save the model for the creation-time warning.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kehu.core import audit


class Command(BaseCommand):
    help = "Find duplicate customers in a file (--input/--output) or in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", help="CSV/Parquet/XLSX of customers to deduplicate")
        parser.add_argument("--output", help="where the file run writes its pairs/clusters")
        parser.add_argument("--threshold", type=float, help="match probability to keep a pair")
        file_only = parser.add_argument_group("file mode only (see the matcher's CLI)")
        file_only.add_argument("--review-threshold", type=float)
        file_only.add_argument("--pairs-out", help="also write the scored pairs")
        file_only.add_argument("--labels", help="reviewed pairs: id_l,id_r,is_match")
        file_only.add_argument("--model-out", help="save the trained model (JSON)")
        file_only.add_argument("--seed", type=int)
        file_only.add_argument("--threads", type=int)
        parser.add_argument("--chunk-size", type=int, default=50_000)
        parser.add_argument(
            "--report",
            action="store_true",
            help="also measure precision/recall against the demo's injected duplicates",
        )
        parser.add_argument(
            "--schedule-nightly",
            action="store_true",
            help="enqueue the nightly run for the worker (kehu worker) and exit",
        )
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args, **options) -> None:
        if options["input"] or options["output"]:
            self._file(options)
            return
        if options["schedule_nightly"]:
            from kehu.quality.tasks import schedule_nightly

            when = schedule_nightly()
            if when is None:
                self.stdout.write("A nightly duplicate search is already scheduled.")
            else:
                self.stdout.write(f"Nightly duplicate search scheduled for {when:%Y-%m-%d %H:%M}.")
            return
        from kehu.quality.detection import run_database_dedupe

        say = (lambda m: None) if options["json"] else (lambda m: self.stderr.write(f"… {m}"))
        with audit.acting_as(None, "cli"):
            run = run_database_dedupe(
                threshold=options["threshold"],
                chunk_size=options["chunk_size"],
                report=options["report"],
                progress=say,
            )
        if options["json"]:
            self.stdout.write(json.dumps(run.as_dict(), ensure_ascii=False))
            return
        stored = run.stored or {}
        self.stdout.write(
            f"{run.customers} customers, {run.candidates} candidate pairs: "
            f"{stored.get('new', 0)} new, {stored.get('updated', 0)} updated, "
            f"{stored.get('skipped_decided', 0)} already decided; "
            f"{run.labels} reviewed pairs used as labels; {run.seconds} s."
        )
        self.stdout.write(f"Model saved to {run.model_path}")
        if run.report is not None:
            r = run.report
            self.stdout.write(
                f"Against the demo's injected duplicates: precision {r['precision']}, "
                f"recall {r['recall']} ({r['true_positives']} of {r['true_pairs']} true pairs, "
                f"{r['predicted_pairs']} predicted)."
            )

    def _file(self, options) -> None:
        if not (options["input"] and options["output"]):
            raise CommandError("--input and --output go together.")
        from kehu.analytics.quality.cli import dedupe_main

        argv = ["--input", options["input"], "--output", options["output"]]
        for name in (
            "threshold",
            "review_threshold",
            "pairs_out",
            "labels",
            "model_out",
            "seed",
            "threads",
        ):
            if options.get(name) is not None:
                argv += ["--" + name.replace("_", "-"), str(options[name])]
        code = dedupe_main(argv)
        if code:
            raise CommandError(f"dedupe failed (exit status {code})")
