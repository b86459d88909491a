// Command tekton-admission runs Tekton's own admission logic — SetDefaults then Validate, from the
// github.com/tektoncd/pipeline and github.com/tektoncd/triggers Go modules — for the tests of
// cdk8s-imagestreams, as Tekton's webhooks would in a cluster:
//
//	tekton-admission serve --cert F --key F [--addr 127.0.0.1:PORT] [--port-file F] [--config CM.yaml]...
//	    HTTPS AdmissionReview (admission.k8s.io/v1) server: /mutate (defaulting, a JSONPatch) and
//	    /validate (defaults + Validate; a FieldError refuses the object with Tekton's message).
//	tekton-admission validate [--config CM.yaml]... [--tt-param NAME=VALUE]... FILE|DIR...
//	    the same over YAML/JSON files: one line per Tekton object, `OK kind/ns/name` or
//	    `ERROR kind/ns/name: message`; exit status 1 when any object is refused.
//	tekton-admission kinds
//	    the group/version/kinds it admits, one per line (group version kind plural).
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		os.Exit(serveMain(os.Args[2:]))
	case "validate":
		os.Exit(validateMain(os.Args[2:]))
	case "kinds":
		for _, gvk := range sortedKinds() {
			fmt.Printf("%s %s %s %s\n", gvk.Group, gvk.Version, gvk.Kind, plural(gvk.Kind))
		}
	case "-h", "--help", "help":
		usage()
	default:
		usage()
		os.Exit(2)
	}
}

// plural is the resource name of a kind, as Tekton's CRDs name them.
func plural(kind string) string {
	k := strings.ToLower(kind)
	if strings.HasSuffix(k, "y") {
		return k[:len(k)-1] + "ies"
	}
	return k + "s"
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  tekton-admission serve --cert FILE --key FILE [--addr 127.0.0.1:PORT] [--port-file FILE] [--config CONFIGMAP.yaml]...
  tekton-admission validate [--config CONFIGMAP.yaml]... [--tt-param NAME=VALUE]... FILE|DIR...
  tekton-admission kinds`)
}
