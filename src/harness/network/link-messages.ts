import type { LinkStats, ResolvedLinkFaults, Target } from './link-faults.ts';

// The protocol between LinkProxy (main thread) and link-worker.mjs. Every request carries an id
// and gets exactly one reply with that id; the worker checks its own side with JSDoc against
// these types (see the header of link-worker.mjs).

/** Request bodies by type, and what each one replies with. */
export interface ProxyCalls {
  'add-link': { readonly request: { readonly name: string; readonly target: Target; readonly port: number; readonly host?: string }; readonly reply: null };
  'remove-link': { readonly request: { readonly name: string }; readonly reply: null };
  'set-target': { readonly request: { readonly name: string; readonly target: Target }; readonly reply: null };
  'set-faults': { readonly request: { readonly name: string; readonly faults: ResolvedLinkFaults }; readonly reply: null };
  /** Heals every link in one message, so no link stays broken while the others heal. */
  'heal-all': { readonly request: Record<string, never>; readonly reply: null };
  stats: { readonly request: { readonly name: string }; readonly reply: LinkStats };
  /** Closes every listener and connection; the worker is terminated after the reply. */
  shutdown: { readonly request: Record<string, never>; readonly reply: null };
}

export type CallType = keyof ProxyCalls;

export type ProxyRequest = {
  [K in CallType]: { readonly type: K; readonly id: number } & ProxyCalls[K]['request'];
}[CallType];

export type ProxyReply =
  | { readonly type: 'ok'; readonly id: number; readonly value: ProxyCalls[CallType]['reply'] }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly code?: string };
