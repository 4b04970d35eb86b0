/**
 * The part of npm's semver ranges a template manifest needs for `"generator": ">=0.1.0 <0.3.0"`:
 * `||` between sets, comparators `>= > <= < =`, caret `^`, tilde `~`, x-ranges (`1.x`, `1`, `*`). Pre-release
 * tags on the generator's own version are ignored. Kept here instead of bundling `semver` because only this
 * subset is needed; anything outside it is refused with a message, never guessed.
 */
type Triple = [number, number, number];
type Bound = { op: '>=' | '<' | '<='; version: Triple };

const COMPARATOR = /^(>=|<=|>|<|=|\^|~)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function parseVersion(version: string): Triple | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function bounds(comparator: string): Bound[] | undefined {
  const match = COMPARATOR.exec(comparator);
  if (!match) return undefined;
  const op = match[1] ?? '=';
  const parts = [match[2], match[3], match[4]].map((part) => (part === undefined || /[xX*]/.test(part) ? undefined : Number(part)));
  const given = parts.findIndex((part) => part === undefined);
  const known = given === -1 ? 3 : given;
  if (parts.slice(known).some((part) => part !== undefined)) return undefined;
  const low: Triple = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
  /** The first version above the given prefix: 1.2 -> 1.3.0, 1 -> 2.0.0. */
  const next = (length: number): Triple => (length === 1 ? [low[0] + 1, 0, 0] : length === 2 ? [low[0], low[1] + 1, 0] : [low[0], low[1], low[2] + 1]);
  if (known === 0) return op === '<' || op === '>' ? [{ op: '<', version: [0, 0, 0] }] : [];
  switch (op) {
    case '=':
      return known === 3 ? [{ op: '>=', version: low }, { op: '<=', version: low }] : [{ op: '>=', version: low }, { op: '<', version: next(known) }];
    case '>=':
      return [{ op: '>=', version: low }];
    case '>':
      return [{ op: '>=', version: next(known) }];
    case '<':
      return [{ op: '<', version: low }];
    case '<=':
      return known === 3 ? [{ op: '<=', version: low }] : [{ op: '<', version: next(known) }];
    case '~':
      return [{ op: '>=', version: low }, { op: '<', version: next(Math.min(known, 2)) }];
    default: {
      // Caret: nothing left of the first non-zero part may change.
      const firstNonZero = low.findIndex((part, index) => index < known && part !== 0);
      const fixed = firstNonZero === -1 ? known : firstNonZero + 1;
      return [{ op: '>=', version: low }, { op: '<', version: next(fixed) }];
    }
  }
}

/** Whether `version` is in `range`; undefined when the range uses syntax outside the subset above. */
export function satisfies(version: string, range: string): boolean | undefined {
  const target = parseVersion(version);
  if (!target) return undefined;
  const sets = range.split('||').map((set) => set.trim().split(/\s+/).filter(Boolean).map(bounds));
  if (sets.some((set) => set.some((bound) => bound === undefined))) return undefined;
  return sets.some((set) =>
    (set as Bound[][]).flat().every(({ op, version: edge }) => {
      const order = compare(target, edge);
      return op === '>=' ? order >= 0 : op === '<' ? order < 0 : order <= 0;
    }),
  );
}
