#!/usr/bin/env bash
# Runs Tekton's own defaulting and validation (SetDefaults + Validate of github.com/tektoncd/pipeline
# and github.com/tektoncd/triggers, what their admission webhooks run) over the Tekton objects in
# the given files or folders — dist/ when none is given — without a cluster:
#
#   scripts/tekton-validate.sh [FILE|DIR]...
#
# One line per Tekton object, `OK kind/ns/name` or `ERROR kind/ns/name: message`; the PipelineRuns
# of TriggerTemplates are checked too, with $(tt.params.*) filled in. Exits 1 when Tekton refuses
# any of them. Feature flags and defaults are those the Tekton releases ship (their config/
# ConfigMaps), as a fresh install has them. Needs Go (>= 1.26) and the Go module proxy; the build of
# test/cluster/tekton-admission is cached by Go's build cache.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$root/test/cluster/tekton-admission"
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH=/usr/local/go/bin:$PATH; fi

[ $# -gt 0 ] || set -- "$root/dist"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$module" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$tmp/tekton-admission" .)

pipeline=$(cd "$module" && go list -m -f '{{.Dir}}' github.com/tektoncd/pipeline)
triggers=$(cd "$module" && go list -m -f '{{.Dir}}' github.com/tektoncd/triggers)

"$tmp/tekton-admission" validate \
  --config "$pipeline/config/config-feature-flags.yaml" \
  --config "$pipeline/config/config-defaults.yaml" \
  --config "$triggers/config/config-feature-flags.yaml" \
  --config "$triggers/config/config-defaults-triggers.yaml" \
  "$@"
