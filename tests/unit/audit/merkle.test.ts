import { describe, expect, it } from 'vitest';
import { buildAnchor, leafContentHash, proofsFor, recomputedRoot, type ChainHeadLeaf } from '../../../functions/audit/chain-anchor.js';
import { inclusionProof, leafHash, merkleRoot, nodeHash, rootFromProof, verifyInclusion } from '../../../functions/audit/merkle.js';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));

describe('the Merkle tree', () => {
  it('hashes leaves and nodes apart, so a node cannot pass for a leaf', () => {
    const [a, b] = leaves(2) as [string, string];
    expect(merkleRoot([a, b])).toBe(nodeHash(a, b));
    expect(leafHash(Buffer.from(a + b, 'hex').toString('latin1'))).not.toBe(nodeHash(a, b));
    expect(merkleRoot([a])).toBe(a);
  });

  it('carries an odd last node up: [a,b,c] and [a,b,c,c] have different roots', () => {
    const [a, b, c] = leaves(3) as [string, string, string];
    expect(merkleRoot([a, b, c])).toBe(nodeHash(nodeHash(a, b), c));
    expect(merkleRoot([a, b, c])).not.toBe(merkleRoot([a, b, c, c]));
  });

  it('proves every leaf of trees of 1 to 17 leaves, and no proof survives a changed leaf or root', () => {
    for (let n = 1; n <= 17; n++) {
      const hashes = leaves(n);
      const root = merkleRoot(hashes);
      hashes.forEach((leaf, i) => {
        const proof = inclusionProof(hashes, i);
        expect(rootFromProof(leaf, proof)).toBe(root);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(verifyInclusion(leafHash('another'), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaf, proof.map((s) => ({ ...s, side: s.side === 'L' ? 'R' as const : 'L' as const })), root)).toBe(false);
      });
    }
  });

  it('refuses an empty tree and a leaf outside it', () => {
    expect(() => merkleRoot([])).toThrow(RangeError);
    expect(() => inclusionProof(leaves(3), 3)).toThrow(RangeError);
  });
});

describe('an anchor of chain heads', () => {
  const head = (policyId: string, chain: string, position: number): ChainHeadLeaf => ({ policyId, chain, count: position, position, hash: leafHash(`${policyId}${chain}${position}`) });

  it('sorts its leaves, so the same heads in any order give the same root', () => {
    const heads = [head('P2', 'events', 3), head('P1', 'steps:run-1', 9), head('P1', 'events', 5)];
    const a = buildAnchor('0000000001', '2026-01-01T00:00:00.000Z', heads);
    const b = buildAnchor('0000000001', '2026-01-01T00:00:00.000Z', [...heads].reverse());
    expect(a.root).toBe(b.root);
    expect(a.leaves.map((l) => `${l.policyId}/${l.chain}`)).toEqual(['P1/events', 'P1/steps:run-1', 'P2/events']);
    expect(recomputedRoot(a)).toBe(a.root);
  });

  it("proves a policy's heads against the root, and an altered leaf no longer hashes to it", () => {
    const anchor = buildAnchor('0000000002', '2026-01-02T00:00:00.000Z', [head('P1', 'events', 5), head('P2', 'events', 3), head('P3', 'events', 1)]);
    const proofs = proofsFor(anchor, 'P2');
    expect(proofs).toHaveLength(1);
    const [only] = proofs;
    expect(only && verifyInclusion(leafContentHash(only.leaf), only.proof, anchor.root)).toBe(true);
    const altered = { ...anchor, leaves: anchor.leaves.map((l) => (l.policyId === 'P2' ? { ...l, count: 2, position: 2 } : l)) };
    expect(recomputedRoot(altered)).not.toBe(anchor.root);
  });
});
