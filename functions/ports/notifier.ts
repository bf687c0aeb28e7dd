import type { PolicyMailTemplate } from '../lifecycle/policy-mails.js';

/** The e-mails of docs/rules.md §2 (managers, agents); templates live in functions/notifications/templates. */
export type TemplateName = PolicyMailTemplate | 'false-contact-quarterly' | 'settlement-branch-summary' | 'integrity-threshold';

export interface Notification {
  /** Deterministic id of the mail (the fact it comes from); carried in a header so resends can be recognised. */
  readonly id: string;
  readonly to: readonly string[];
  readonly template: TemplateName;
  readonly data: Readonly<Record<string, string>>;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}
