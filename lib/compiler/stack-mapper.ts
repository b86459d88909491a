import { dirname, resolve } from 'node:path';
import type { TraceMap } from '@jridgewell/trace-mapping';
import type { Bundle } from './bundle';
import type { SourceLocation } from './diagnostics';

const FRAME = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/;
const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Maps stack frames of the compiled entry back to the user's files through esbuild's inline source
 * map. Done here rather than by Node's --enable-source-maps so that it works the same under any
 * host (test runners install their own stack-trace hooks) and costs nothing until an error happens.
 */
export class StackMapper {
  private traceMap?: TraceMap;
  private readonly userFiles: ReadonlySet<string>;

  constructor(private readonly compiledFile: string, private readonly bundle: Bundle) {
    this.userFiles = new Set(bundle.inputs);
  }

  /** The first frame that lies in one of the user's files, in the user's line and column. */
  firstUserFrame(stack: string): SourceLocation | undefined {
    for (const line of stack.split('\n').slice(1)) {
      const m = FRAME.exec(line.trim());
      if (!m) continue;
      const location = this.toUserLocation(m[1].replace(/^file:\/\//, ''), Number(m[2]), Number(m[3]));
      if (location) return location;
    }
    return undefined;
  }

  private toUserLocation(file: string, line: number, column: number): SourceLocation | undefined {
    if (this.userFiles.has(file)) return { file, line, column }; // already mapped by the host
    if (file !== this.compiledFile) return undefined;
    const { originalPositionFor } = require('@jridgewell/trace-mapping') as typeof import('@jridgewell/trace-mapping');
    const original = originalPositionFor(this.map(), { line, column: column - 1 });
    if (original.source === null || original.line === null || original.column === null) return undefined;
    const source = resolve(dirname(this.compiledFile), original.source);
    return this.userFiles.has(source) ? { file: source, line: original.line, column: original.column + 1 } : undefined;
  }

  private map(): TraceMap {
    if (!this.traceMap) {
      const encoded = INLINE_MAP.exec(this.bundle.code)?.[1] ?? '';
      // Loaded only when an error has to be located: a successful synth never needs it.
      const { TraceMap } = require('@jridgewell/trace-mapping') as typeof import('@jridgewell/trace-mapping');
      this.traceMap = new TraceMap(Buffer.from(encoded, 'base64').toString('utf8') || '{"version":3,"sources":[],"names":[],"mappings":""}');
    }
    return this.traceMap;
  }
}
