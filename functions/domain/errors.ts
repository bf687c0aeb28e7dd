/** A valid request that breaks a business rule (mapped to HTTP 422 in one place). */
export class BusinessRuleError extends Error {
  override readonly name = 'BusinessRuleError';
  constructor(
    readonly rule: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
