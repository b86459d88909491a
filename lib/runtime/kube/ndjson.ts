import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into JSON values, one per line. Chunks may end anywhere: mid-line or even
 * mid-character of a multi-byte UTF-8 sequence; the rest waits for the next chunk.
 */
export class NdjsonSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** The values completed by this chunk. A malformed line throws. */
  push(chunk: Buffer | string): unknown[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '').map(parseLine);
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): unknown[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest.trim() === '' ? [] : [parseLine(rest)];
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`watch stream sent a line that is not JSON: ${line.slice(0, 100)}`);
  }
}
