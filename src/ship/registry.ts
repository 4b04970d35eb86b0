/** What the MCP Registry accepts, checked while the answers are taken rather than at publish time. */
import type { PartialAnswers } from '../options/spec.js';
import { UNLICENSED } from '../license/license.js';

/** server.json's `description` limit in the registry's schema (2025-12-11). */
export const REGISTRY_DESCRIPTION_MAX = 100;

/** What --ship needs of the answers before it: a package npm will publish, described within the registry's limit. */
export function checkShippable(answers: PartialAnswers): string | undefined {
  const description = String(answers.description);
  if (description.length > REGISTRY_DESCRIPTION_MAX) {
    return `needs a --description of at most ${REGISTRY_DESCRIPTION_MAX} characters, the MCP Registry's limit (it has ${description.length})`;
  }
  if (answers.license === UNLICENSED) {
    return `cannot publish an ${UNLICENSED} package (it is marked private, so npm refuses it). Choose a --license, e.g. --license MIT`;
  }
  return undefined;
}

export function checkPublicUrl(value: string, answers: PartialAnswers): string | undefined {
  if (value === '') return undefined;
  if (answers.ship !== true) return 'is listed in server.json, which only --ship writes; add --ship or drop it';
  if (answers.transport === 'stdio') return 'is where an HTTP server answers; this one is --transport stdio. Use --transport http or both';
  if (!URL.canParse(value)) return 'is not a URL. Example: https://mcp.example.com/mcp';
  const url = new URL(value);
  if (url.protocol !== 'https:') return 'must be https:// (hosts connect to remote servers over TLS)';
  if (url.username !== '' || url.password !== '') return 'must not hold credentials: server.json is public';
  return undefined;
}
