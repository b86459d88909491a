/**
 * The kubelet's expansion of `$(VAR_NAME)` in a container's env values, command and args, exactly
 * as Kubernetes does it (its fork of Go's os.Expand, third_party/forked/golang/expansion): `$$`
 * becomes `$`; `$(NAME)` becomes NAME's value when the mapping knows NAME, and stays as written
 * otherwise; an unclosed `$(` and a `$` before anything else stay as written.
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export function kubernetesExpand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close === -1) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * What every container of a pod in a namespace sees besides its own env: the service links of the
 * `kubernetes` Service (always, even with enableServiceLinks: false). The values are those of a
 * typical cluster; only the names matter to expansion.
 */
export const SERVICE_ENV: Readonly<Record<string, string>> = Object.freeze({
  KUBERNETES_SERVICE_HOST: '10.96.0.1',
  KUBERNETES_SERVICE_PORT: '443',
  KUBERNETES_SERVICE_PORT_HTTPS: '443',
  KUBERNETES_PORT: 'tcp://10.96.0.1:443',
  KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
  KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_443_TCP_PORT: '443',
  KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
});

/**
 * A container's env as the kubelet makes it: each value expanded with the variables defined
 * before it in the list and the service env; then its args expanded with all of them.
 */
export function expandContainer(env: readonly { name: string; value: string }[], args: readonly string[]): { env: Record<string, string>; args: string[] } {
  const defined = new Map<string, string>();
  const lookup = (name: string) => defined.get(name) ?? SERVICE_ENV[name];
  for (const variable of env) defined.set(variable.name, kubernetesExpand(variable.value, lookup));
  const all = { ...SERVICE_ENV, ...Object.fromEntries(defined) };
  return { env: Object.fromEntries(defined), args: args.map((arg) => kubernetesExpand(arg, (name) => all[name])) };
}
