package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	triggersv1beta1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1beta1"
	"github.com/tektoncd/triggers/pkg/template"
	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// The suffix the apiserver would append to a generateName (5 random characters; a fixed one here so
// that output is stable).
const generatedSuffix = "x7k2q"

type objectMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name         string `json:"name"`
		GenerateName string `json:"generateName"`
		Namespace    string `json:"namespace"`
	} `json:"metadata"`
	Items []json.RawMessage `json:"items"`
}

type checker struct {
	cfg      *configs
	ttParams map[string]string
	out      io.Writer
	checked  int
	failed   int
	ignored  int
}

func validateMain(args []string) int {
	fset := flag.NewFlagSet("validate", flag.ContinueOnError)
	var configFiles, ttParams stringList
	fset.Var(&configFiles, "config", "Tekton ConfigMap YAML (feature-flags, config-defaults, feature-flags-triggers, config-defaults-triggers); repeatable")
	fset.Var(&ttParams, "tt-param", "NAME=VALUE used for $(tt.params.NAME) when checking TriggerTemplate resourcetemplates; repeatable")
	fset.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: tekton-admission validate [--config FILE]... [--tt-param NAME=VALUE]... FILE|DIR...")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return 2
	}
	cfg := defaultConfigs()
	for _, f := range configFiles {
		if err := cfg.loadConfigMap(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	c := &checker{cfg: cfg, ttParams: map[string]string{}, out: os.Stdout}
	for _, kv := range ttParams {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "--tt-param %q: want NAME=VALUE\n", kv)
			return 2
		}
		c.ttParams[k] = v
	}

	files, err := collectFiles(fset.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for _, f := range files {
		c.checkFile(f)
	}
	fmt.Fprintf(os.Stderr, "tekton-admission: %d Tekton object(s) checked, %d refused, %d other object(s) ignored (%s)\n",
		c.checked, c.failed, c.ignored, cfg.describe())
	if c.failed > 0 {
		return 1
	}
	return 0
}

func collectFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

func (c *checker) report(label string, err error, warnings []string) {
	if err != nil {
		c.failed++
		fmt.Fprintf(c.out, "ERROR %s: %s\n", label, oneLine(err.Error()))
		return
	}
	if len(warnings) > 0 {
		fmt.Fprintf(c.out, "OK %s (warnings: %s)\n", label, oneLine(strings.Join(warnings, "; ")))
		return
	}
	fmt.Fprintf(c.out, "OK %s\n", label)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ; ")), " ")
}

func (c *checker) checkFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		c.report(path, err, nil)
		return
	}
	defer f.Close()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(f))
	for i := 0; ; i++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			c.report(fmt.Sprintf("%s (document %d)", path, i), err, nil)
			return
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		raw, err := yaml.YAMLToJSON(doc)
		if err != nil {
			c.report(fmt.Sprintf("%s (document %d)", path, i), err, nil)
			continue
		}
		c.checkObject(raw, fmt.Sprintf("%s (document %d)", path, i), "", "")
	}
}

func labelOf(m *objectMeta, name string) string {
	if m.Metadata.Namespace == "" {
		return m.Kind + "/" + name
	}
	return m.Kind + "/" + m.Metadata.Namespace + "/" + name
}

// checkObject admits one object as a CREATE would: the defaulting webhook's patch must be
// computable, then defaults + Validate must pass. defaultNamespace applies to objects without one;
// suffix is appended to the label.
func (c *checker) checkObject(raw []byte, where, defaultNamespace, suffix string) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	var m objectMeta
	if err := json.Unmarshal(raw, &m); err != nil {
		c.report(where, err, nil)
		return
	}
	if m.Kind == "List" || strings.HasSuffix(m.Kind, "List") && m.Items != nil {
		for i, item := range m.Items {
			c.checkObject(item, fmt.Sprintf("%s items[%d]", where, i), defaultNamespace, suffix)
		}
		return
	}
	gv, err := schema.ParseGroupVersion(m.APIVersion)
	if err != nil {
		c.report(where, err, nil)
		return
	}
	gvk := gv.WithKind(m.Kind)
	if _, ok := handlers[gvk]; !ok {
		c.ignored++
		return
	}
	c.checked++

	// What the apiserver does before the webhooks see the object: the namespace of the request,
	// and (before validating admission) a name generated from generateName.
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		c.report(where, err, nil)
		return
	}
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	if m.Metadata.Namespace == "" && defaultNamespace != "" {
		m.Metadata.Namespace = defaultNamespace
		meta["namespace"] = defaultNamespace
	}
	name := m.Metadata.Name
	shownName := name
	if name == "" && m.Metadata.GenerateName != "" {
		base := m.Metadata.GenerateName
		if len(base) > 58 {
			base = base[:58]
		}
		name = base + generatedSuffix
		shownName = m.Metadata.GenerateName + "*"
	}
	label := labelOf(&m, shownName) + suffix
	if name == "" {
		name = m.Metadata.Name
	}

	req := &admissionv1.AdmissionRequest{
		Kind:      metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		Namespace: m.Metadata.Namespace,
		Operation: admissionv1.Create,
		UserInfo:  authenticationv1.UserInfo{Username: "tekton-admission-validate"},
	}
	// Mutating admission sees the object before the name is generated.
	req.Object = runtime.RawExtension{Raw: mustJSON(obj)}
	if resp := safeAdmit(context.Background(), c.cfg.mutate, req); !resp.Allowed {
		c.report(label, errors.New(resp.Result.Message), nil)
		return
	}
	if name != "" {
		meta["name"] = name
	}
	req.Name = name
	req.Object = runtime.RawExtension{Raw: mustJSON(obj)}
	resp := safeAdmit(context.Background(), c.cfg.validate, req)
	if !resp.Allowed {
		c.report(label, errors.New(resp.Result.Message), resp.Warnings)
		return
	}
	c.report(label, nil, resp.Warnings)

	if gvk.Group == triggersv1beta1.SchemeGroupVersion.Group && gvk.Kind == "TriggerTemplate" {
		c.checkResourceTemplates(raw, &m, name)
	}
}

var nonLabel = regexp.MustCompile(`[^a-z0-9-]+`)

// placeholder is the value a $(tt.params.NAME) takes when checking resourcetemplates: the value
// from --tt-param, else the param's default when it has a non-empty one, else a DNS-label-like
// string made from the name (valid as a name, a label value, a revision or a plain string).
func (c *checker) placeholder(p triggersv1beta1.ParamSpec) string {
	if v, ok := c.ttParams[p.Name]; ok {
		return v
	}
	if p.Default != nil && *p.Default != "" {
		return *p.Default
	}
	s := strings.Trim(nonLabel.ReplaceAllString(strings.ToLower(p.Name), "-"), "-")
	if s == "" {
		s = "value"
	}
	return "tt-" + s
}

// checkResourceTemplates resolves the template's resources as Triggers' EventListener sink does
// (template.ResolveResources: every $(tt.params.NAME) replaced by a value, $(uid) by a UUID) and
// admits each resulting Tekton object as a CREATE in the template's namespace.
func (c *checker) checkResourceTemplates(raw []byte, m *objectMeta, ttName string) {
	var tt triggersv1beta1.TriggerTemplate
	// v1alpha1 and v1beta1 TriggerTemplates have the same shape.
	if err := json.Unmarshal(raw, &tt); err != nil {
		return // already reported by the TriggerTemplate's own validation
	}
	params := make([]triggersv1beta1.Param, 0, len(tt.Spec.Params))
	for _, p := range tt.Spec.Params {
		params = append(params, triggersv1beta1.Param{Name: p.Name, Value: c.placeholder(p)})
	}
	resources := template.ResolveResources(&tt, params)
	ttRef := ttName
	if m.Metadata.Namespace != "" {
		ttRef = m.Metadata.Namespace + "/" + ttName
	}
	for i, r := range resources {
		suffix := fmt.Sprintf(" (TriggerTemplate %s resourcetemplates[%d])", ttRef, i)
		c.checkObject(r, "TriggerTemplate "+ttRef+fmt.Sprintf(" resourcetemplates[%d]", i), m.Metadata.Namespace, suffix)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
