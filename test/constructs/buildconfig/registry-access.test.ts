import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import { RegistryCa } from '../../../constructs/buildconfig/registry-access';

function synthWith(props: { registries?: Record<string, { insecure?: boolean; ca?: RegistryCa }>; insecureOutput?: boolean }) {
  const app = Testing.app();
  new System(app, 'imagestreams');
  const chart = new Chart(app, 'c', { namespace: 'ns' });
  new BuildConfig(chart, 'b', {
    source: BuildSource.git({ uri: 'https://h/r.git' }), strategy: BuildStrategy.dockerfile(),
    output: BuildOutput.image('out.example:5000/a:1', { insecure: props.insecureOutput }), registries: props.registries, triggers: [],
  });
  const objects = Testing.synth(chart) as { kind: string; spec: Record<string, never> }[];
  return { pipeline: objects.find((o) => o.kind === 'Pipeline')!.spec as any, bc: objects.find((o) => o.kind === 'BuildConfig')!.spec as any };
}

describe('BuildConfig registries (TLS per registry)', () => {
  it('lists the insecure hosts alone, and binds each CA as <host>/ca.crt of the registry-cas workspace', () => {
    const { pipeline, bc } = synthWith({
      insecureOutput: true,
      registries: { 'dev.local:5000': { insecure: true }, 'registry.internal': { ca: RegistryCa.fromConfigMap('internal-ca') }, 'vault.internal': { ca: RegistryCa.fromSecret('vault-tls', 'tls-ca.pem') } },
    });
    const param = pipeline.params.find((p: { name: string }) => p.name === 'INSECURE_REGISTRIES');
    expect(param.default).toEqual(['dev.local:5000', 'out.example:5000']);
    expect(pipeline.params.find((p: { name: string }) => p.name === 'TLS_VERIFY')).toBeUndefined();
    expect(pipeline.workspaces).toContainEqual(expect.objectContaining({ name: 'registry-cas', optional: true }));
    expect(pipeline.tasks.find((t: { name: string }) => t.name === 'build').workspaces).toContainEqual({ name: 'registry-cas', workspace: 'registry-cas' });
    expect(bc.workspaces).toContainEqual({
      name: 'registry-cas',
      projected: {
        sources: [
          { configMap: { name: 'internal-ca', items: [{ key: 'ca.crt', path: 'registry.internal/ca.crt' }] } },
          { secret: { name: 'vault-tls', items: [{ key: 'tls-ca.pem', path: 'vault.internal/ca.crt' }] } },
        ],
      },
    });
  });

  it('declares no registry-cas workspace without a CA, and no insecure host by default', () => {
    const { pipeline, bc } = synthWith({});
    expect(pipeline.params.find((p: { name: string }) => p.name === 'INSECURE_REGISTRIES').default).toEqual([]);
    expect(pipeline.workspaces.map((w: { name: string }) => w.name)).not.toContain('registry-cas');
    expect(bc.workspaces.map((w: { name: string }) => w.name)).not.toContain('registry-cas');
  });

  it.each([
    ['https://r.io', "[c/b] 'registries' has 'https://r.io', which is not a registry host: write it as image references do, host[:port] in lowercase without scheme or path, e.g. registry.example.com:5000"],
    ['R.io', "[c/b] 'registries' has 'R.io', which is not a registry host: write it as image references do, host[:port] in lowercase without scheme or path, e.g. registry.example.com:5000"],
  ])('refuses the host %s', (host, message) => {
    expect(() => synthWith({ registries: { [host]: { insecure: true } } })).toThrowError(message);
  });

  it('refuses unknown keys and CAs that are not RegistryCa', () => {
    expect(() => synthWith({ registries: { 'r.io': { insecure: true, tlsVerify: false } as never } })).toThrowError("[c/b] 'registries.r.io' has an unknown key 'tlsVerify': use insecure or ca");
    expect(() => synthWith({ registries: { 'r.io': { ca: 'ca.crt' as never } } })).toThrowError("[c/b] 'registries.r.io.ca' must be RegistryCa.fromConfigMap(name) or RegistryCa.fromSecret(name)");
    expect(() => RegistryCa.fromConfigMap('ca', 'a/b')).toThrowError("RegistryCa.fromConfigMap(): 'key' (a/b) is not a ConfigMap or Secret key: use letters, digits, '-', '_' and '.', e.g. ca.crt");
  });
});
