/** Every --sdk x --tool x --transport combination, end to end (see test/helpers/generated-projects.ts). */
import { describeGeneratedProjects, SDKS, TOOLS, TRANSPORTS } from '../helpers/generated-projects.js';

describeGeneratedProjects(SDKS.flatMap((sdk) => TOOLS.flatMap((tool) => TRANSPORTS.map((transport) => ({ sdk, tool, transport })))));
