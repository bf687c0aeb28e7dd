import { CONFIRMATION_POINTS } from '../../functions/domain/regulatory-callback.js';

/** The call form's field names: one per art. 15 point, as the API names them in a 400 (`confirmations.<point>`). */
export const POINT_FIELDS = CONFIRMATION_POINTS.map((point) => ({ point, name: `confirmations.${point}` }));

export interface AttemptBase {
  readonly attemptId: string;
  readonly round: number;
  readonly calledAt: string;
  readonly operatorId: string;
}

/**
 * The body of `POST /v1/policies/{id}/callback-attempts` from the call form's values
 * (docs/api.md, One call and The regulatory callback): a reached call carries its findings,
 * the seven answers and the recording; one not reached, its reason only.
 */
export function attemptBody(values: Readonly<Record<string, string>>, base: AttemptBase): Record<string, unknown> {
  if (values.reached !== 'on') return { ...base, reached: false, reason: values.reason };
  const confirmations = Object.fromEntries(POINT_FIELDS.map(({ point, name }) => [point, values[name] || 'NOT_ASKED']));
  const duration = values.durationSeconds ?? '';
  return {
    ...base,
    reached: true,
    findings: { proxySignature: values.proxySignature === 'on', misleading: values.misleading === 'on' },
    confirmations,
    ...(values.recordingRef ? { recordingRef: values.recordingRef } : {}),
    ...(duration !== '' ? { durationSeconds: Number(duration) } : {}),
  };
}
