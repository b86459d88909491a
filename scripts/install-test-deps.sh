#!/usr/bin/env bash
# Installs what the test suite runs for real: the CNCF distribution registry, buildah, skopeo, git,
# htpasswd, a static busybox (base images are made offline from it), openssl and kubectl.
# Debian; as root, or with sudo.
set -euo pipefail

packages=(docker-registry buildah skopeo git apache2-utils busybox-static openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Any kubectl will do (the machines may carry one from another source).
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kubectl), built
# from Go modules into a cache outside the repo; reused when nothing changed.
"$(dirname "${BASH_SOURCE[0]}")/build-control-plane.sh"
echo "test dependencies: ok"
