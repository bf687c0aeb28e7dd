import { createHash } from 'node:crypto';

/**
 * A Merkle tree over sha-256 (RFC 6962 style): leaves and inner nodes are hashed with
 * different one-byte prefixes, so a leaf can never pass for a node (second-preimage). A level
 * of odd length carries its last node up unchanged instead of pairing it with itself, so no
 * two different leaf lists share a root.
 */
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(content: string): string {
  return createHash('sha256').update(LEAF).update(content, 'utf8').digest('hex');
}

export function nodeHash(left: string, right: string): string {
  return createHash('sha256').update(NODE).update(Buffer.from(left, 'hex')).update(Buffer.from(right, 'hex')).digest('hex');
}

/** One step of an inclusion proof: the sibling's hash, and on which side it sits. */
export interface ProofStep {
  readonly side: 'L' | 'R';
  readonly hash: string;
}

function levels(leafHashes: readonly string[]): string[][] {
  if (leafHashes.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
  const all: string[][] = [[...leafHashes]];
  while ((all.at(-1) as string[]).length > 1) {
    const level = all.at(-1) as string[];
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i] as string, level[i + 1] as string) : (level[i] as string));
    all.push(next);
  }
  return all;
}

export function merkleRoot(leafHashes: readonly string[]): string {
  return (levels(leafHashes).at(-1) as string[])[0] as string;
}

/** The siblings from leaf `index` up to the root. */
export function inclusionProof(leafHashes: readonly string[], index: number): ProofStep[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) throw new RangeError(`leaf ${index} is not in the tree`);
  const proof: ProofStep[] = [];
  let position = index;
  for (const level of levels(leafHashes).slice(0, -1)) {
    const sibling = position % 2 === 0 ? position + 1 : position - 1;
    if (sibling < level.length) proof.push({ side: position % 2 === 0 ? 'R' : 'L', hash: level[sibling] as string });
    position = Math.floor(position / 2);
  }
  return proof;
}

/** Recomputes the root from a leaf and its proof. */
export function rootFromProof(leaf: string, proof: readonly ProofStep[]): string {
  return proof.reduce((hash, step) => (step.side === 'L' ? nodeHash(step.hash, hash) : nodeHash(hash, step.hash)), leaf);
}

export function verifyInclusion(leaf: string, proof: readonly ProofStep[], root: string): boolean {
  return rootFromProof(leaf, proof) === root;
}
