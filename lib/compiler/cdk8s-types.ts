/**
 * The small part of cdk8s's API the compiler drives. The compiler runs the *user's* copy of cdk8s
 * (resolved from their entry), so it is typed structurally here instead of imported.
 */
export interface ConstructNode {
  readonly path: string;
  readonly id: string;
  findAll(): { node: ConstructNode }[];
  validate(): string[];
}

export interface CdkConstruct {
  readonly node: ConstructNode;
}

export interface CdkApiObject extends CdkConstruct {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly metadata: { readonly namespace?: string };
}

export interface CdkChart extends CdkConstruct {
  toJson(): Record<string, unknown>[];
}

export interface CdkApp extends CdkConstruct {
  readonly charts: CdkChart[];
  synth(): void;
}

export interface Cdk8sModule {
  readonly App: { prototype: CdkApp };
  readonly ApiObject: { isApiObject(x: unknown): x is CdkApiObject };
  readonly Chart: { of(c: CdkConstruct): CdkChart };
  readonly Names: { toDnsLabel(c: CdkConstruct): string };
}
