/**
 * Just enough of kube's protobuf encoding to read what kubectl's imperative generators send
 * (`kubectl create namespace|configmap|secret|serviceaccount`): the `k8s\0` envelope
 * (runtime.Unknown) and the fields of those kinds and of ObjectMeta that they fill. Anything else stays 415.
 */
import { JsonObject } from './types';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { num: number; value: bigint | Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new Error('truncated varint');
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

/** Splits a message into its fields (varints and length-delimited only, as these types use). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, next] = readVarint(buf, pos);
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, after] = readVarint(buf, next);
      out.push({ num, value: v });
      pos = after;
    } else if (wire === 2) {
      const [len, start] = readVarint(buf, next);
      out.push({ num, value: buf.subarray(start, start + Number(len)) });
      pos = start + Number(len);
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const str = (v: bigint | Buffer): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

function mapEntry(v: bigint | Buffer, valueAsBase64: boolean): [string, string] {
  const entry = fields(v as Buffer);
  const key = entry.find((f) => f.num === 1)?.value;
  const value = entry.find((f) => f.num === 2)?.value ?? Buffer.alloc(0);
  return [key ? str(key) : '', valueAsBase64 ? (value as Buffer).toString('base64') : str(value)];
}

function addTo(obj: JsonObject, key: string, entry: [string, string]): void {
  const map = (obj[key] ??= {}) as Record<string, string>;
  map[entry[0]] = entry[1];
}

/** Go encodes empty strings too; JSON would omit them (omitempty). */
function setString(obj: JsonObject, key: string, v: bigint | Buffer): void {
  if (str(v) !== '') obj[key] = str(v);
}

function objectMeta(buf: Buffer): JsonObject {
  const meta: JsonObject = {};
  for (const f of fields(buf)) {
    if (f.num === 1) setString(meta, 'name', f.value);
    else if (f.num === 2) setString(meta, 'generateName', f.value);
    else if (f.num === 3) setString(meta, 'namespace', f.value);
    else if (f.num === 11) addTo(meta, 'labels', mapEntry(f.value, false));
    else if (f.num === 12) addTo(meta, 'annotations', mapEntry(f.value, false));
    else if (f.num === 14) meta.finalizers = [...((meta.finalizers as string[]) ?? []), str(f.value)];
  }
  return meta;
}

/** Field number -> how to read it, per kind (metadata is field 1 everywhere). */
const KINDS: Record<string, (obj: JsonObject, f: Field) => void> = {
  Namespace: () => undefined,
  ServiceAccount: (obj, f) => {
    if (f.num === 4) obj.automountServiceAccountToken = f.value === 1n;
  },
  ConfigMap: (obj, f) => {
    if (f.num === 2) addTo(obj, 'data', mapEntry(f.value, false));
    if (f.num === 3) addTo(obj, 'binaryData', mapEntry(f.value, true));
    if (f.num === 4) obj.immutable = f.value === 1n;
  },
  Secret: (obj, f) => {
    if (f.num === 2) addTo(obj, 'data', mapEntry(f.value, true));
    if (f.num === 3) setString(obj, 'type', f.value);
    if (f.num === 4) addTo(obj, 'stringData', mapEntry(f.value, false));
    if (f.num === 5) obj.immutable = f.value === 1n;
  },
};

/** Decodes a protobuf request body to JSON, or undefined when its kind is not one we read. */
export function decodeProtobuf(body: Buffer): JsonObject | undefined {
  if (!body.subarray(0, 4).equals(MAGIC)) return undefined;
  const unknown = fields(body.subarray(4));
  const typeMeta = fields((unknown.find((f) => f.num === 1)?.value as Buffer) ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta.find((f) => f.num === 1)?.value ?? Buffer.alloc(0));
  const kind = str(typeMeta.find((f) => f.num === 2)?.value ?? Buffer.alloc(0));
  const read = KINDS[kind];
  if (!read || apiVersion !== 'v1') return undefined;
  const obj: JsonObject = { apiVersion, kind, metadata: {} };
  for (const f of fields((unknown.find((x) => x.num === 2)?.value as Buffer) ?? Buffer.alloc(0))) {
    if (f.num === 1) obj.metadata = objectMeta(f.value as Buffer);
    else read(obj, f);
  }
  return obj;
}
