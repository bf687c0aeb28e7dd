import { readFileSync } from 'node:fs';
import type { TemplateName } from '../ports/notifier.js';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
}

const cache = new Map<TemplateName, string>();

/** Templates are files next to this module (copied beside the bundle on AWS); first line `Subject: ...`. */
function load(name: TemplateName): string {
  let source = cache.get(name);
  if (source === undefined) {
    source = readFileSync(new URL(`./templates/${name}.txt`, import.meta.url), 'utf8');
    cache.set(name, source);
  }
  return source;
}

export function renderTemplate(name: TemplateName, data: Readonly<Record<string, string>>): RenderedEmail {
  const filled = load(name).replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`template ${name} needs "${key}"`);
    return value;
  });
  const [first = '', ...rest] = filled.split('\n');
  if (!first.startsWith('Subject: ')) throw new Error(`template ${name} must start with "Subject: "`);
  return { subject: first.slice('Subject: '.length).trim(), text: rest.join('\n').trim() + '\n' };
}
