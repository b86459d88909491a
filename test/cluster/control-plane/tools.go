//go:build tools

// Package controlplane only names the commands scripts/build-control-plane.sh builds, so that
// `go mod tidy` keeps everything they need in go.mod and go.sum. The build tag keeps it out of
// every build: these are programs, not importable packages.
package controlplane

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
