// A model version's lineage as a graph: the version and its ancestors (a chain of parents), the
// dataset snapshots each was trained on with their weights, and what taints them. Pure: the
// explorer draws it, the tests compare it with `ModelsApi.lineage`.

/** The key of a snapshot node. */
export const snapshotKey = (dataset, version) => `s${dataset}-${version}`;

/** The key of a version node. */
export const versionKey = (version) => `v${version}`;

/**
 * Nodes and edges of `lineage` (`ModelsApi.lineage` as plain JSON: `nodes`, `attribution`,
 * `taint`); `statuses` maps a snapshot key to its status (`Active`, `Withdrawn`, `TakenDown`),
 * `taints` a version key to its taint (`ModelsApi.taint`; the version's own is `lineage.taint`).
 * Versions are laid out in one column (the version first, then its parent, …), snapshots in a
 * second, each where it is first used.
 */
export function lineageGraph(lineage, statuses = {}, taints = {}) {
  const shares = new Map(
    lineage.attribution.map((e) => [snapshotKey(e.snapshot.dataset, e.snapshot.version), e.share]),
  );
  const nodes = [];
  const edges = [];
  const seen = new Map();
  lineage.nodes.forEach((node, row) => {
    const key = versionKey(node.version);
    const revoked = node.revoked !== null && node.revoked !== undefined;
    const taint = row === 0 ? lineage.taint : taints[key];
    const tainted = taint !== null && taint !== undefined;
    nodes.push({
      key,
      kind: 'version',
      href: `#lineage?version=${node.version}`,
      label: `version ${node.version} (model ${node.model})`,
      x: 0,
      y: row,
      tainted: revoked || tainted,
      reason: revoked
        ? `revoked by governance (reason ${node.revoked})`
        : tainted
          ? describeTaint(taint)
          : '',
    });
    if (node.parent !== null && node.parent !== undefined) {
      edges.push({
        from: key,
        to: versionKey(node.parent),
        kind: 'parent',
        label: 'fine-tuned from',
      });
    }
    for (const input of node.inputs) {
      const { dataset, version } = input.snapshot;
      const target = snapshotKey(dataset, version);
      if (!seen.has(target)) {
        const status = statuses[target] ?? 'Active';
        seen.set(target, true);
        nodes.push({
          key: target,
          kind: 'snapshot',
          href: `#datasets?dataset=${dataset}`,
          label: `dataset ${dataset} · snapshot ${version}`,
          share: shares.get(target) ?? null,
          x: 1,
          y: seen.size - 1,
          tainted: status !== 'Active',
          reason: status === 'Active' ? '' : `snapshot ${status.toLowerCase()}`,
        });
      }
      edges.push({ from: key, to: target, kind: 'input', weight: input.weight });
    }
  });
  return { nodes, edges };
}

/** A taint in words. */
export function describeTaint(taint) {
  const [kind, value] = Object.entries(taint)[0] ?? ['', null];
  if (kind.toLowerCase() === 'revoked') return `an ancestor (version ${value}) was revoked`;
  if (value && typeof value === 'object' && 'dataset' in value)
    return `${kind
      .replace(/([A-Z])/g, ' $1')
      .trim()
      .toLowerCase()}: dataset ${value.dataset} snapshot ${value.version}`;
  return `${kind}${value === null ? '' : ' ' + JSON.stringify(value)}`;
}

const COLUMN = 380;
const ROW = 86;
const WIDTH = 290;
const HEIGHT = 46;

const escape = (text) =>
  String(text).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );

/**
 * The graph as an SVG document (nodes `g.node[data-key]`, each a link to its version or dataset, edges
 * `path.edge[data-from][data-to]`).
 */
export function lineageSvg({ nodes, edges }) {
  const at = new Map(nodes.map((n) => [n.key, n]));
  const rows = Math.max(1, ...nodes.map((n) => n.y + 1));
  const width = COLUMN + WIDTH + 40;
  const height = rows * ROW + 20;
  const centre = (n) => [20 + n.x * COLUMN + WIDTH / 2, 20 + n.y * ROW + HEIGHT / 2];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">`,
  ];
  for (const edge of edges) {
    const [x1, y1] = centre(at.get(edge.from));
    const [x2, y2] = centre(at.get(edge.to));
    const label =
      edge.kind === 'input' ? `${(edge.weight / 1e7).toFixed(1)}%` : escape(edge.label ?? '');
    const path =
      edge.kind === 'input'
        ? `M${x1 + WIDTH / 2} ${y1} C${x1 + WIDTH / 2 + 40} ${y1} ${x2 - WIDTH / 2 - 40} ${y2} ${x2 - WIDTH / 2} ${y2}`
        : `M${x1} ${y1 + HEIGHT / 2} L${x2} ${y2 - HEIGHT / 2}`;
    const [lx, ly] =
      edge.kind === 'input' ? [(x1 + x2) / 2, (y1 + y2) / 2 - 4] : [x1 + 8, (y1 + y2) / 2];
    parts.push(
      `<path class="edge ${edge.kind}" data-from="${edge.from}" data-to="${edge.to}" d="${path}"/>`,
      `<text class="edge-label" x="${lx}" y="${ly}">${label}</text>`,
    );
  }
  for (const node of nodes) {
    const x = 20 + node.x * COLUMN;
    const y = 20 + node.y * ROW;
    const share =
      node.share === null || node.share === undefined
        ? ''
        : ` · share ${(node.share / 1e7).toFixed(1)}%`;
    parts.push(
      node.href ? `<a href="${escape(node.href)}">` : '',
      `<g class="node ${node.kind}${node.tainted ? ' tainted' : ''}" data-key="${node.key}">`,
      `<title>${escape(node.reason || (node.tainted ? 'tainted' : 'usable'))}</title>`,
      `<rect x="${x}" y="${y}" width="${WIDTH}" height="${HEIGHT}" rx="8"/>`,
      `<text x="${x + 12}" y="${y + 20}">${escape(node.label)}</text>`,
      `<text class="sub" x="${x + 12}" y="${y + 37}">${escape(node.reason || (node.kind === 'snapshot' ? `usable${share}` : 'usable'))}</text>`,
      `</g>`,
      node.href ? '</a>' : '',
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
