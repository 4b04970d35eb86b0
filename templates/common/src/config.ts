{{#if readsFiles}}
import path from 'node:path';
{{/if}}
{{#if (and readsFiles hasFallback)}}

{{/if}}
{{#if hasFallback}}
import { providerSettings } from './providers/settings.js';
{{/if}}
{{#if http}}
import { authSettings } from './transports/auth.js';
{{/if}}
{{#if (eq store "redis")}}
import { storeSettings } from './transports/budgets.js';
{{/if}}
{{#if (or readsFiles hasFallback http)}}

{{/if}}
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Every setting of this server. Each one comes from an environment variable; the defaults are the
 * values chosen when the project was generated. `loadConfig` validates all of them at startup so a
 * typo fails fast with a message naming the variable, instead of surfacing mid-conversation.
 */
export type Config = ReturnType<typeof loadConfig>;

/** Reads and validates the configuration{{#if readsFiles}} and the folders given as arguments{{/if}}; throws one `ConfigError` listing every problem found. */
export function loadConfig(env: Env = process.env{{#if readsFiles}}, folders: readonly string[] = []{{/if}}) {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
{{#if http}}
  const host = read.string('HOST', '127.0.0.1');
{{/if}}

  const config = {
    /** Upper bound on the answer length asked of the host's model, per request (the host may lower it). */
    maxTokens: read.integer('SAMPLING_MAX_TOKENS', {{maxTokens}}, { min: 1 }),
    /** Estimated tokens one session (one connection; the whole process where there is no session) may spend. */
    tokenBudget: read.integer('SAMPLING_TOKEN_BUDGET', {{tokenBudget}}, { min: 1 }),
    /** Estimated tokens the whole process may spend per 24 hours, whatever its sessions: four sessions' worth by default. */
    dailyTokenBudget: read.integer('SAMPLING_DAILY_TOKEN_BUDGET', 4 * {{tokenBudget}}, { min: 1 }),
    /** How long a 2025-era sampling request may wait for the user's approval and the model's answer. */
    approvalTimeoutMs: read.seconds('SAMPLING_APPROVAL_TIMEOUT_SECONDS', {{approvalTimeoutSeconds}}),
    /** Interval of the progress heartbeats that keep the host's own tool-call timeout from firing meanwhile. */
    heartbeatIntervalMs: read.seconds('SAMPLING_HEARTBEAT_SECONDS', 5),
    /** Largest prompt, in UTF-8 bytes, this server sends to the host's model. */
    maxInputBytes: read.integer('SAMPLING_MAX_INPUT_BYTES', 50_000, { min: 1 }),
    /** Log prompts and answers too (off by default: they may hold private data). */
    logSampledContent: read.boolean('LOG_SAMPLED_CONTENT', false),
{{#if readsFiles}}
    /** Folders the tool may read; with none, a 2025-era client's roots, and without those nothing (see src/files.ts). */
    allowedRoots: read.pathList('ALLOWED_ROOTS', folders),
    /** Protected names (src/files.ts, PROTECTED_FILES) that may be read anyway, as patterns. */
    allowedProtectedFiles: read.list('ALLOWED_PROTECTED_FILES', []),
{{/if}}
{{#if readsFolders}}
    /** Most source files sent to the model in one analysis. */
    maxFiles: read.integer('SAMPLING_MAX_FILES', 40, { min: 1 }),
{{/if}}
{{#if (eq transport "both")}}
    /** Which transport `node dist/index.js` serves. */
    transport: read.oneOf('MCP_TRANSPORT', ['stdio', 'http'] as const, 'stdio'),
{{/if}}
{{#if http}}
    /** Interface the HTTP server binds to; loopback unless you mean to expose it. */
    host,
    /** TCP port of the HTTP server; 0 picks a free port. */
    port: read.integer('PORT', 3000, { min: 0, max: 65_535 }),
    /** Extra Host header names accepted besides localhost (for a reverse proxy or a LAN name). */
    allowedHosts: read.list('ALLOWED_HOSTS', []),
    /** Most 2025-era sessions open at once; each holds a server instance in memory. */
    maxSessions: read.integer('MAX_SESSIONS', 100, { min: 1 }),
    /** A 2025-era session with nothing in flight is closed after this long unused. */
    sessionIdleMs: read.integer('SESSION_IDLE_MINUTES', 10, { min: 1 }) * 60_000,
    /** On SIGTERM, how long calls in flight may take to finish while new ones are refused. */
    shutdownGraceMs: read.seconds('SHUTDOWN_GRACE_SECONDS', 10),
    /** Who may call over HTTP, and how they prove it (src/transports/auth.ts). */
    auth: authSettings(read{{#if (eq auth "none")}}, host{{/if}}),
    /** Estimated tokens one caller may spend per 24 hours over all their sessions; by default only the daily budget limits them. */
    callerDailyTokenBudget: read.integer('SAMPLING_CALLER_DAILY_TOKEN_BUDGET', Number.POSITIVE_INFINITY, { min: 1 }),
{{/if}}
{{#if (eq store "redis")}}
    /** Where the budgets are kept, so that every replica shares them (src/transports/budgets.ts). */
    store: storeSettings(read),
{{/if}}
{{#if hasFallback}}
    /** The provider called when the client cannot sample; undefined unless its variables are set. Never log it: it holds the key. */
    fallback: providerSettings({{ts fallback}}, read),
{{/if}}
  };

  if (config.heartbeatIntervalMs >= config.approvalTimeoutMs) {
    problems.push('SAMPLING_HEARTBEAT_SECONDS must be shorter than SAMPLING_APPROVAL_TIMEOUT_SECONDS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Parses one variable at a time, recording a readable problem instead of throwing on the first. */
export class EnvReader {
  constructor(private readonly env: Env, readonly problems: string[]) {}

{{#if hasFallback}}
  isSet(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /** A value that must never appear in a message: problems name the variable only. */
  secret(name: string): string | undefined {
    return this.raw(name);
  }

  required(name: string, reason: string): string {
    const value = this.raw(name);
    if (value === undefined) this.problems.push(`${name} must be set ${reason}`);
    return value ?? '';
  }

  url(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      this.problems.push(`${name} must be an http:// or https:// URL (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return value;
  }

{{/if}}
  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

{{#if http}}
  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

{{/if}}
  integer(name: string, fallback: number, { min, max = Number.MAX_SAFE_INTEGER }: { min: number; max?: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return parsed;
  }

  /** Seconds in the environment (fractions allowed), milliseconds in the config. */
  seconds(name: string, fallbackSeconds: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallbackSeconds * 1000;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      this.problems.push(`${name} must be a positive number of seconds (got ${JSON.stringify(value)})`);
      return fallbackSeconds * 1000;
    }
    return Math.round(parsed * 1000);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got ${JSON.stringify(value)})`);
    return fallback;
  }

{{#if (eq transport "both")}}
  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return fallback;
  }

{{/if}}
{{#if (or http readsFiles)}}
  list(name: string, fallback: string[]): string[] {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }

{{/if}}
{{#if readsFiles}}
  /** A list separated like PATH (`:` on Unix, `;` on Windows), plus `more`; relative entries resolve against the working directory. */
  pathList(name: string, more: readonly string[]): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined && more.length === 0) return undefined;
    const entries = [...(value ?? '').split(path.delimiter), ...more].filter((entry) => entry !== '');
    if (entries.length === 0) this.problems.push(`${name} must list at least one directory`);
    return entries.map((entry) => path.resolve(entry));
  }
{{/if}}
}
