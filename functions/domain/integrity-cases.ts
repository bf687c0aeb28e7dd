/**
 * The cases of the agent integrity file (docs/rules.md §9), each one a fact the product
 * records. Kept apart from the rule-set schema so the domain and the schema share one list.
 */
export const INTEGRITY_CASES = [
  /** 002 第六章 3 不回销保单回执: the receipt never came back (ReceiptNeverReturned). */
  'RECEIPT_NOT_RETURNED',
  /** 002 第六章 4 未及时反馈(回销): the receipt came back after the late limit (ReceiptReturned late). */
  'RECEIPT_RETURNED_LATE',
  /** 002 第六章 4: the contact-update window closed unanswered (ContactWindowClosedUnanswered). */
  'CONTACT_UPDATE_NOT_RETURNED',
  /** 002 第五条 代签名, upheld by compliance (ReviewDecided UPHOLD on a proxy-signature finding). */
  'PROXY_SIGNATURE_UPHELD',
  /** Misleading sale (002 第六章 35 concealing risks), upheld by compliance. */
  'MISLEADING_UPHELD',
  /** 002 回访特别要求 严禁业务员填写本人电话: false customer contact information on a policy. */
  'FALSE_CONTACT',
] as const;

export type IntegrityCase = (typeof INTEGRITY_CASES)[number];
