import { buildAnchor, proofsFor, type AnchorDocument, type ChainHeadLeaf } from '../../audit/chain-anchor.js';
import type { AnchorLedger, AnchorRecord } from '../../ports/anchor-ledger.js';
import type { ArchiveStore } from '../../ports/archive-store.js';
import type { Dependencies } from '../dependencies.js';
import { exportClosedPolicies } from './archive-export.js';

export const anchorKey = (id: string) => `anchors/${id}.json`;
/** One object per policy and anchor: finds a policy's anchors without reading them all, even once the table lost it. */
export const anchorIndexPrefix = (policyId: string) => `anchor-index/${policyId}/`;
export const anchorIndexKey = (policyId: string, id: string) => `${anchorIndexPrefix(policyId)}${id}.json`;

const ID_DIGITS = 10;
const nextId = (latest?: AnchorRecord) => String(latest ? Number(latest.id) + 1 : 1).padStart(ID_DIGITS, '0');

export interface AnchorRun {
  /** True when this run wrote a new anchor; false when nothing had changed (the latest is returned). */
  readonly created: boolean;
  readonly anchor?: AnchorRecord;
}

export function anchorPorts(deps: Dependencies): { archive: ArchiveStore; anchors: AnchorLedger } {
  if (!deps.archive || !deps.anchors) throw new Error('anchoring needs the archive and the anchor ledger (ARCHIVE_BUCKET or ARCHIVE_DIR)');
  return { archive: deps.archive, anchors: deps.anchors };
}

/**
 * The anchor job (daily, and `POST /v1/audit/anchors`): the heads of every chain that moved
 * since it was last anchored go into a Merkle tree, written to the archive first and recorded
 * in the table after. A run interrupted between the two finds the written object and adopts
 * it (anchors are numbered, and an archived number is never written twice), so a crash or a
 * concurrent run never yields two different anchors of one id.
 */
export async function runAnchor(deps: Dependencies): Promise<AnchorRun> {
  const { archive, anchors } = anchorPorts(deps);
  let latest = await anchors.latest();
  // Adopt what an interrupted run archived but did not record.
  for (let id = nextId(latest), text = await archive.get(anchorKey(id)); text !== undefined; id = nextId(latest), text = await archive.get(anchorKey(id))) {
    latest = await completeAnchor(deps, JSON.parse(text) as AnchorDocument);
  }
  const leaves: ChainHeadLeaf[] = [];
  for await (const changed of anchors.changedPolicies()) leaves.push(...changed.heads);
  if (leaves.length === 0) return latest ? { created: false, anchor: latest } : { created: false };

  const id = nextId(latest);
  let document = buildAnchor(id, deps.clock.now().toISOString(), leaves, latest ? { id: latest.id, root: latest.root } : undefined);
  const written = await archive.putOnce(anchorKey(id), `${JSON.stringify(document, null, 1)}\n`);
  // Another run archived this id first: its object is the anchor, ours is dropped.
  if (written === 'exists') document = JSON.parse((await archive.get(anchorKey(id))) as string) as AnchorDocument;
  return { created: written === 'written', anchor: await completeAnchor(deps, document) };
}

/** Everything after the archived object, each step repeatable: per-policy index objects, the table record, the policies' marks. */
async function completeAnchor(deps: Dependencies, document: AnchorDocument): Promise<AnchorRecord> {
  const { archive, anchors } = anchorPorts(deps);
  const policyIds = [...new Set(document.leaves.map((l) => l.policyId))];
  for (const policyId of policyIds) {
    const index = { anchorId: document.id, at: document.at, root: document.root, proofs: proofsFor(document, policyId) };
    await archive.putOnce(anchorIndexKey(policyId, document.id), `${JSON.stringify(index)}\n`);
  }
  const record: AnchorRecord = {
    id: document.id, at: document.at, root: document.root, leaves: document.leaves.length,
    ...(document.previous ? { previousId: document.previous.id } : {}),
  };
  await anchors.record(record);
  // Before the marks: a crash leaves the policies unmarked, so the next run anchors them again and exports what is missing.
  await exportClosedPolicies(deps, document);
  for (const policyId of policyIds) await anchors.markAnchored(policyId, document.id, document.leaves.filter((l) => l.policyId === policyId));
  return record;
}

/** `GET /v1/audit/anchors`: newest first; the cursor is the last id served. */
export async function listAnchors(deps: Dependencies, query: { readonly limit: number; readonly cursor?: string }) {
  const { anchors } = anchorPorts(deps);
  const page = await anchors.list(query.limit, query.cursor);
  const last = page.items.at(-1);
  return { anchors: page.items.map(toView), ...(page.more && last ? { nextCursor: last.id } : {}) };
}

export const toView = (a: AnchorRecord) => ({ id: a.id, at: a.at, root: a.root, leaves: a.leaves, ...(a.previousId ? { previousId: a.previousId } : {}) });
