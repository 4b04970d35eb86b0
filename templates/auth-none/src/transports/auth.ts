import type { Config, EnvReader } from '../config.js';
import type { Logger } from '../log.js';
import type { Authenticate } from './identity.js';

/**
 * No authentication: whoever reaches the port may call every tool{{#if readsFiles}} and have it read the allowed folders{{/if}}.
 * That is safe while HOST is a loopback address. Any other address is refused at startup unless
 * ALLOW_UNAUTHENTICATED=1 says that something in front of this server (a proxy that authenticates, a
 * private network) decides who gets through.
 */
export function authSettings(read: EnvReader, host: string) {
  const allowUnauthenticated = read.boolean('ALLOW_UNAUTHENTICATED', false);
  if (!isLoopback(host) && !allowUnauthenticated) {
    read.problems.push(
      `HOST=${host} would let other machines call every tool, and this server does not authenticate its callers. ` +
        'Generate the project with --auth token, or set ALLOW_UNAUTHENTICATED=1 if a proxy in front of it ' +
        'authenticates them',
    );
  }
  return { allowUnauthenticated };
}

/** Whether only this machine can connect to `host` (0.0.0.0 and :: are every interface). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Lets every request through, as nobody in particular; says so loudly at every start when others can connect.
 * A caller counts as local only on a loopback HOST, with no ALLOWED_HOSTS, and without the headers a proxy
 * adds: a reverse proxy on this machine forwards other machines' requests from loopback.
 */
export function authenticator(config: Config, log: Logger): Authenticate {
  const loopback = isLoopback(config.host);
  if (!loopback) {
    log({
      event: 'warning',
      message: `ALLOW_UNAUTHENTICATED=1: anyone who can reach ${config.host} port ${config.port} may call every tool, and nothing here checks who they are`,
    });
  }
  const loopbackOnly = loopback && config.allowedHosts.length === 0;
  return async (req) => ({ local: loopbackOnly && req.headers.forwarded === undefined && req.headers['x-forwarded-for'] === undefined });
}
