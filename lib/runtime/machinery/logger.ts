/** One JSON object a line on stderr: what log collectors parse without configuration. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function jsonLogger(write: (line: string) => void = (l) => void process.stderr.write(l), min: LogLevel = 'info'): Logger {
  return {
    log(level, msg, fields) {
      if (RANK[level] < RANK[min]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
