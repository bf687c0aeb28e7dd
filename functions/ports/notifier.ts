/** The e-mails of RULES.md §2 (managers, agents); templates live in functions/notifications/templates. */
export type TemplateName =
  | 'contact-update-required'
  | 'commission-held-manual-visit'
  | 'manual-visit-overdue'
  | 'findings-review'
  | 'review-overdue'
  | 'false-contact-quarterly'
  | 'settlement-branch-summary';

export interface Notification {
  readonly to: readonly string[];
  readonly template: TemplateName;
  readonly data: Readonly<Record<string, string>>;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}
