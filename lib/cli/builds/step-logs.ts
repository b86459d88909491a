import { KubeApiError } from '../../runtime/kube/errors';
import type { HttpTransport } from '../../runtime/kube/http';
import { withQuery } from '../../runtime/kube/resources';
import type { StepLogRef } from './progress';

/**
 * Streams step containers' logs (`pods/POD/log?follow=true&container=step-NAME`), each line
 * prefixed with `[task/step]`. A cluster that serves no logs (or refuses them) is said once;
 * the build is then followed by its status alone.
 */
export class StepLogs {
  private readonly open = new Set<Promise<void>>();
  private unavailable = false;

  constructor(
    private readonly transport: HttpTransport,
    private readonly namespace: string,
    private readonly print: (line: string) => void,
    private readonly signal: AbortSignal,
  ) {}

  follow(step: StepLogRef): void {
    if (this.unavailable) return;
    const done = this.stream(step).finally(() => this.open.delete(done));
    this.open.add(done);
  }

  /** Resolves when every stream has ended (the containers exited) or `signal` aborted them. */
  async settle(): Promise<void> {
    while (this.open.size > 0) await Promise.all([...this.open]);
  }

  private async stream(step: StepLogRef): Promise<void> {
    const path = withQuery(`/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(step.pod)}/log`, { follow: true, container: step.container });
    let pending = '';
    try {
      const res = await this.transport.stream({ method: 'GET', path, signal: this.signal });
      for await (const chunk of res) {
        const lines = (pending + (chunk as Buffer).toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) this.print(`[${step.label}] ${line}`);
      }
      if (pending) this.print(`[${step.label}] ${pending}`);
    } catch (e) {
      if (this.signal.aborted) return;
      if (!this.unavailable) this.print(`logs: not available (${describe(e)}); following the status only`);
      this.unavailable = e instanceof KubeApiError || this.unavailable;
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof KubeApiError) return `${e.statusCode} ${e.status.message ?? e.reason ?? ''}`.trim();
  return (e as Error).message;
}
