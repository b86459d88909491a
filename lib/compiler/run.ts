import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { UserError } from './diagnostics';
import { StackMapper } from './stack-mapper';
import type { Bundle } from './bundle';
import type { CdkApp, Cdk8sModule } from './cdk8s-types';

/** Node's CommonJS loader internals that running code under a chosen file name needs. */
interface ModuleInternals {
  _compile(code: string, filename: string): void;
  paths: string[];
  filename: string;
}
const ModuleStatics = Module as unknown as { _nodeModulePaths(dir: string): string[] };

/** The App that the user's entry built, and the cdk8s module that built it. */
export interface LoadedApp {
  readonly app: CdkApp;
  readonly cdk8s: Cdk8sModule;
}

/**
 * Runs a compiled entry as if Node had loaded `entry` itself (so its requires resolve from the user's
 * folder) and captures the App on which it calls `synth()`; the compiler writes the output instead.
 */
export function runEntry(entry: string, bundle: Bundle): LoadedApp {
  const cdk8s = requireUserCdk8s(entry);
  const captured: CdkApp[] = [];
  const originalSynth = cdk8s.App.prototype.synth;
  cdk8s.App.prototype.synth = function captureSynth(this: CdkApp) {
    captured.push(this);
  };
  // A name of its own, so that stack frames in the compiled code can be told apart and mapped back.
  const compiledName = `${entry}${COMPILED_SUFFIX}`;
  try {
    const mod = new Module(compiledName) as unknown as ModuleInternals;
    mod.filename = compiledName;
    mod.paths = ModuleStatics._nodeModulePaths(dirname(entry));
    mod._compile(bundle.code, compiledName);
  } catch (e) {
    throw exceptionToUserError(e, new StackMapper(compiledName, bundle));
  } finally {
    cdk8s.App.prototype.synth = originalSynth;
  }
  return { app: onlyApp(captured, entry), cdk8s };
}

function requireUserCdk8s(entry: string): Cdk8sModule {
  try {
    return createRequire(entry)('cdk8s') as Cdk8sModule;
  } catch {
    throw UserError.of(`cannot find package 'cdk8s' from ${dirname(entry)}`, {
      notes: ['install the cdk8s libraries next to your entry: npm install cdk8s constructs'],
    });
  }
}

function onlyApp(captured: CdkApp[], entry: string): CdkApp {
  if (captured.length === 1) return captured[0];
  if (captured.length === 0) {
    throw UserError.of(`${entry} never called app.synth()`, {
      notes: ['create a cdk8s App, add your charts to it, and call app.synth() at the end of the entry'],
    });
  }
  throw UserError.of(`${entry} called synth() on ${captured.length} cdk8s Apps; one entry makes one App`, {
    notes: ['put the charts of one output folder into one App, or use one entry per App'],
  });
}

const COMPILED_SUFFIX = '.imagestreams.js';

/** An exception from the user's code, located at the first stack frame in one of their files. */
export function exceptionToUserError(e: unknown, mapper: StackMapper): UserError {
  if (!(e instanceof Error)) return new UserError([{ text: `uncaught exception: ${String(e)}` }], e);
  const text = e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  return new UserError([{ text, location: mapper.firstUserFrame(e.stack ?? '') }], e);
}
