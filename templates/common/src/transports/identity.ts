/**
 * Who the HTTP request being served comes from. The transport sets it once per request, after
 * src/transports/auth.ts has checked the caller; log lines, budgets, sessions and file access read it here,
 * so the code between the transport and the tool needs no extra argument for it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from '../log.js';

/** Who a request comes from, as src/transports/auth.ts tells. */
export interface Identity {
  /** The name authentication gave the caller; undefined where the server does not authenticate. */
  caller?: string;
  /** Whether the caller is surely on this machine, so that the roots it declares are folders here. */
  local: boolean;
}

/** The identity of a request, or undefined when it was refused and already answered. */
export type Authenticate = (req: IncomingMessage, res: ServerResponse) => Promise<Identity | undefined>;

const currentIdentity = new AsyncLocalStorage<Identity>();

/** Serves `next` as `identity`: everything it logs, spends or reads, now or after an await, is theirs. */
export function asCaller<T>(identity: Identity, next: () => T): T {
  return currentIdentity.run(identity, next);
}

/** Whether the current request's caller is on this machine; over stdio, outside any request, it is. */
export function callerIsLocal(): boolean {
  return currentIdentity.getStore()?.local ?? true;
}

/** `log` with the current caller in every line. */
export function callerLogger(log: Logger): Logger {
  // A record that names its caller itself (a session closed by the sweeper) keeps it.
  return (record) => log({ caller: currentCaller(), ...record });
}

/** The current request's caller, as authentication named it. */
export function currentCaller(): string | undefined {
  return currentIdentity.getStore()?.caller;
}
