"""`batchrunner launch JOB.yaml --shards N --print k8s|slurm|ray`: hand the shards to a launcher.

Like `schedule --print-cron`, this prints and applies nothing. Each launcher runs the same
command per shard, `batchrunner run JOB.yaml --shard $INDEX/N`, against a state dir every
shard can reach; a killed or rescheduled shard resumes from its journal, so a launcher that
retries a shard never pays twice for a finished row. `batchrunner merge JOB.yaml` then writes
the output.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .job import PreparedJob

TARGETS = ("k8s", "slurm", "ray")
DEFAULT_IMAGE = "batchrunner:latest"
DEFAULT_CLAIM = "batchrunner-data"
MOUNT = "/data"
BACKOFF_LIMIT_PER_INDEX = 3
SECRET = "batchrunner-keys"


def render(job: PreparedJob, spec_path: str, *, target: str, shards: int, parallel: int | None = None,
           image: str = DEFAULT_IMAGE, claim: str = DEFAULT_CLAIM, state_dir: str | None = None,
           command: str = "batchrunner") -> str:
    if target not in TARGETS:
        raise UsageError(f"--print {target!r}: expected one of {', '.join(TARGETS)}")
    if shards < 1:
        raise UsageError(f"--shards: must be >= 1, got {shards}")
    if job.spec.run.shards is not None and job.spec.run.shards != shards:
        raise UsageError(f"--shards {shards}: {job.spec.spec_path} sets run.shards: {job.spec.run.shards}; "
                         "use the same number")
    parallel = min(parallel or job.spec.run.parallel_shards or shards, shards)
    if target == "k8s":
        return _k8s(job, shards, parallel, image, claim, command)
    spec = str(Path(spec_path).resolve())
    state = str(Path(state_dir).resolve()) if state_dir else str(job.spec.base_dir / ".batchrunner")
    if target == "slurm":
        return _slurm(job, spec, state, shards, parallel, command)
    return _ray(job, spec, state, shards, parallel, command)


def _name(job: PreparedJob) -> str:
    """A DNS-1123 name from the job's name (Kubernetes object names)."""
    slug = re.sub(r"[^a-z0-9-]+", "-", job.spec.name.lower()).strip("-") or "job"
    return f"batchrunner-{slug}"[:52].rstrip("-")


def _notes(job: PreparedJob, parallel: int, shards: int) -> list[str]:
    run = job.spec.run
    notes = []
    if run.rate_limit is None and (run.requests_per_minute or run.tokens_per_minute):
        notes.append(f"each shard paces at 1/{min(run.parallel_shards or shards, shards)} of the job's rate limits "
                     "(run.parallel_shards, default N); run.rate_limit: {backend: redis, url: ...} shares one window")
        if run.parallel_shards is not None and parallel != min(run.parallel_shards, shards):
            notes.append(f"set run.parallel_shards: {parallel} in the spec to match this parallelism")
    return notes


def _k8s(job: PreparedJob, shards: int, parallel: int, image: str, claim: str, command: str) -> str:
    name = _name(job)
    spec_in_pod = f"{MOUNT}/{job.spec.spec_path.name}"
    run = f'exec {command} run {shlex.quote(spec_in_pod)} --shard "$JOB_COMPLETION_INDEX/{shards}" --no-progress'
    env: list[dict[str, Any]] = [{"name": "BATCHRUNNER_STATE_DIR", "value": f"{MOUNT}/.batchrunner"},
                                 {"name": "BATCHRUNNER_CACHE_DIR", "value": f"{MOUNT}/.batchrunner/cache"}]
    key_env = job.endpoint.api_key_env
    if key_env:
        env.append({"name": key_env, "valueFrom": {"secretKeyRef": {"name": SECRET, "key": key_env}}})
    labels = {"app.kubernetes.io/name": "batchrunner", "batchrunner/job": name[len("batchrunner-"):] or "job"}
    doc = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "completionMode": "Indexed",
            "completions": shards,
            "parallelism": parallel,
            # A failed shard is retried on its own (it resumes from its journal); the others go on.
            "backoffLimitPerIndex": BACKOFF_LIMIT_PER_INDEX,
            "maxFailedIndexes": shards,
            "podFailurePolicy": {"rules": [
                # exit 2 (spec, input or command line wrong) or 4 (auth rejected, budget reached): a retry
                # would stop the same way; fix the cause and apply again, the shard resumes.
                {"action": "FailIndex", "onExitCodes": {"containerName": "batchrunner", "operator": "In",
                                                        "values": [2, 4]}},
                {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
            ]},
            "template": {
                "metadata": {"labels": dict(labels)},  # a copy: no YAML anchors in the output
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{
                        "name": "batchrunner",
                        "image": image,
                        "workingDir": MOUNT,
                        "command": ["sh", "-c", run],
                        "env": env,
                        "resources": {"requests": {"cpu": "1", "memory": "1Gi"}},
                        "volumeMounts": [{"name": "data", "mountPath": MOUNT}],
                    }],
                    "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
                },
            },
        },
    }
    head = [
        f"# batchrunner job '{job.spec.name}' as a Kubernetes Indexed Job: {shards} shards, {parallel} at a time.",
        f"# The volume claim '{claim}' (ReadWriteMany) holds the job folder ({job.spec.spec_path.name}, its input",
        f"# and prompts) at {MOUNT}; run state and response caches go to {MOUNT}/.batchrunner.",
    ]
    if key_env:
        head.append(f"# The key comes from a secret: kubectl create secret generic {SECRET} "
                    f"--from-literal={key_env}=...")
    head += [f"# Apply: kubectl apply -f job.yaml. Once complete: batchrunner merge {job.spec.spec_path.name}",
             f"# (where the volume is mounted, BATCHRUNNER_STATE_DIR={MOUNT}/.batchrunner)."]
    head += [f"# Note: {n}" for n in _notes(job, parallel, shards)]
    return "\n".join(head) + "\n" + yaml.safe_dump(doc, sort_keys=False, width=200)


def _slurm(job: PreparedJob, spec: str, state: str, shards: int, parallel: int, command: str) -> str:
    name = _name(job)
    limit = f"%{parallel}" if parallel < shards else ""
    lines = [
        "#!/bin/bash",
        f"# batchrunner job '{job.spec.name}' as a Slurm job array: {shards} shards, {parallel} at a time.",
        "# The spec, its input and the state dir must be on a file system every node mounts.",
        f"#SBATCH --job-name={name}",
        f"#SBATCH --array=0-{shards - 1}{limit}",
        "#SBATCH --ntasks=1",
        "#SBATCH --cpus-per-task=1",
        "#SBATCH --mem=1G",
        f"#SBATCH --output={name}-%A_%a.log",
        "#SBATCH --requeue",
        "set -euo pipefail",
        f"export BATCHRUNNER_STATE_DIR={shlex.quote(state)}",
        "# A requeued or resubmitted task resumes its shard from the journal.",
        f'srun {command} run {shlex.quote(spec)} --shard "${{SLURM_ARRAY_TASK_ID}}/{shards}" --no-progress',
        "# Then, once every task has finished:",
        f"#   sbatch --dependency=afterok:<this job id> --wrap '{command} merge {shlex.quote(spec)}'",
    ]
    lines += [f"# Note: {n}" for n in _notes(job, parallel, shards)]
    return "\n".join(lines) + "\n"


_RAY = '''#!/usr/bin/env python3
"""batchrunner job {job!r} as {shards} Ray tasks, {parallel} at a time, then the merge.

Generated by `batchrunner launch --print ray`. Every node needs batchrunner installed and the
spec, its input and the state dir on a shared file system. Run: RAY_ADDRESS=auto python this.py
A task that dies is retried by Ray and resumes its shard from the journal.
"""

import os
import subprocess
import sys

import ray

COMMAND = {command!r}
SPEC = {spec!r}
SHARDS = {shards}
PARALLEL = {parallel}
ENV = {{**os.environ, "BATCHRUNNER_STATE_DIR": {state!r}}}


class ShardCrashed(Exception):
    """The shard process died or was interrupted: retrying resumes it."""


@ray.remote(num_cpus=1, max_retries=3, retry_exceptions=[ShardCrashed])
def run_shard(index: int) -> int:
    cmd = [COMMAND, "run", SPEC, "--shard", f"{{index}}/{{SHARDS}}", "--no-progress"]
    code = subprocess.run(cmd, env=ENV, check=False).returncode
    if code in (0, 3):  # finished (3: some rows failed; merge reports them)
        return code
    if code in (2, 4):  # a wrong spec, or stopped (auth, budget): a retry would not help
        raise RuntimeError(f"shard {{index}}/{{SHARDS}} stopped with exit code {{code}}")
    raise ShardCrashed(f"shard {{index}}/{{SHARDS}} exited with {{code}}")


def main() -> int:
    ray.init()
    pending = []
    for index in range(SHARDS):
        if len(pending) >= PARALLEL:
            done, pending = ray.wait(pending, num_returns=1)
            ray.get(done)
        pending.append(run_shard.remote(index))
    ray.get(pending)
    return subprocess.run([COMMAND, "merge", SPEC], env=ENV, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
'''


def _ray(job: PreparedJob, spec: str, state: str, shards: int, parallel: int, command: str) -> str:
    text = _RAY.format(job=job.spec.name, command=command, spec=spec, state=state, shards=shards, parallel=parallel)
    notes = "".join(f"# Note: {n}\n" for n in _notes(job, parallel, shards))
    return text if not notes else text.replace("\nimport os\n", f"\n{notes}import os\n", 1)
