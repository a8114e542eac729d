"""Accuracy of `batchrunner run jobs/classify.yaml --endpoint local` against gold_label.

Run by hand (needs the extra: pip install 'batchrunner[local]'; about a minute per variant on 2 cores):

    python bench/local_accuracy.py                      # the job as shipped, with the automatic constraint
    python bench/local_accuracy.py --variants           # also the alternatives weighed in job.py
    python bench/local_accuracy.py --variants --md bench/local_accuracy.md

Each variant is a real CLI run (subprocess, --fresh, its own state dir and response cache), so it
measures exactly what a user gets. The variants only differ in request params: the prompt is the
job's own. Prints accuracy, the always-majority-class baseline, per-label confusion, invalid
labels, tokens and wall time.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "jobs" / "classify.yaml"
LABELS = ["positive", "negative", "neutral"]


def _schema(key: str) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "label", "strict": True, "schema": {
        "type": "object", "properties": {key: {"type": "string", "enum": LABELS}},
        "required": [key], "additionalProperties": False}}}


# name -> (what it is, params merged into the spec; {} = the job as shipped)
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "shipped": ("automatic constraint: json_schema enum, property named after output.column (sentiment)", {}),
    "label_key": ("json_schema enum, property `label`", {"response_format": _schema("label"), "max_tokens": 64}),
    "unconstrained": ("no constraint, max_tokens 5 (what a remote endpoint gets)",
                      {"response_format": {"type": "text"}}),
    "grammar_compact": ("llama.cpp GBNF: exactly {\"sentiment\": \"<label>\"}, no free whitespace",
                        {"response_format": {"type": "text"}, "max_tokens": 64,
                         "grammar": 'root ::= "{\\"sentiment\\": \\"" ("positive" | "negative" | "neutral") "\\"}"'}),
}


def _spec_for(params: dict[str, Any], workdir: Path) -> Path:
    if not params:
        return SPEC
    doc = yaml.safe_load(SPEC.read_text())
    doc["params"] = {**doc["params"], **params}
    doc["input"]["path"] = str((SPEC.parent / doc["input"]["path"]).resolve())
    path = workdir / "classify.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def run_variant(name: str, params: dict[str, Any], limit: int | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"local-accuracy-{name}-") as tmp:
        work = Path(tmp)
        out = work / "out.parquet"
        args = [sys.executable, "-m", "batchrunner", "run", str(_spec_for(params, work)), "--endpoint", "local",
                "--fresh", "--no-cache", "--json", "--no-progress", "--state-dir", str(work / "state"),
                "--output", str(out)]
        if limit:
            args += ["--limit", str(limit)]
        env = {**os.environ, "BATCHRUNNER_CACHE_DIR": str(work / "cache")}
        t0 = time.monotonic()
        proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO)
        wall = time.monotonic() - t0
        if proc.returncode not in (0, 3) or not out.exists():
            raise SystemExit(f"{name}: exit {proc.returncode}\n{proc.stderr}")
        rows = pq.read_table(out, columns=["gold_label", "sentiment", "status", "error", "completion_tokens"]
                             ).to_pylist()
    summary = json.loads(proc.stdout)
    startup = next((line for line in proc.stderr.splitlines() if " ready at " in line), "")
    golds = [r["gold_label"] for r in rows]
    preds = [r["sentiment"] for r in rows]
    majority, majority_n = collections.Counter(golds).most_common(1)[0]
    return {
        "name": name, "rows": len(rows), "exit": proc.returncode,
        "accuracy": sum(p == g for p, g in zip(preds, golds, strict=True)) / len(rows),
        "majority": majority, "majority_acc": majority_n / len(rows),
        "invalid": sum(r["status"] != "ok" for r in rows),
        "errors": collections.Counter((r["error"] or "").split(":")[0] for r in rows if r["status"] != "ok"),
        "confusion": collections.Counter(zip(golds, preds, strict=True)),
        "gold": collections.Counter(golds), "pred": collections.Counter(preds),
        "completion_tokens": sum(r["completion_tokens"] or 0 for r in rows) / len(rows),
        "wall_s": wall, "run_s": summary["wall_s"], "startup": startup.split(" in ")[-1] if startup else "?",
    }


def _confusion_md(res: dict[str, Any]) -> list[str]:
    cols = [*LABELS, None]
    head = "| gold \\ predicted | " + " | ".join(c or "invalid" for c in cols) + " | recall |"
    lines = [head, "|" + "---|" * (len(cols) + 2)]
    for gold in LABELS:
        cells = [res["confusion"].get((gold, c), 0) for c in cols]
        recall = res["confusion"].get((gold, gold), 0) / max(res["gold"][gold], 1)
        lines.append(f"| {gold} ({res['gold'][gold]}) | " + " | ".join(map(str, cells)) + f" | {recall:.0%} |")
    return lines


def report(results: list[dict[str, Any]]) -> str:
    first = results[0]
    lines = [
        f"rows: {first['rows']} · always-{first['majority']} baseline: {first['majority_acc']:.1%} · "
        f"{platform.machine()}, {os.cpu_count()} cores",
        "",
        "| variant | accuracy | invalid | predicted (pos/neg/neu) | completion tok/row | run s | start-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        pred = "/".join(str(r["pred"].get(label, 0)) for label in LABELS)
        lines.append(f"| {r['name']} | {r['accuracy']:.1%} | {r['invalid']} | {pred} | "
                     f"{r['completion_tokens']:.1f} | {r['run_s']:.0f} | {r['startup']} |")
    lines.append("")
    for r in results:
        lines += [f"{r['name']}: {VARIANTS[r['name']][0]}", "", *_confusion_md(r), ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, help="only the first N reviews (default: all 200)")
    ap.add_argument("--variants", action="store_true", help="also run the alternative constraints")
    ap.add_argument("--md", type=Path, help="also write the tables to this Markdown file")
    args = ap.parse_args()
    names = list(VARIANTS) if args.variants else ["shipped"]
    results = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(run_variant(name, VARIANTS[name][1], args.limit))
    text = report(results)
    print(text)
    if args.md:
        stamp = time.strftime("%Y-%m-%d")
        args.md.write_text(f"# Local endpoint accuracy ({stamp})\n\n`python bench/local_accuracy.py --variants`"
                           f" — SmolLM2-135M-Instruct Q4_1 on `jobs/classify.yaml`, temperature 0.\n\n"
                           f"{reading(results[0])}\n\n{text}\n")


def reading(shipped: dict[str, Any]) -> str:
    recall = {g: shipped["confusion"].get((g, g), 0) / max(shipped["gold"][g], 1) for g in LABELS}
    return (
        f"**Reading.** As shipped, the local endpoint labels {shipped['accuracy']:.1%} of the reviews right, against "
        f"{shipped['majority_acc']:.1%} for always answering '{shipped['majority']}' — better than the trivial "
        f"baseline, far from useful (recall: " + ", ".join(f"{g} {r:.0%}" for g, r in recall.items()) + "). "
        "The constraint guarantees a valid label, not a right one. Runs differ by about a point from one to the "
        "next (llama.cpp batches the parallel slots together). The local endpoint is for trying the tool and for "
        "tests; judge quality on a real model."
    )


if __name__ == "__main__":
    main()
