package main

// The admission logic: what knative.dev/pkg's defaulting and validation admission controllers
// (webhook/resourcesemantics/defaulting and …/validation) do for Tekton's types, written out here
// because those controllers only come with knative's injection, certificate and webhook-config
// reconcilers, which need a Tekton namespace, secrets and leader election in the cluster.

import (
	"context"
	"errors"
	"fmt"

	"gomodules.xyz/jsonpatch/v2"
	admissionv1 "k8s.io/api/admission/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"knative.dev/pkg/apis"
	"knative.dev/pkg/apis/duck"
	"knative.dev/pkg/webhook/json"
	"knative.dev/pkg/webhook/resourcesemantics"
)

// Tekton's webhooks are built with disallowUnknownFields = true (outside metadata).
const disallowUnknownFields = true

var errMissingNewObject = errors.New("the new object may not be nil")

func requestGVK(req *admissionv1.AdmissionRequest) schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: req.Kind.Group, Version: req.Kind.Version, Kind: req.Kind.Kind}
}

func decodeObject(h kindHandler, raw []byte) (resourcesemantics.GenericCRD, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	obj := h.proto.DeepCopyObject().(resourcesemantics.GenericCRD)
	if err := json.Decode(raw, obj, disallowUnknownFields); err != nil {
		return nil, err
	}
	return obj, nil
}

func errorResponse(format string, args ...any) *admissionv1.AdmissionResponse {
	// knative's webhook.MakeErrorStatus
	status := apierrors.NewBadRequest(fmt.Sprintf(format, args...)).Status()
	return &admissionv1.AdmissionResponse{Result: &status, Allowed: false}
}

// mutate is the defaulting webhook: decode, round-trip, SetDefaults in a Create/Update context,
// answer with the JSONPatch from the incoming bytes to the defaulted object.
func (c *configs) mutate(ctx context.Context, req *admissionv1.AdmissionRequest) *admissionv1.AdmissionResponse {
	switch req.Operation {
	case admissionv1.Create, admissionv1.Update:
	default:
		return &admissionv1.AdmissionResponse{Allowed: true}
	}
	gvk := requestGVK(req)
	h, ok := handlers[gvk]
	if !ok {
		return errorResponse("mutation failed: unhandled kind: %v", gvk)
	}
	ctx = c.withConfig(ctx, h.owner)

	newObj, err := decodeObject(h, req.Object.Raw)
	if err != nil {
		return errorResponse("mutation failed: cannot decode incoming new object: %v", err)
	}
	oldObj, err := decodeObject(h, req.OldObject.Raw)
	if err != nil {
		return errorResponse("mutation failed: cannot decode incoming old object: %v", err)
	}
	if newObj == nil {
		return errorResponse("mutation failed: %v", errMissingNewObject)
	}

	var patches duck.JSONPatch
	// The round trip through the Go type first (JSON → Go → JSON is not the identity, e.g. an absent
	// `spec` becomes `spec: {}`), then the defaults on top of it.
	if _, ok := newObj.(duck.Populatable); !ok {
		marshalled, err := json.Marshal(newObj)
		if err != nil {
			return errorResponse("mutation failed: cannot marshal interface: %v", err)
		}
		rtp, err := jsonpatch.CreatePatch(req.Object.Raw, marshalled)
		if err != nil {
			return errorResponse("mutation failed: cannot create patch for round tripped newBytes: %v", err)
		}
		patches = append(patches, rtp...)
	}

	if oldObj != nil {
		// Defaults on the old object too, so that our own earlier defaulting is not taken for a change.
		oldObj = oldObj.DeepCopyObject().(resourcesemantics.GenericCRD)
		oldObj.SetDefaults(ctx)
		if req.SubResource == "" {
			ctx = apis.WithinUpdate(ctx, oldObj)
		} else {
			ctx = apis.WithinSubResourceUpdate(ctx, oldObj, req.SubResource)
		}
	} else {
		ctx = apis.WithinCreate(ctx)
	}
	ctx = apis.WithUserInfo(ctx, &req.UserInfo)

	before := newObj.DeepCopyObject()
	newObj.SetDefaults(ctx)
	dp, err := duck.CreatePatch(before, newObj)
	if err != nil {
		return errorResponse("mutation failed: %v", err)
	}
	patches = append(patches, dp...)
	// (knative also sets creator/updater annotations on types implementing apis.HasSpec; none of
	// Tekton's Pipelines or Triggers types do.)

	patchBytes, err := json.Marshal(patches)
	if err != nil {
		return errorResponse("mutation failed: %v", err)
	}
	pt := admissionv1.PatchTypeJSONPatch
	return &admissionv1.AdmissionResponse{Allowed: true, Patch: patchBytes, PatchType: &pt}
}

// validate is the validating webhook. The apiserver calls it after the mutating webhooks, so the
// object it sees is already defaulted; SetDefaults runs here again anyway (Tekton's defaulting is
// idempotent) so that /validate alone — and the `validate` command — give Tekton's verdict.
func (c *configs) validate(ctx context.Context, req *admissionv1.AdmissionRequest) *admissionv1.AdmissionResponse {
	gvk := requestGVK(req)
	h, ok := handlers[gvk]
	if !ok {
		return errorResponse("decoding request failed: unhandled kind: %v", gvk)
	}
	ctx = c.withConfig(ctx, h.owner)
	newObj, err := decodeObject(h, req.Object.Raw)
	if err != nil {
		return errorResponse("decoding request failed: cannot decode incoming new object: %v", err)
	}
	oldObj, err := decodeObject(h, req.OldObject.Raw)
	if err != nil {
		return errorResponse("decoding request failed: cannot decode incoming old object: %v", err)
	}
	ctx = apis.WithUserInfo(ctx, &req.UserInfo)
	if req.DryRun != nil && *req.DryRun {
		ctx = apis.WithDryRun(ctx)
	}
	switch req.Operation {
	case admissionv1.Update:
		if req.SubResource != "" {
			ctx = apis.WithinSubResourceUpdate(ctx, oldObj, req.SubResource)
		} else {
			ctx = apis.WithinUpdate(ctx, oldObj)
		}
	case admissionv1.Create:
		ctx = apis.WithinCreate(ctx)
	default:
		// Tekton validates CREATE and UPDATE only (its types' SupportedVerbs).
		return &admissionv1.AdmissionResponse{Allowed: true}
	}
	if newObj == nil {
		return errorResponse("validation failed: %v", errMissingNewObject)
	}
	newObj.SetDefaults(ctx)
	errs, warnings := runValidate(ctx, newObj)
	var resp *admissionv1.AdmissionResponse
	if errs != nil {
		resp = errorResponse("validation failed: %v", errs)
	} else {
		resp = &admissionv1.AdmissionResponse{Allowed: true}
	}
	resp.Warnings = warnings
	return resp
}

// runValidate splits Validate's FieldError into errors and warnings, as knative does. Warnings are
// returned one line each (the apiserver drops warnings with control characters).
func runValidate(ctx context.Context, obj resourcesemantics.GenericCRD) (*apis.FieldError, []string) {
	result := obj.Validate(ctx)
	if result == nil {
		return nil, nil
	}
	var errs *apis.FieldError
	if e := result.Filter(apis.ErrorLevel); e != nil {
		errs = e
	}
	var warnings []string
	if w := result.Filter(apis.WarningLevel); w != nil {
		for _, we := range w.WrappedErrors() {
			warnings = append(warnings, splitLines(we.Error())...)
		}
	}
	return errs, warnings
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
