/**
 * Every --sdk x --tool x --transport combination, end to end (see test/helpers/generated-projects.ts), and the
 * v1 server ready to deploy: OAuth, budgets in Redis, Docker files (the everyday suite has the v2 one).
 */
import { describeGeneratedProjects, SDKS, TOOLS, TRANSPORTS } from '../helpers/generated-projects.js';

describeGeneratedProjects([
  ...SDKS.flatMap((sdk) => TOOLS.flatMap((tool) => TRANSPORTS.map((transport) => ({ sdk, tool, transport })))),
  { sdk: 'v1', tool: 'summarize', transport: 'both', auth: 'oauth', store: 'redis', deploy: 'docker' },
]);
