/**
 * The same token estimate the generated server uses for its budget (its COSTS.md explains the rule), so the
 * numbers on the approval screen match the ones the server reasons with: one token per 4 ASCII characters,
 * one per other character, plus a fixed overhead per message.
 */
const MESSAGE_OVERHEAD_TOKENS = 8;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

export function estimateRequestTokens(systemPrompt: string | undefined, messages: string[]): number {
  let sum = systemPrompt === undefined ? 0 : estimateTokens(systemPrompt) + MESSAGE_OVERHEAD_TOKENS;
  for (const text of messages) sum += estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
  return sum;
}
