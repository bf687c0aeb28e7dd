// asl-validator 4 ships no types. Only the call we make is declared. It mutates its input
// (adds QueryLanguage to every state): always pass a structuredClone.
declare module 'asl-validator' {
  interface AslValidatorOptions {
    checkArn?: boolean;
    checkPaths?: boolean;
  }
  interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText: (separator?: string) => string;
  }
  function aslValidator(definition: object, options?: AslValidatorOptions): AslValidationResult;
  export default aslValidator;
}
