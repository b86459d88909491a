/**
 * The subset of Tekton Triggers (triggers.tekton.dev/v1beta1) this project emits, hand-written from
 * the Triggers Go types: the Triggers CRDs are schemaless.
 * @see https://tekton.dev/docs/triggers/
 */
export const TRIGGERS_API_VERSION = 'triggers.tekton.dev/v1beta1';

/** A reference to one of the ClusterInterceptors Triggers ships (github, gitlab, bitbucket, cel). */
export interface InterceptorRef {
  readonly name: string;
  readonly kind: 'ClusterInterceptor';
}

/** An interceptor of a Trigger; `value` is any JSON the interceptor reads. */
export interface TriggerInterceptor {
  readonly name?: string;
  readonly ref: InterceptorRef;
  readonly params: readonly { readonly name: string; readonly value: unknown }[];
}

/** TriggerBinding and Trigger params are strings, with `$(body.x)`/`$(header.x)` substitutions. */
export interface TriggerParam {
  readonly name: string;
  readonly value: string;
}

export interface TriggerSpec {
  readonly interceptors?: readonly TriggerInterceptor[];
  readonly bindings: readonly { readonly ref: string; readonly kind: 'TriggerBinding' }[];
  readonly template: { readonly ref: string };
}

export interface TriggerTemplateSpec {
  readonly params: readonly { readonly name: string; readonly description?: string; readonly default?: string }[];
  readonly resourcetemplates: readonly object[];
}

export interface EventListenerSpec {
  readonly serviceAccountName: string;
  readonly triggers: readonly { readonly triggerRef: string }[];
}
