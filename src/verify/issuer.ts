/**
 * A throwaway OAuth authorization server, for driving an `--auth oauth` project as a real client would: the
 * project's own oidc-provider (a devDependency of such projects) on 127.0.0.1, with one client-credentials
 * client, issuing a token for `resource`. It runs in a child process started in the project, so that it
 * imports the project's installed packages.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface LocalIssuer {
  /** Its URL: the server's OAUTH_ISSUER. */
  issuer: string;
  /** An access token it issued for `resource`, with the `mcp` scope. */
  token: string;
  /** The secret of its one client, `verify`, for a client that asks for its own tokens. */
  clientSecret: string;
  close(): void;
}

/** Run with `node --input-type=module`: bare imports resolve from the working directory, the project. */
const ISSUER_SCRIPT = `
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';

const { RESOURCE: resource, CLIENT_SECRET: secret } = process.env;
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = 'http://127.0.0.1:' + server.address().port;
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'verify', alg: 'ES256', use: 'sig' };
// oidc-provider warns about its in-memory storage: right for a throwaway issuer.
console.warn = () => {};
const { default: Provider } = await import('oidc-provider');
const provider = new Provider(issuer, {
  clients: [{ client_id: 'verify', client_secret: secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], id_token_signed_response_alg: 'ES256', scope: 'mcp' }],
  jwks: { keys: [jwk] },
  scopes: ['mcp'],
  ttl: { ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      getResourceServerInfo: (_ctx, audience) => ({ scope: 'mcp', audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
    },
  },
});
server.on('request', provider.callback());
const response = await fetch(issuer + '/token', {
  method: 'POST',
  headers: { authorization: 'Basic ' + Buffer.from('verify:' + secret).toString('base64') },
  body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'mcp', resource }),
});
const { access_token: token } = await response.json();
process.stdout.write(JSON.stringify({ issuer, token }) + '\\n');
`;

/** Starts the issuer in `projectDir` (installed); rejects with its output when it does not come up within `timeoutMs`. */
export function startLocalIssuer(projectDir: string, resource: string, timeoutMs = 15_000): Promise<LocalIssuer> {
  const clientSecret = randomBytes(24).toString('hex');
  const child = spawn(process.execPath, ['--input-type=module', '-e', ISSUER_SCRIPT], {
    cwd: projectDir,
    env: { ...process.env, RESOURCE: resource, CLIENT_SECRET: clientSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`The local authorization server ${why}:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s`), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line === undefined) return;
      clearTimeout(timer);
      const { issuer, token } = JSON.parse(line) as { issuer: string; token?: string };
      if (token === undefined) return fail('issued no token');
      resolve({ issuer, token, clientSecret, close: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`exited with ${code}`);
    });
  });
}
