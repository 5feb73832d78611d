/**
 * What the sandbox plays for a recipient, by the last digits of its number.
 * Every other number: Queued (400), Dispatched (401), Delivered (0).
 */
export type Step = { status: string; code: number }
export type Scenario = { endsWith: string; plays: string; steps: Step[]; order?: 'reversed'; repeat?: number }

const QUEUED = { status: 'Queued', code: 400 }
const DISPATCHED = { status: 'Dispatched', code: 401 }

export const NUMBER_PATTERNS: Scenario[] = [
  { endsWith: '402', plays: 'Aborted 402: unroutable', steps: [QUEUED, DISPATCHED, { status: 'Aborted', code: 402 }] },
  { endsWith: '404', plays: 'Failed 404: temporary failure', steps: [QUEUED, DISPATCHED, { status: 'Failed', code: 404 }] },
  { endsWith: '406', plays: 'Expired 406: expired before reaching the operator', steps: [QUEUED, { status: 'Expired', code: 406 }] },
  { endsWith: '408', plays: 'Rejected 408: rejected, a retry would fail the same way', steps: [QUEUED, DISPATCHED, { status: 'Rejected', code: 408 }] },
  { endsWith: '777', plays: 'never a final report (stays Dispatched: the operator sends no receipt)', steps: [QUEUED, DISPATCHED] },
  { endsWith: '555', plays: 'Delivered, but the reports arrive newest first', steps: [QUEUED, DISPATCHED, { status: 'Delivered', code: 0 }], order: 'reversed' },
  { endsWith: '333', plays: 'Delivered, every report sent twice', steps: [QUEUED, DISPATCHED, { status: 'Delivered', code: 0 }], repeat: 2 },
]

export const DEFAULT_SCENARIO: Scenario = { endsWith: '', plays: 'Delivered', steps: [QUEUED, DISPATCHED, { status: 'Delivered', code: 0 }] }

export function scenarioFor(msisdn: string): Scenario {
  const digits = msisdn.replace(/\D/g, '')
  return NUMBER_PATTERNS.find((p) => digits.endsWith(p.endsWith)) ?? DEFAULT_SCENARIO
}

export function describeNumberPatterns(): string {
  return [...NUMBER_PATTERNS.map((p) => `  …${p.endsWith}  ${p.plays}`), '  other  Queued, Dispatched, Delivered'].join('\n')
}
