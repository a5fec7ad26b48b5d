#!/usr/bin/env bash
# Deploy the basic example with the real Pulumi CLI against the local AWS
# endpoint, show the result, then destroy it. Run through `make demo`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="$root/.venv/bin/python"
work="$(mktemp -d)"
endpoint_pid=""

step() { printf '\n==> %s\n' "$*"; }

cleanup() {
    status=$?
    if [ "$status" -ne 0 ] && [ -s "$work/endpoint.log" ]; then
        echo "--- local endpoint log ---" >&2
        tail -n 50 "$work/endpoint.log" >&2
    fi
    if [ -n "$endpoint_pid" ]; then
        kill "$endpoint_pid" 2>/dev/null || true
        wait "$endpoint_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step "Getting the Pulumi CLI"
pulumi_dir="$(bash "$root/scripts/get-pulumi.sh" | tail -n 1)"
export PATH="$pulumi_dir:$PATH"
echo "using $(command -v pulumi) ($(pulumi version))"

step "Starting the local AWS endpoint"
mkfifo "$work/endpoint.out"
# Its request log goes to a file, shown only if the demo fails.
"$python" -m ptc_provider.emulator --host 127.0.0.1 --port 0 \
    >"$work/endpoint.out" 2>"$work/endpoint.log" &
endpoint_pid=$!
read -r -t 60 endpoint <"$work/endpoint.out"
echo "local endpoint: $endpoint"

# Every AWS call of the provider goes to the local endpoint with fake keys.
export AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN
# A local backend in a temporary folder, and no calls to Pulumi's service.
export PULUMI_HOME="$work/pulumi-home" PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE=demo PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$work/state"

step "Preparing the basic example (examples/basic) in $work/project"
mkdir -p "$work/project"
cp "$root/examples/basic/__main__.py" "$work/project/"
cat >"$work/project/Pulumi.yaml" <<YAML
name: ptc-basic
runtime:
  name: python
  options:
    virtualenv: $root/.venv
YAML
cd "$work/project"
pulumi stack init demo --non-interactive

step "pulumi up"
pulumi up --yes --non-interactive --skip-preview

step "Stack outputs"
pulumi stack output --json

step "The rule as AWS describes it"
"$python" - <<'PY'
import json

import boto3

ecr = boto3.client("ecr")
rules = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
print(json.dumps(rules, indent=2, default=str))
PY

step "pulumi destroy"
pulumi destroy --yes --non-interactive --skip-preview
pulumi stack rm demo --yes --non-interactive

step "Demo finished"
