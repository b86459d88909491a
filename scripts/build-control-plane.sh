#!/usr/bin/env bash
# Builds the real Kubernetes control plane the test suite runs — kube-apiserver,
# kube-controller-manager and kubectl from k8s.io/kubernetes (test/cluster/control-plane), etcd from
# go.etcd.io/etcd/server/v3 (test/cluster/etcd) and, when its module exists, the Tekton admission
# program (test/cluster/tekton-admission) — from their Go modules, once, into a cache outside the
# repository:
#
#   ${IMAGESTREAMS_CONTROL_PLANE_CACHE:-$HOME/.cache/cdk8s-imagestreams/control-plane}/<key>/bin/
#
# <key> hashes every file of those modules, so a changed go.mod, go.sum or source builds anew and an
# unchanged one is reused (a warm run takes about a second). Each module is also cached on its own
# (modules/<name>-<module key>/), so changing one module rebuilds only that one. Everything is built
# in a temporary folder and renamed into place: a killed build never leaves a half cache behind.
# test/support/cluster/binaries.ts computes the same key; keep the two in step (KEY_FORMAT).
#
# Needs Go >= 1.26 (the go directive of the etcd module) and the Go module proxy; a warm run needs
# neither. `--print-key` prints the key and builds nothing.
set -euo pipefail

KEY_FORMAT=control-plane-cache-v1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${IMAGESTREAMS_CONTROL_PLANE_CACHE:-$HOME/.cache/cdk8s-imagestreams/control-plane}

# name:module folder; the binaries each one builds are listed in build_module below.
modules=(control-plane etcd)
[ -f "$root/test/cluster/tekton-admission/go.mod" ] && modules+=(tekton-admission)

# The key of one module folder: the SHA-256 of the `sha256sum` listing of its files (hidden ones
# excepted), in byte order, paths relative to the folder.
module_key() {
  (cd "$root/test/cluster/$1" &&
    find . -type f ! -path '*/.*' -print0 | LC_ALL=C sort -z | xargs -0r sha256sum | sha256sum | cut -c1-64)
}

start=$(date +%s.%N)
elapsed() { awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

declare -A keys
key_text="$KEY_FORMAT"$'\n'
for m in "${modules[@]}"; do
  keys[$m]=$(module_key "$m")
  key_text+="$m ${keys[$m]}"$'\n'
done
key=$(printf '%s' "$key_text" | sha256sum | cut -c1-16)
final="$cache/$key"

if [ "${1:-}" = --print-key ]; then
  echo "$key"
  exit 0
fi
if [ -f "$final/build-info.json" ]; then
  echo "control plane: warm, reused $final/bin ($(elapsed)s)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    PATH=/usr/local/go/bin:$PATH
  else
    echo "build-control-plane: Go (>= 1.26) is needed to build the test control plane; install it from https://go.dev/dl/" >&2
    exit 1
  fi
fi

mkdir -p "$cache/modules"
# One build at a time per cache; a second caller waits, then finds the first one's result.
exec 9>"$cache/.lock"
if ! flock -n 9; then
  echo "control plane: another build holds $cache/.lock; waiting for it"
  flock 9
fi
if [ -f "$final/build-info.json" ]; then
  echo "control plane: warm, reused $final/bin ($(elapsed)s)"
  exit 0
fi
# Left by builds that were killed: nothing else can be writing while we hold the lock.
rm -rf "$cache"/.tmp-* "$cache"/modules/.tmp-*

export CGO_ENABLED=0
build_flags=(-trimpath -buildvcs=false)

# build_module NAME OUT_DIR: builds the binaries of one module into OUT_DIR.
build_module() {
  local name=$1 out=$2
  cd "$root/test/cluster/$name"
  case "$name" in
    control-plane)
      # The version stamps hack/lib/version.sh gives a release build, so /version and kubectl
      # report the release this is (and the apiserver's emulation version is the real one). The
      # commit is known only when the module proxy reports the module's origin; empty otherwise.
      local version commit major minor date ldflags=(-s -w) pkg
      version=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
      commit=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' | head -1)
      major=${version#v}; major=${major%%.*}
      minor=${version#v"$major".}; minor=${minor%%.*}
      date=$(date -u +'%Y-%m-%dT%H:%M:%SZ')
      for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
        ldflags+=(-X "$pkg.gitVersion=$version" -X "$pkg.gitMajor=$major" -X "$pkg.gitMinor=$minor"
          -X "$pkg.gitCommit=$commit" -X "$pkg.gitTreeState=clean" -X "$pkg.buildDate=$date")
      done
      go build "${build_flags[@]}" -ldflags="${ldflags[*]}" -o "$out/" \
        k8s.io/kubernetes/cmd/kube-apiserver \
        k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kubectl
      ;;
    etcd)
      go build "${build_flags[@]}" -ldflags='-s -w' -o "$out/etcd" .
      ;;
    tekton-admission)
      go build "${build_flags[@]}" -ldflags='-s -w' -o "$out/tekton-admission" .
      ;;
  esac
}

declare -A cold_hint=([control-plane]=' (kube-apiserver, kube-controller-manager, kubectl: many minutes the first time)')
built=()
for m in "${modules[@]}"; do
  store="$cache/modules/$m-${keys[$m]}"
  if [ -d "$store" ]; then
    echo "control plane: $m: reusing $store"
    continue
  fi
  echo "control plane: $m: building${cold_hint[$m]:-}"
  t0=$(date +%s)
  tmp="$cache/modules/.tmp-$m-${keys[$m]}"
  rm -rf "$tmp"; mkdir -p "$tmp"
  (build_module "$m" "$tmp")
  mv -T "$tmp" "$store"
  echo "control plane: $m: built in $(( $(date +%s) - t0 ))s"
  built+=("$m")
done

# The combined folder: hard links (or copies) of every module's binaries, renamed into place.
tmp="$cache/.tmp-$key"
rm -rf "$tmp"; mkdir -p "$tmp/bin"
for m in "${modules[@]}"; do
  for f in "$cache/modules/$m-${keys[$m]}"/*; do
    ln "$f" "$tmp/bin/" 2>/dev/null || cp -p "$f" "$tmp/bin/"
  done
done
{
  printf '{\n  "key": "%s",\n  "builtAt": "%s",\n  "go": "%s",\n  "modules": {' "$key" "$(date -u +'%Y-%m-%dT%H:%M:%SZ')" "$(go env GOVERSION)"
  sep=
  for m in "${modules[@]}"; do printf '%s\n    "%s": "%s"' "$sep" "$m" "${keys[$m]}"; sep=,; done
  printf '\n  }\n}\n'
} >"$tmp/build-info.json"
mv -T "$tmp" "$final"

# Prune: keep the newest few combined folders, and the module builds they use.
ls -1dt "$cache"/*/ 2>/dev/null | grep -v '/modules/$' | tail -n +5 | xargs -r rm -rf
for d in "$cache"/modules/*/; do
  d=${d%/}; name=${d##*/}; m=${name%-*}; k=${name##*-}
  grep -qs "\"$m\": \"$k\"" "$cache"/*/build-info.json || rm -rf "$d"
done

if [ ${#built[@]} -gt 0 ]; then
  echo "control plane: cold, built ${built[*]} into $final/bin ($(elapsed)s)"
else
  echo "control plane: assembled $final/bin from cached modules ($(elapsed)s)"
fi
