// Types of conformance/tracefs.mjs, for TypeScript callers (`ringside record`).

/** One parsed line of a trace instance's text. */
export interface ParsedEvent {
  comm: string;
  tid: number;
  cpu: number;
  tsNs: bigint;
  event: string;
  fields?: Record<string, string | number>;
  unknown?: string;
  child?: number;
  childComm?: string;
  cloneFlags?: number;
}

/** A parsed event kept for a process tree, with its thread kind. */
export interface TreeEvent extends ParsedEvent {
  ctx: 'task' | 'iowq' | 'sqpoll' | 'kworker' | 'other';
}

export interface Instance {
  path: string;
  captured: string[];
  read(): string;
  clear(): void;
  overruns(): number;
  close(): void;
}

export const TRACEFS: string;
export const KNOWN_EVENTS: string[];
export function parseLine(line: string): ParsedEvent | null;
export function parseTraceText(text: string): ParsedEvent[];
export function selectTree(events: ParsedEvent[], rootPid: number): TreeEvent[];
export function makeNamer(): (field: string, value: string) => string | null;
export function toTracepoint(
  e: TreeEvent,
  name: (field: string, value: string) => string | null,
  extra?: Record<string, unknown>,
): Record<string, unknown>;
export function unavailableReason(): string | null;
export function openInstance(name: string, bufferKb?: number, comms?: string[] | null): Instance;
export function formatTrace(doc: unknown): string;
