/**
 * Every --sdk x --tool x --transport combination, end to end (see test/helpers/generated-projects.ts), and the
 * servers ready to deploy: v1 with OAuth, budgets in Redis and Docker files (the everyday suite has the v2 one),
 * and v2 with bearer tokens and Docker files for one replica.
 */
import { describeGeneratedProjects, SDKS, TOOLS, TRANSPORTS } from '../helpers/generated-projects.js';

describeGeneratedProjects([
  ...SDKS.flatMap((sdk) => TOOLS.flatMap((tool) => TRANSPORTS.map((transport) => ({ sdk, tool, transport })))),
  { sdk: 'v1', tool: 'summarize', transport: 'both', auth: 'oauth', store: 'redis', deploy: 'docker' },
  { sdk: 'v2', tool: 'code-patterns', transport: 'http', auth: 'token', deploy: 'docker' },
]);
