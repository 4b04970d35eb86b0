// Added by the ACME team template: every ACME server answers "health" with its owner.
export const HEALTH_TOOL = 'health';

export function health(): { ok: true; team: string; server: string } {
  return { ok: true, team: {{json team}}, server: {{json name}} };
}
