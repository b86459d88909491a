/**
 * The small part of cdk8s's API the compiler drives. The compiler runs the *user's* copy of cdk8s
 * (resolved from their entry), so it is typed structurally here instead of imported.
 */
export interface ConstructNode {
  readonly path: string;
  readonly id: string;
  readonly children: CdkConstruct[];
  /** The constructs this one depends on (`addDependency`), as cdk8s reads them. */
  readonly dependencies: CdkConstruct[];
  findAll(): CdkConstruct[];
  validate(): string[];
  addDependency(...deps: CdkConstruct[]): void;
}

export interface CdkConstruct {
  readonly node: ConstructNode;
}

export interface CdkApiObject extends CdkConstruct {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly metadata: { readonly namespace?: string };
  toJson(): Record<string, unknown>;
}

export type CdkChart = CdkConstruct;

export interface CdkApp extends CdkConstruct {
  /** The charts in dependency order. */
  readonly charts: CdkChart[];
  synth(): void;
}

export interface Cdk8sModule {
  readonly App: { prototype: CdkApp };
  readonly ApiObject: { isApiObject(x: unknown): x is CdkApiObject };
  readonly Chart: { of(c: CdkConstruct): CdkChart; isChart(x: unknown): x is CdkChart };
  readonly Names: { toDnsLabel(c: CdkConstruct): string };
  readonly DependencyGraph: new (node: ConstructNode) => { topology(): CdkConstruct[] };
}
