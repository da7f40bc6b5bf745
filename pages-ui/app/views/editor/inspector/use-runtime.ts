/** The loaded schema runtime (runtime.ts), set by the inspector before any form renders. */
import type { InspectorRuntime } from './runtime';

let loaded: InspectorRuntime | null = null;

export function provideRuntime(runtime: InspectorRuntime): void {
  loaded = runtime;
}

export function schemaRuntime(): InspectorRuntime {
  if (!loaded) throw new Error('The inspector rendered before its schema runtime loaded');
  return loaded;
}
