/**
 * Every --sdk x --tool x --transport combination, end to end (see test/helpers/generated-projects.ts), and the
 * v1 OAuth server with its budgets in Redis (the everyday suite has the v2 one).
 */
import { describeGeneratedProjects, SDKS, TOOLS, TRANSPORTS } from '../helpers/generated-projects.js';

describeGeneratedProjects([
  ...SDKS.flatMap((sdk) => TOOLS.flatMap((tool) => TRANSPORTS.map((transport) => ({ sdk, tool, transport })))),
  { sdk: 'v1', tool: 'ask', transport: 'http', auth: 'oauth', store: 'redis' },
]);
