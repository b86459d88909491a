#!/usr/bin/env bash
# Prints the current digest of each step image tag that constructs/buildconfig/pipeline/tasks/images.ts
# pins, as `name tag@digest`, to refresh the pins there (and note where each came from):
#
#   scripts/pin-images.sh
#
# Needs skopeo and a network that reaches the registries (docker.io, registry.access.redhat.com).
# The digest is the manifest list's (skopeo inspect --raw is not used: --format '{{.Digest}}' of the
# tag gives the digest a pull by tag resolves to, the index for multi-arch images).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file="$root/constructs/buildconfig/pipeline/tasks/images.ts"
grep -oE "^  [a-z]+: '[^']+'" "$file" | while IFS= read -r line; do
  name=$(printf '%s' "$line" | sed -E "s/^  ([a-z]+): .*/\1/")
  ref=$(printf '%s' "$line" | sed -E "s/^[^']*'([^']+)'.*/\1/")
  tag="${ref%@sha256:*}"
  digest=$(skopeo inspect --format '{{.Digest}}' "docker://$tag")
  status=unchanged
  [ "$tag@$digest" = "$ref" ] || status=MOVED
  printf '%-8s %s@%s %s\n' "$name" "$tag" "$digest" "$status"
done
