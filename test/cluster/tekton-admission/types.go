package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	pipelineconfig "github.com/tektoncd/pipeline/pkg/apis/config"
	pipelinev1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	pipelinev1alpha1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1alpha1"
	pipelinev1beta1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1beta1"
	resolutionv1alpha1 "github.com/tektoncd/pipeline/pkg/apis/resolution/v1alpha1"
	resolutionv1beta1 "github.com/tektoncd/pipeline/pkg/apis/resolution/v1beta1"
	triggersconfig "github.com/tektoncd/triggers/pkg/apis/config"
	"github.com/tektoncd/triggers/pkg/apis/triggers/contexts"
	triggersv1alpha1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1alpha1"
	triggersv1beta1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1beta1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"knative.dev/pkg/webhook/resourcesemantics"
	"sigs.k8s.io/yaml"
)

// Which webhook (and so which config store) handles a kind: Tekton Pipelines and Tekton Triggers
// are two webhooks, each decorating the context with its own configuration.
type owner int

const (
	ownerPipelines owner = iota
	ownerTriggers
)

type kindHandler struct {
	owner owner
	proto resourcesemantics.GenericCRD
}

// The kinds are those of the `types` tables of Tekton's two webhook mains
// (pipeline cmd/webhook/main.go and triggers cmd/webhook/main.go) at the versions in go.mod.
var handlers = map[schema.GroupVersionKind]kindHandler{
	// Tekton Pipelines
	pipelinev1alpha1.SchemeGroupVersion.WithKind("VerificationPolicy"):  {ownerPipelines, &pipelinev1alpha1.VerificationPolicy{}},
	pipelinev1alpha1.SchemeGroupVersion.WithKind("StepAction"):          {ownerPipelines, &pipelinev1alpha1.StepAction{}},
	pipelinev1beta1.SchemeGroupVersion.WithKind("Pipeline"):             {ownerPipelines, &pipelinev1beta1.Pipeline{}},
	pipelinev1beta1.SchemeGroupVersion.WithKind("Task"):                 {ownerPipelines, &pipelinev1beta1.Task{}},
	pipelinev1beta1.SchemeGroupVersion.WithKind("TaskRun"):              {ownerPipelines, &pipelinev1beta1.TaskRun{}},
	pipelinev1beta1.SchemeGroupVersion.WithKind("PipelineRun"):          {ownerPipelines, &pipelinev1beta1.PipelineRun{}},
	pipelinev1beta1.SchemeGroupVersion.WithKind("CustomRun"):            {ownerPipelines, &pipelinev1beta1.CustomRun{}},
	pipelinev1beta1.SchemeGroupVersion.WithKind("StepAction"):           {ownerPipelines, &pipelinev1beta1.StepAction{}},
	pipelinev1.SchemeGroupVersion.WithKind("Task"):                      {ownerPipelines, &pipelinev1.Task{}},
	pipelinev1.SchemeGroupVersion.WithKind("Pipeline"):                  {ownerPipelines, &pipelinev1.Pipeline{}},
	pipelinev1.SchemeGroupVersion.WithKind("TaskRun"):                   {ownerPipelines, &pipelinev1.TaskRun{}},
	pipelinev1.SchemeGroupVersion.WithKind("PipelineRun"):               {ownerPipelines, &pipelinev1.PipelineRun{}},
	resolutionv1alpha1.SchemeGroupVersion.WithKind("ResolutionRequest"): {ownerPipelines, &resolutionv1alpha1.ResolutionRequest{}},
	resolutionv1beta1.SchemeGroupVersion.WithKind("ResolutionRequest"):  {ownerPipelines, &resolutionv1beta1.ResolutionRequest{}},

	// Tekton Triggers
	triggersv1alpha1.SchemeGroupVersion.WithKind("ClusterTriggerBinding"): {ownerTriggers, &triggersv1alpha1.ClusterTriggerBinding{}},
	triggersv1alpha1.SchemeGroupVersion.WithKind("ClusterInterceptor"):    {ownerTriggers, &triggersv1alpha1.ClusterInterceptor{}},
	triggersv1alpha1.SchemeGroupVersion.WithKind("Interceptor"):           {ownerTriggers, &triggersv1alpha1.Interceptor{}},
	triggersv1alpha1.SchemeGroupVersion.WithKind("EventListener"):         {ownerTriggers, &triggersv1alpha1.EventListener{}},
	triggersv1alpha1.SchemeGroupVersion.WithKind("TriggerBinding"):        {ownerTriggers, &triggersv1alpha1.TriggerBinding{}},
	triggersv1alpha1.SchemeGroupVersion.WithKind("TriggerTemplate"):       {ownerTriggers, &triggersv1alpha1.TriggerTemplate{}},
	triggersv1alpha1.SchemeGroupVersion.WithKind("Trigger"):               {ownerTriggers, &triggersv1alpha1.Trigger{}},
	triggersv1beta1.SchemeGroupVersion.WithKind("ClusterTriggerBinding"):  {ownerTriggers, &triggersv1beta1.ClusterTriggerBinding{}},
	triggersv1beta1.SchemeGroupVersion.WithKind("EventListener"):          {ownerTriggers, &triggersv1beta1.EventListener{}},
	triggersv1beta1.SchemeGroupVersion.WithKind("TriggerBinding"):         {ownerTriggers, &triggersv1beta1.TriggerBinding{}},
	triggersv1beta1.SchemeGroupVersion.WithKind("TriggerTemplate"):        {ownerTriggers, &triggersv1beta1.TriggerTemplate{}},
	triggersv1beta1.SchemeGroupVersion.WithKind("Trigger"):                {ownerTriggers, &triggersv1beta1.Trigger{}},
}

// sortedKinds lists the handled kinds in a stable order (for `tekton-admission kinds`).
func sortedKinds() []schema.GroupVersionKind {
	out := make([]schema.GroupVersionKind, 0, len(handlers))
	for gvk := range handlers {
		out = append(out, gvk)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// configs is what each webhook's config store would hold. Tekton's webhooks watch ConfigMaps in
// their namespace (pipeline: feature-flags, config-defaults, …; triggers: feature-flags-triggers,
// config-defaults-triggers); with none loaded the store yields the compiled-in defaults of that
// release (pipeline: enable-api-fields=beta; triggers: enable-api-fields=stable). --config FILE
// loads one of those ConfigMaps as shipped in the release's config/ folder (or edited).
type configs struct {
	pipeline *pipelineconfig.Config
	triggers *triggersconfig.Config
}

func defaultConfigs() *configs {
	return &configs{
		pipeline: pipelineconfig.FromContextOrDefaults(context.Background()),
		triggers: triggersconfig.FromContextOrDefaults(context.Background()),
	}
}

// loadConfigMap applies one ConfigMap file to the configuration, by its name, the way the webhook's
// config store would when the ConfigMap is created in its namespace.
func (c *configs) loadConfigMap(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cm corev1.ConfigMap
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if cm.Kind != "ConfigMap" {
		return fmt.Errorf("%s: not a ConfigMap (kind %q)", path, cm.Kind)
	}
	switch cm.Name {
	case pipelineconfig.GetFeatureFlagsConfigName():
		ff, err := pipelineconfig.NewFeatureFlagsFromConfigMap(&cm)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		c.pipeline.FeatureFlags = ff
	case pipelineconfig.GetDefaultsConfigName():
		d, err := pipelineconfig.NewDefaultsFromConfigMap(&cm)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		c.pipeline.Defaults = d
	case triggersconfig.GetFeatureFlagsConfigName():
		ff, err := triggersconfig.NewFeatureFlagsFromConfigMap(&cm)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		c.triggers.FeatureFlags = ff
	case triggersconfig.GetDefaultsConfigName():
		d, err := triggersconfig.NewDefaultsFromConfigMap(&cm)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		c.triggers.Defaults = d
	default:
		return fmt.Errorf("%s: ConfigMap %q is not one of %s, %s, %s, %s", path, cm.Name,
			pipelineconfig.GetFeatureFlagsConfigName(), pipelineconfig.GetDefaultsConfigName(),
			triggersconfig.GetFeatureFlagsConfigName(), triggersconfig.GetDefaultsConfigName())
	}
	return nil
}

// withConfig is the webhook's `withContext` function: pipeline's `store.ToContext(ctx)`, and for
// triggers `contexts.WithUpgradeViaDefaulting(store.ToContext(ctx))`. Each request gets deep copies,
// as Store.Load() hands out.
func (c *configs) withConfig(ctx context.Context, o owner) context.Context {
	switch o {
	case ownerTriggers:
		return contexts.WithUpgradeViaDefaulting(triggersconfig.ToContext(ctx, &triggersconfig.Config{
			Defaults:     c.triggers.Defaults.DeepCopy(),
			FeatureFlags: c.triggers.FeatureFlags.DeepCopy(),
		}))
	default:
		p := c.pipeline
		return pipelineconfig.ToContext(ctx, &pipelineconfig.Config{
			Defaults:               p.Defaults.DeepCopy(),
			FeatureFlags:           p.FeatureFlags.DeepCopy(),
			Metrics:                p.Metrics.DeepCopy(),
			SpireConfig:            p.SpireConfig.DeepCopy(),
			Events:                 p.Events.DeepCopy(),
			Tracing:                p.Tracing.DeepCopy(),
			WaitExponentialBackoff: p.WaitExponentialBackoff.DeepCopy(),
		})
	}
}

func (c *configs) describe() string {
	return fmt.Sprintf("pipeline enable-api-fields=%s, triggers enable-api-fields=%s",
		c.pipeline.FeatureFlags.EnableAPIFields, c.triggers.FeatureFlags.EnableAPIFields)
}
