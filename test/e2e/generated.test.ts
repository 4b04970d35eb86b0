/**
 * One generated project per SDK, end to end (the full --sdk x --tool x --transport matrix is
 * test/matrix/generated.test.ts, in `npm run test:matrix`): both over stdio and HTTP, so every
 * transport and era is driven in the everyday suite, each with one of the fallback providers, whose
 * own tests then run too. Both authenticate their HTTP callers: v2 with OAuth (its budgets in Redis, its tests
 * running three replicas behind HAProxy), v1 with bearer tokens.
 */
import { describeGeneratedProjects } from '../helpers/generated-projects.js';

describeGeneratedProjects([
  { sdk: 'v2', tool: 'code-patterns', transport: 'both', fallback: 'openai-compatible', auth: 'oauth', store: 'redis' },
  { sdk: 'v1', tool: 'summarize', transport: 'both', fallback: 'anthropic', auth: 'token' },
]);
