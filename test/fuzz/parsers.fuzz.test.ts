/**
 * Fuzzing with fast-check (10,000 cases a property) of everything that reads input we don't control:
 * the trigger annotation of any workload, registry responses (challenges, manifests, indexes, token
 * replies), pull secrets, stream tags and image references typed by people. Each parser either
 * returns or throws its own documented error — never a TypeError or a crash — and what it writes it
 * reads back the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from '../../lib/api/duration';
import { formatReference, InvalidReferenceError, parseReference } from '../../lib/api/image-reference';
import { formatStreamTag, parseStreamTag, StreamTagError } from '../../lib/api/stream-tag';
import { formatTriggerAnnotation, parseTriggerAnnotations, TRIGGERS_ANNOTATION } from '../../lib/api/trigger-annotation';
import { parseDockerConfig } from '../../lib/runtime/registry/auth';
import { parseChallenges } from '../../lib/runtime/registry/challenge';
import { RegistryError } from '../../lib/runtime/registry/errors';
import { bodyMediaType, indexEntries } from '../../lib/runtime/registry/manifest';

const RUNS = { numRuns: 10_000 };

/** Runs `parse`, passing only when it returns or throws an error `expected` accepts. */
function total(parse: () => unknown, expected: (e: unknown) => boolean): void {
  try {
    parse();
  } catch (error) {
    if (!expected(error)) throw error;
  }
}

/** JSON-ish text: mostly valid JSON of any shape, sometimes broken. */
const jsonText = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.json().map((t) => t.slice(0, Math.max(0, t.length - 1))),
);

const dnsLabel = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);
const tagName = fc.stringMatching(/^\w[\w.-]{0,30}$/);

describe('the trigger annotation parser (any workload of any tenant carries one)', () => {
  it('never throws, whatever the annotation holds', () => {
    fc.assert(fc.property(jsonText, fc.option(jsonText), (ours, theirs) => {
      const parsed = parseTriggerAnnotations({ [TRIGGERS_ANNOTATION]: ours, ...(theirs !== null ? { 'image.openshift.io/triggers': theirs } : {}) }, 'ns');
      expect(Array.isArray(parsed.triggers) && Array.isArray(parsed.errors)).toBe(true);
    }), RUNS);
  });

  it('reads back every trigger list the constructs write', () => {
    const trigger = fc.record({ stream: dnsLabel, tag: tagName, namespace: dnsLabel, fieldPath: fc.string(), paused: fc.boolean() });
    fc.assert(fc.property(fc.uniqueArray(trigger, { selector: (t) => t.fieldPath, maxLength: 5 }), (triggers) => {
      const parsed = parseTriggerAnnotations({ [TRIGGERS_ANNOTATION]: formatTriggerAnnotation(triggers) }, 'elsewhere');
      expect(parsed.errors).toEqual([]);
      expect(parsed.triggers).toEqual(triggers);
    }), RUNS);
  });
});

describe('registry response parsing', () => {
  it('parses any WWW-Authenticate value into challenges, or none', () => {
    const header = fc.oneof(fc.string(), fc.tuple(fc.constantFrom('Bearer', 'Basic', 'bearer', 'Digest', ''), fc.dictionary(fc.string(), fc.string())).map(([s, p]) => `${s} ${Object.entries(p).map(([k, v]) => `${k}="${v}"`).join(',')}`));
    fc.assert(fc.property(header, (value) => {
      const challenges = parseChallenges(value);
      for (const c of challenges) expect(typeof c.scheme).toBe('string');
    }), RUNS);
  });

  it('reads media types and index entries of any body without crashing', () => {
    const body = fc.oneof(jsonText, fc.record({ mediaType: fc.string(), manifests: fc.array(fc.record({ digest: fc.string(), mediaType: fc.string(), platform: fc.anything() })) }).map((v) => JSON.stringify(v)), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')));
    fc.assert(fc.property(body, (text) => {
      const bytes = Buffer.from(text);
      total(() => bodyMediaType(bytes), (e) => RegistryError.isRegistryError(e));
      total(() => indexEntries(bytes), (e) => RegistryError.isRegistryError(e));
    }), RUNS);
  });

  it('reads a pull secret or says it is unusable — never quoting it', () => {
    fc.assert(fc.property(jsonText, (text) => {
      try {
        parseDockerConfig(text, 'secret "s"');
      } catch (error) {
        expect(RegistryError.isRegistryError(error)).toBe(true);
        const message = (error as Error).message;
        // Nothing of the secret's text beyond what the message itself says.
        for (const word of text.split(/[^A-Za-z0-9]+/).filter((w) => w.length >= 6)) expect(message.replace('secret "s"', '')).not.toContain(word);
      }
    }), RUNS);
  });
});

describe('what people type', () => {
  it('parses stream tags or explains, and reads back what it formats', () => {
    fc.assert(fc.property(fc.string(), (text) => total(() => parseStreamTag(text), (e) => e instanceof StreamTagError)), RUNS);
    fc.assert(fc.property(fc.option(dnsLabel), dnsLabel, tagName, (namespace, stream, tag) => {
      const ref = namespace === null ? { stream, tag } : { namespace, stream, tag };
      expect(parseStreamTag(formatStreamTag(ref))).toEqual(ref);
    }), RUNS);
  });

  it('parses image references or explains, and normalised references are fixed points', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      let ref;
      try {
        ref = parseReference(text);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidReferenceError);
        return;
      }
      const formatted = formatReference(ref);
      expect(formatReference(parseReference(formatted))).toBe(formatted);
    }), RUNS);
  });

  it('reads back every Go duration it writes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 24 * 3_600_000 }), (ms) => {
      expect(parseGoDuration(formatGoDuration(ms))).toBeCloseTo(ms, 6);
    }), RUNS);
    fc.assert(fc.property(fc.string(), (text) => total(() => parseGoDuration(text), (e) => e instanceof Error && /is not a duration/.test(e.message))), RUNS);
  });
});
