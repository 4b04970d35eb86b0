{{#if readsFiles}}
import path from 'node:path';

{{/if}}
import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../src/config.js';
import { configProblems } from './harness.js';

describe('loadConfig', () => {
  it('uses the generated defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.maxTokens).toBe({{maxTokens}});
    expect(config.tokenBudget).toBe({{tokenBudget}});
    expect(config.approvalTimeoutMs).toBe({{approvalTimeoutSeconds}} * 1000);
    expect(config.logSampledContent).toBe(false);
{{#if http}}
    expect(config.host).toBe('127.0.0.1');
{{/if}}
  });

  it('reads every knob from its environment variable', () => {
    const config = loadConfig({
      SAMPLING_MAX_TOKENS: '256',
      SAMPLING_TOKEN_BUDGET: '1000',
      SAMPLING_APPROVAL_TIMEOUT_SECONDS: '1.5',
      SAMPLING_HEARTBEAT_SECONDS: '0.5',
      SAMPLING_MAX_INPUT_BYTES: '2048',
      LOG_SAMPLED_CONTENT: 'true',
{{#if http}}
      PORT: '8080',
      HOST: '::1',
{{/if}}
    });
    expect(config).toMatchObject({
      maxTokens: 256,
      tokenBudget: 1000,
      approvalTimeoutMs: 1500,
      heartbeatIntervalMs: 500,
      maxInputBytes: 2048,
      logSampledContent: true,
{{#if http}}
      port: 8080,
      host: '::1',
{{/if}}
    });
  });

  it('reports every invalid value at once, naming the variable', () => {
    const problems = configProblems({ SAMPLING_MAX_TOKENS: 'lots', SAMPLING_TOKEN_BUDGET: '-5', LOG_SAMPLED_CONTENT: 'maybe' });
    expect(problems).toContain('SAMPLING_MAX_TOKENS');
    expect(problems).toContain('SAMPLING_TOKEN_BUDGET');
    expect(problems).toContain('LOG_SAMPLED_CONTENT');
  });

  it('rejects a heartbeat interval that is not shorter than the approval timeout', () => {
    expect(() => loadConfig({ SAMPLING_APPROVAL_TIMEOUT_SECONDS: '5', SAMPLING_HEARTBEAT_SECONDS: '5' })).toThrow(ConfigError);
  });
{{#if readsFiles}}

  it('allows the folders given as arguments as well as those in ALLOWED_ROOTS', () => {
    const { allowedRoots } = loadConfig({ ALLOWED_ROOTS: path.resolve('docs') }, ['notes', '']);
    expect(allowedRoots).toEqual([path.resolve('docs'), path.resolve('notes')]);
    expect(loadConfig({}).allowedRoots).toBeUndefined();
  });
{{/if}}
});
