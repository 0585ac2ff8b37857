#!/usr/bin/env bash
# The just-in-time tick of one environment stack: observes the fleet and says whether the next `pulumi up` would change
# anything. Used by the GitHub Actions schedule (.github/workflows/pulumi.yml) and by the Pulumi Deployments pre-run
# commands (Pulumi.<stack>.deploy.yaml).
#
#   bash scripts/jit-tick.sh STACK          exit 3: the next pulumi up changes something (run it)
#                                            exit 0: it would change nothing (skip it)
#                                            exit 2: the stack config is invalid; 1: something else failed
#   bash scripts/jit-tick.sh STACK --gate   exit 0 only when a pulumi up is needed (for a pre-run command), 1 otherwise
#
# Needs the pulumi CLI logged in to the stack's backend and the cloud credentials the kubeconfigs use (aws eks get-token,
# gke-gcloud-auth-plugin). The stack's kubeconfigs are secrets: they are written to a private temporary folder, read by
# `skyray status`, never printed, and deleted on exit.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

stack=${1:?usage: bash scripts/jit-tick.sh STACK [--gate]}
gate=${2:-}
work=$(mktemp -d)
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT

name=${stack##*/}   # skyray knows the stack by its bare name (Pulumi may need org/name)
# Built once, apart from the checkout's own bin/, so build messages never mix with the JSON on stdout.
dotnet build src/SkyRay.Cli -c Release --nologo -v q -o "$work/cli" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
skyray() { dotnet "$work/cli/skyray.dll" "$@"; }

if ! pulumi stack output --stack "$stack" --json > "$work/outputs.json"; then
    echo "jit-tick: cannot read the outputs of stack $stack" >&2
    exit 1
fi
if ! pulumi stack output --stack "$stack" kubeconfigs --show-secrets --json > "$work/kubeconfigs.json" 2>/dev/null; then
    echo '{}' > "$work/kubeconfigs.json"   # a stack without clusters yet exports none
fi

skyray status --stack "$name" --kubeconfigs "$work/kubeconfigs.json" --previous-outputs "$work/outputs.json" \
    --output json > "$work/observed.json" || exit $?
skyray plan --stack "$name" --previous-outputs "$work/outputs.json" --observed "$work/observed.json" --check-changes
rc=$?

if [[ $gate == --gate ]]; then
    case $rc in
        3) echo "jit-tick: $stack changes: running pulumi up"; exit 0 ;;
        0) echo "jit-tick: $stack has nothing to change: this run stops here"; exit 1 ;;
        *) exit 1 ;;
    esac
fi
exit $rc
