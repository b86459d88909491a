/** Exchanges in flight at once with one registry, by default, across the process. */
export const DEFAULT_REGISTRY_CONCURRENCY = 16;

export interface RegistryLimits {
  /** @default DEFAULT_REGISTRY_CONCURRENCY */
  readonly concurrency?: number;
  /** By registry host (`docker.io`, `registry.example:5000`), over `concurrency`. */
  readonly byHost?: Readonly<Record<string, number>>;
}

interface HostState {
  active: number;
  readonly waiting: (() => void)[];
  /** Epoch ms before which nothing is sent: the registry's last Retry-After. */
  pausedUntil: number;
}

/**
 * Per registry: at most a few exchanges in flight, whichever streams, tags and workers they are for,
 * and none while a Retry-After the registry sent runs (every request to it waits, not only the one
 * that was answered 429), so that importing thousands of tags neither floods one registry nor keeps
 * asking one that said to wait.
 */
export class RegistryLimiter {
  private readonly hosts = new Map<string, HostState>();

  constructor(private readonly limits: RegistryLimits = {}, private readonly now: () => number = Date.now) {
    for (const [host, n] of [['concurrency', limits.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY] as const, ...Object.entries(limits.byHost ?? {})]) {
      if (!Number.isInteger(n) || n < 1) throw new Error(`registry concurrency for ${host} (${n}) must be a positive integer`);
    }
  }

  /** Runs `exchange` when `host` has a free slot and no pause. */
  async run<T>(host: string, exchange: () => Promise<T>): Promise<T> {
    const state = this.state(host);
    while (state.active >= this.limitOf(host)) await new Promise<void>((resolve) => state.waiting.push(resolve));
    state.active++;
    try {
      for (let wait = state.pausedUntil - this.now(); wait > 0; wait = state.pausedUntil - this.now()) await sleep(wait);
      return await exchange();
    } finally {
      state.active--;
      state.waiting.shift()?.();
    }
  }

  /** The registry asked to wait `ms` (Retry-After): nothing more is sent to it before then. */
  pause(host: string, ms: number): void {
    const state = this.state(host);
    state.pausedUntil = Math.max(state.pausedUntil, this.now() + ms);
  }

  limitOf(host: string): number {
    return this.limits.byHost?.[host] ?? this.limits.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY;
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) this.hosts.set(host, (state = { active: 0, waiting: [], pausedUntil: 0 }));
    return state;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's limiter: every stream and worker of this process shares it. */
export const sharedRegistryLimiter = new RegistryLimiter();
