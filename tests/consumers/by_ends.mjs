// Shared by mermaid_check.mjs and mermaid_render.mjs.

/// Edges grouped by "start end" node ids: a lookup per claim instead of a
/// scan of every edge (quadratic at 100k claims).
export function byEnds(edges, ends) {
  const map = new Map();
  for (const e of edges) {
    const key = ends(e).join(' ');
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(e);
  }
  return map;
}
