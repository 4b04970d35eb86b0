/** The values templates see, derived from the answers. Templates document what they use in templates/README.md. */
import { commandsFor } from '../setup/package-manager.js';
import type { ProjectAnswers } from '../options/table.js';
import { GENERATOR_VERSION } from '../version.js';

export function templateContext(answers: ProjectAnswers) {
  const commands = commandsFor(answers.pm);
  return {
    name: answers.name,
    binName: answers.name.replace(/^@[^/]+\//, ''),
    description: answers.description,
    tool: answers.tool,
    toolName: answers.toolName,
    transport: answers.transport,
    stdio: answers.transport !== 'http',
    http: answers.transport !== 'stdio',
    sdk: answers.sdk,
    fallback: answers.fallback,
    hasFallback: answers.fallback !== 'none',
    maxTokens: answers.maxTokens,
    tokenBudget: answers.tokenBudget,
    approvalTimeoutSeconds: answers.approvalTimeout,
    modelHints: answers.modelHint,
    priority: answers.priority,
    pm: answers.pm,
    pmRun: commands.run,
    pmTest: commands.test,
    pmInstall: commands.install.join(' ') === 'yarn install' ? 'yarn' : commands.install.join(' '),
    generatorVersion: GENERATOR_VERSION,
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;
