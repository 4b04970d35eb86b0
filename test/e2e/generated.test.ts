/**
 * One generated project per SDK over stdio and HTTP, end to end (the full --sdk x --tool x --transport matrix is
 * test/matrix/generated.test.ts, in `npm run test:matrix`), so every transport and era is driven in the everyday
 * suite, each with one of the fallback providers, whose own tests then run too; the v1 one authenticates its HTTP
 * callers with bearer tokens. Then the server ready to deploy: `--transport http --auth oauth --store redis
 * --deploy docker`, whose own tests start an authorization server, Redis and three replicas behind HAProxy, and
 * replay its Dockerfile.
 */
import { describeGeneratedProjects } from '../helpers/generated-projects.js';

describeGeneratedProjects([
  { sdk: 'v2', tool: 'code-patterns', transport: 'both', fallback: 'openai-compatible' },
  { sdk: 'v1', tool: 'summarize', transport: 'both', fallback: 'anthropic', auth: 'token' },
  { sdk: 'v2', tool: 'ask', transport: 'http', auth: 'oauth', store: 'redis', deploy: 'docker' },
]);
